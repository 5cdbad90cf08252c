/** The library's door: serve(), a fetch handler on the raw-TCP core, composed as the command line is. */
import type { ComposeDeps } from "../compose/deps.ts";
import { launch } from "../compose/launch.ts";
import type { Reload } from "../compose/reload.ts";
import type { Started } from "../compose/start-all.ts";
import { httpUrl, isEveryInterface } from "../server/listen-url.ts";
import { serveConfig } from "./serve-config.ts";
import type { ServeOptions } from "./serve-options.ts";

export type { ServeOptions, ServeTls } from "./serve-options.ts";

/** What serve() needs from the runtime: what the composer needs (each adapter's `deps`). */
export type ServeDeps = ComposeDeps;

/** The ports the listeners besides the main one took (null: not asked for). */
export interface ServerPorts {
  readonly admin: number | null;
  readonly redirect: number | null;
  readonly daytime: number | null;
  readonly time: number | null;
}

/** What serve() returns (srvx's shape): url and port once listening. */
export interface Server {
  /** "http://host:port/" (https with tls) once listening, else null. */
  readonly url: string | null;
  /** The port once listening (the one picked, for port 0), else null. */
  readonly port: number | null;
  /** The other listeners' ports once listening, else null. */
  readonly ports: ServerPorts | null;
  /** Resolves once listening; rejects when an option is invalid, a port cannot be bound or the folder is missing. */
  ready(): Promise<Server>;
  /** Stops accepting, lets responses in progress finish (up to shutdownTimeoutMs, 5 s), closes the rest. */
  close(): Promise<void>;
  /** tls.certFile and tls.keyFile read again, for new handshakes (what SIGHUP does to the command line). */
  reloadTls(): Promise<Reload>;
  /** The accessLog file reopened after logrotate moved it (what SIGUSR1 does to the command line). */
  reopenLog(): { readonly kind: "reopened" } | { readonly kind: "failed"; readonly message: string };
}

/** Runs a fetch handler on the raw-TCP core; starts listening at once (await ready()). */
export function serve(deps: ServeDeps, options: ServeOptions): Server {
  let running: Started | null = null;
  let url: string | null = null;
  const started = start(deps, options).then((server) => {
    running = server;
    const hostname = options.hostname ?? "";
    url = httpUrl(
      isEveryInterface(hostname) ? "localhost" : hostname,
      server.bound.port,
      options.tls ? "https" : "http",
    );
    options.signal?.addEventListener("abort", () => void handle.close(), { once: true });
    return handle;
  });
  // A failure is reported through ready(); unobserved, it must not crash the process.
  started.catch(() => {});
  const handle: Server = {
    get url() {
      return url;
    },
    get port() {
      return running?.bound.port ?? null;
    },
    get ports() {
      return running === null ? null : otherPorts(running);
    },
    ready: () => started,
    close: async () => {
      await started.catch(() => null);
      const server = running;
      running = null;
      await server?.close();
    },
    reloadTls: () =>
      running?.reloadTls() ?? Promise.resolve({ kind: "unchanged", message: "nothing to reload (not listening)" }),
    reopenLog: () => running?.reopenLog() ?? { kind: "reopened" },
  };
  return handle;
}

async function start(deps: ServeDeps, options: ServeOptions): Promise<Started> {
  const config = serveConfig(options);
  if (config.kind === "failed") throw new Error(`sundial: ${config.message}`);
  const launched = await launch(deps, config.value, (line) => deps.output.err(line));
  if (launched.kind === "failed") throw new Error(`sundial: ${launched.message}`);
  return launched.started;
}

function otherPorts(started: Started): ServerPorts {
  const { bound } = started;
  return {
    admin: bound.adminPort,
    redirect: bound.redirectPort,
    daytime: bound.servicePorts.get("daytime") ?? null,
    time: bound.servicePorts.get("time") ?? null,
  };
}
