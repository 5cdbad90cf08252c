/** A sundial that serve() returns and the command line runs: the one name for a running whole. */
import type { Reload } from "./reload.ts";

/** The ports the listeners besides the main one took (null: not asked for). */
export interface ServerPorts {
  readonly admin: number | null;
  readonly redirect: number | null;
  readonly daytime: number | null;
  readonly time: number | null;
}

export type LogReopen = { readonly kind: "reopened" } | { readonly kind: "failed"; readonly message: string };

/** srvx's shape, with what the command line's signals do as methods. */
export interface Server {
  /** "http://host:port/" (https with TLS) once listening, else null. */
  readonly url: string | null;
  /** The port once listening (the one picked, for port 0), else null. */
  readonly port: number | null;
  /** The other listeners' ports once listening, else null. */
  readonly ports: ServerPorts | null;
  /** Resolves once listening; rejects when an option is invalid, a port cannot be bound or the folder is missing. */
  ready(): Promise<Server>;
  /**
   * Drains (what SIGTERM does): /readyz turns 503, the listeners close, responses in progress
   * finish up to the shutdown timeout, the rest are closed, the access log is written out.
   */
  close(): Promise<void>;
  /** The certificate files read again, for new handshakes (what SIGHUP does); a refused pair keeps the one in use. */
  reloadTls(): Promise<Reload>;
  /** The --auth-file read again (what SIGHUP does too); a file that does not read well keeps the users in use. */
  reloadAuth(): Promise<Reload>;
  /** The access log file reopened after logrotate moved it (what SIGUSR1 does). */
  reopenLog(): LogReopen;
}
