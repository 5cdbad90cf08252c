/**
 * What one sundial is, whichever door it came through: the command line (src/cli/) turns flags
 * into it, serve() (src/serve/) turns its options into it, and the composer (compose.ts) builds
 * the same server from it. Every field has the same meaning in both doors.
 */
import type { LogFormat } from "../access-log/format.ts";
import type { AuthScope } from "../auth/auth-app.ts";
import type { Credential } from "../auth/credentials.ts";
import type { FetchHandler } from "../fetch/fetch-app.ts";
import type { WebSocketHandler } from "../fetch/websocket.ts";
import type { HttpLimits } from "../http/limits.ts";
import type { TrustList } from "../proxy/trust-list.ts";
import type { SiteOptions } from "../static/options.ts";
import type { Http2Options } from "../http2/limits.ts";

/** Where the app comes from: a handler in hand (serve()), or a module to import (--app). */
export type AppSource =
  | { readonly kind: "handler"; readonly fetch: FetchHandler; readonly websocket?: WebSocketHandler<never> }
  | { readonly kind: "module"; readonly path: string };

/**
 * The files and /time: a folder (its files and /time), /time alone (root null: --app without a
 * folder, serve({ time: true })), or none (serve() without static: the app alone).
 */
export type SiteSource = { readonly root: string | null; readonly options: SiteOptions } | null;

/** HTTPS: PEM text in hand (serve()), PEM files read at start and again on reload, or a certificate made at start. */
export type TlsSource =
  | { readonly kind: "pem"; readonly cert: string; readonly key: string; readonly passphrase: string | null }
  | {
    readonly kind: "files";
    readonly certFile: string;
    readonly keyFile: string;
    readonly passphrase: string | null;
  }
  | { readonly kind: "self-signed" };

/** The operations surface: access log, proxies, health, metrics, drain, extra fields. */
export interface OpsOptions {
  /** The access log's format; null: no access log (--quiet). */
  readonly logFormat: LogFormat | null;
  /** Append the access log to this file instead of stdout (--log). */
  readonly logFile: string | null;
  /** Peers whose forwarding fields are believed (--trust-proxy); null: nobody's. */
  readonly trustProxy: TrustList | null;
  /** Read a PROXY protocol header from trusted peers (--proxy-protocol). */
  readonly proxyProtocol: boolean;
  /** The path the site is served under ("" at the root; no trailing slash) (--base-path). */
  readonly basePath: string;
  readonly health: boolean;
  readonly metrics: boolean;
  /** A separate listener for /healthz, /readyz and /metrics (--admin-port); null: none. */
  readonly adminPort: number | null;
  /** How long a drain waits for responses in progress (--shutdown-timeout). */
  readonly shutdownTimeoutMs: number;
  /** Fields added to every response (--header, repeatable). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** Kubernetes' default terminationGracePeriodSeconds is 30 s: a drain fits inside it by default. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

export const DEFAULT_OPS: OpsOptions = {
  logFormat: "combined",
  logFile: null,
  trustProxy: null,
  proxyProtocol: false,
  basePath: "",
  health: false,
  metrics: false,
  adminPort: null,
  shutdownTimeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
  headers: [],
};

/** HTTP Basic authentication (--auth, --auth-file, --auth-scope); off when the config's auth is null. */
export interface AuthConfig {
  /** The users given inline (--auth, repeatable). */
  readonly credentials: readonly Credential[];
  /** A file of users, one a line, read at start and again on reload (SIGHUP); null: none. */
  readonly file: string | null;
  readonly scope: AuthScope;
  /**
   * Only requests under these paths need a password (--auth-path, repeatable), each in its
   * canonical form ("/private"; compose/auth-paths.ts); empty: every path.
   */
  readonly paths: readonly string[];
}

export interface SundialConfig {
  /** "" = every interface (IPv6 and IPv4). */
  readonly host: string;
  readonly port: number;
  readonly limits: HttpLimits;
  readonly maxConnections: number;
  /** 0: no cap. */
  readonly maxConnectionsPerIp: number;
  /** The per-address cap applies to loopback peers too. */
  readonly capLoopback: boolean;
  readonly app: AppSource | null;
  readonly site: SiteSource;
  /** RFC 867 Daytime / RFC 868 Time on raw TCP; null: off. */
  readonly daytimePort: number | null;
  readonly timePort: number | null;
  readonly ops: OpsOptions;
  readonly tls: TlsSource | null;
  readonly handshakeTimeoutMs: number;
  /** A plain-HTTP listener answering everything with a 308 to https; null: none. */
  readonly redirectHttpPort: number | null;
  /**
   * HTTP/2 (RFC 9113) beside HTTP/1.1 on the main listener, with these limits over the defaults
   * (src/http2/limits.ts): ALPN "h2" on TLS, prior knowledge (h2c) on plain TCP (--http2,
   * serve()'s http2). Absent: HTTP/1.1 only.
   */
  readonly http2?: Partial<Http2Options>;
  /** HTTP Basic in front of the site and the app (not /healthz, /readyz, /metrics); null: off. */
  readonly auth: AuthConfig | null;
  /** An app's errors nothing caught are logged and counted instead of ending the process. */
  readonly catchUncaught: boolean;
  /**
   * With uploads on, the temporaries a killed process left in the folder are removed before
   * listening (static/write/stale-temps.ts). Off in a worker of --workers: its supervisor does it
   * once before any worker starts, and again for each worker that dies, so a worker never removes
   * another's upload in progress.
   */
  readonly sweepTemps: boolean;
  /** How each door names its options in messages (the flag, or the serve() option). */
  readonly names: OptionNames;
}

/** The names messages use for the options a failure at start can come from. */
export interface OptionNames {
  /** How to choose another port, for "port N is already in use (...)". */
  readonly portHint: string;
  readonly app: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly tlsSelfSigned: string;
  readonly adminPort: string;
  readonly redirectHttp: string;
  readonly authFile: string;
}
