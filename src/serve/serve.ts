import type { App } from "../app.ts";
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  type HttpLimits,
} from "../http/limits.ts";
import { type RunningServer, type ServerDeps, startServer } from "../server/server.ts";
import { site, type SiteDeps, siteRoot } from "../site/site.ts";
import { httpUrl, isEveryInterface } from "../server/listen-url.ts";
import { DEFAULT_SITE, type SiteOptions } from "../static/options.ts";
import { fetchApp, type FetchHandler } from "../fetch/fetch-app.ts";
import { SERVER_HEADER } from "../version.ts";
import { checkCredentials, DEFAULT_HANDSHAKE_TIMEOUT_MS } from "../tls/credentials.ts";
import { type AppErrors, catchAppErrors } from "../ops/app-errors.ts";
import type { Uncaught } from "../ports/uncaught.ts";

/** What serve() needs from the runtime: the server's ports and, for static files, the site's. */
export interface ServeDeps extends ServerDeps, SiteDeps {
  /** The process's errors nothing caught (catchUncaught). */
  readonly uncaught: Uncaught;
}

/** serve()'s options: the names Bun's and Deno's serve() and srvx use, plus sundial's limits. */
export interface ServeOptions {
  /** The app: (request, info) => Response. */
  readonly fetch: FetchHandler;
  /** Port to listen on (default 3000, as Bun's serve() and srvx; 0 picks a free one). */
  readonly port?: number;
  /** Address to listen on (default: every interface, IPv6 and IPv4). */
  readonly hostname?: string;
  /** Aborting it closes the server (as Deno's serve() signal). */
  readonly signal?: AbortSignal;
  /** Largest request body in bytes, else 413 (Bun's name; default 1 MiB, as --max-body). */
  readonly maxRequestBodySize?: number;
  /** Any of sundial's limits (--max-header-size, the timeouts, ...; src/http/limits.ts). */
  readonly limits?: Partial<HttpLimits>;
  readonly maxConnections?: number;
  readonly maxConnectionsPerIp?: number;
  /** Serve a folder and /time too: a request goes to /time, else an existing file, else the app. */
  readonly static?: { readonly root: string } & Partial<SiteOptions>;
  /**
   * HTTPS, as Bun's and Deno's serve() take it: PEM text of the certificate (its chain after it)
   * and the key, not file names. request.url then starts with https.
   */
  readonly tls?: {
    readonly cert: string;
    readonly key: string;
    readonly passphrase?: string;
    readonly handshakeTimeoutMs?: number;
  };
  /**
   * While the server runs, an unhandled rejection or uncaught exception does not end the process
   * (each runtime's default): it is one line on stderr (at most 10 a second, naming the request
   * where the runtime can tell) and the server goes on. Only for an event the program has no
   * handler of its own for: with `process.on("unhandledRejection", ...)` (Node, Bun) or a Deno
   * listener that calls preventDefault() first, that handler decides. Removed by close().
   * Default true; false leaves the process as the runtime has it.
   */
  readonly catchUncaught?: boolean;
}

/** What serve() returns (srvx's shape): url and port once listening. */
export interface Server {
  /** "http://host:port/" (https with tls) once listening, else null. */
  readonly url: string | null;
  /** The port once listening (the one picked, for port 0), else null. */
  readonly port: number | null;
  /** Resolves once listening; rejects when the port cannot be bound or the folder is missing. */
  ready(): Promise<Server>;
  /** Stops accepting, lets responses in progress finish (up to 5 s), closes the rest. */
  close(): Promise<void>;
}

/** Runs a fetch handler on the raw-TCP core; starts listening at once (await ready()). */
export function serve(deps: ServeDeps, options: ServeOptions): Server {
  let running: RunningServer | null = null;
  let url: string | null = null;
  const hostname = options.hostname ?? "";
  const errors = options.catchUncaught === false ? null : catchAppErrors(deps);
  const started = start(deps, options, hostname, errors).then((server) => {
    running = server;
    url = httpUrl(
      isEveryInterface(hostname) ? "localhost" : hostname,
      server.port,
      options.tls === undefined ? "http" : "https",
    );
    options.signal?.addEventListener("abort", () => void handle.close(), { once: true });
    return handle;
  });
  // A failure is reported through ready(); unobserved, it must not crash the process.
  started.catch(() => errors?.stop());
  const handle: Server = {
    get url() {
      return url;
    },
    get port() {
      return running?.port ?? null;
    },
    ready: () => started,
    close: async () => {
      await started.catch(() => null);
      const server = running;
      running = null;
      await server?.close();
      errors?.stop();
    },
  };
  return handle;
}

async function start(
  deps: ServeDeps,
  options: ServeOptions,
  hostname: string,
  errors: AppErrors | null,
): Promise<RunningServer> {
  const limits: HttpLimits = {
    ...DEFAULT_LIMITS,
    ...options.limits,
    ...(options.maxRequestBodySize === undefined ? {} : { maxBodyBytes: options.maxRequestBodySize }),
  };
  const port = options.port ?? 3000;
  const fetched: App = fetchApp(options.fetch, {
    fallbackHost: `localhost:${port}`,
    scheme: options.tls === undefined ? "http" : "https",
  });
  let app = errors === null ? fetched : errors.tag(fetched);
  const tls = options.tls;
  if (tls !== undefined) {
    const checked = checkCredentials(
      { path: "tls.cert", text: tls.cert },
      { path: "tls.key", text: tls.key },
      tls.passphrase ?? null,
    );
    if (checked.kind === "failed") throw new Error(`sundial: ${checked.message}`);
  }
  if (options.static !== undefined) {
    const { root: dir, ...siteOptions } = options.static;
    const folder = await siteRoot(deps.fs, dir);
    if (folder.kind === "failed") throw new Error(`sundial: static root: ${folder.message}`);
    app = site(deps, folder.root, { ...DEFAULT_SITE, ...siteOptions }, app);
  }
  const result = await startServer(deps, {
    app,
    serverHeader: SERVER_HEADER,
    limits,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP,
    capLoopback: false,
    host: hostname,
    port,
    services: [],
    ...(tls === undefined ? {} : {
      tls: {
        cert: tls.cert,
        key: tls.key,
        passphrase: tls.passphrase ?? null,
        handshakeTimeoutMs: tls.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      },
    }),
  });
  if (result.kind === "failed") {
    throw new Error(
      `sundial: cannot listen on ${hostname === "" ? "" : `${hostname}:`}${
        result.port ?? port
      }: ${result.code} ${result.message}`,
    );
  }
  return result.server;
}
