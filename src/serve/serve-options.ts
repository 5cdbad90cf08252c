import type { LogFormat } from "../access-log/format.ts";
import type { FetchHandler } from "../fetch/fetch-app.ts";
import type { WebSocketHandler } from "../fetch/websocket.ts";
import type { HttpLimits } from "../http/limits.ts";
import type { SiteOptions } from "../static/options.ts";
import type { Http2Options } from "../http2/limits.ts";

/** HTTPS from PEM text (as Bun's and Deno's serve() take it), from PEM files (reloadable), or self-signed. */
export type ServeTls =
  & (
    | {
      /** PEM text of the certificate (its chain after it) and the key, not file names. */
      readonly cert: string;
      readonly key: string;
    }
    | {
      /** PEM files, read at start and again by server.reloadTls() (--tls-cert, --tls-key). */
      readonly certFile: string;
      readonly keyFile: string;
    }
    | {
      /** A certificate made at start for localhost and this machine's addresses (--tls-self-signed). */
      readonly selfSigned: true;
    }
  )
  & {
    /** An encrypted key's passphrase (--tls-key-passphrase). */
    readonly passphrase?: string;
    /** How long a TLS handshake may take (--tls-handshake-timeout; default 10 s). */
    readonly handshakeTimeoutMs?: number;
    /** A plain-HTTP listener on this port answering every request with a 308 to https (--redirect-http). */
    readonly redirectHttpPort?: number;
  };

/** HTTP Basic authentication (--auth, --auth-file, --auth-scope; docs/authentication.md). */
export interface ServeAuth {
  /** Users as 'user:password', 'user:sha256:HEX' or 'user:sha512:HEX' (--auth). */
  readonly users?: readonly string[];
  /** A file of users, one a line, read again by server.reloadAuth() (--auth-file). */
  readonly file?: string;
  /** Which requests need a password: "all" (default) or "writes" (methods other than GET, HEAD, OPTIONS). */
  readonly scope?: "all" | "writes";
  /** Only requests under these paths need a password, such as ["/private/"] (--auth-path); default: every path. */
  readonly paths?: readonly string[];
}

/**
 * serve()'s options: the names Bun's and Deno's serve() and srvx use, and for everything else
 * the command line's options under their camelCase names, with the same meaning
 * (docs/apps-and-library.md lists each beside its flag).
 */
export interface ServeOptions {
  /** The app: (request, info) => Response. */
  readonly fetch: FetchHandler;
  /** Bun's WebSocket handler: info.upgrade(request) in fetch hands a request's connection to it (docs/websocket.md). */
  // deno-lint-ignore no-explicit-any -- as Bun's: each app's ws.data is its own type
  readonly websocket?: WebSocketHandler<any>;
  /** Port to listen on (default 3000, as Bun's serve() and srvx; 0 picks a free one). */
  readonly port?: number;
  /** Address to listen on (default: every interface, IPv6 and IPv4) (--host). */
  readonly hostname?: string;
  /** Aborting it closes the server (as Deno's serve() signal). */
  readonly signal?: AbortSignal;
  /** Largest request body in bytes, else 413 (Bun's name; default 1 MiB, as --max-body). */
  readonly maxRequestBodySize?: number;
  /** Any of sundial's limits (--max-header-size, the timeouts, ...; src/http/limits.ts). */
  readonly limits?: Partial<HttpLimits>;
  /** --max-connections. */
  readonly maxConnections?: number;
  /** --max-connections-per-ip (0: no cap); it then applies to loopback peers too, as the flag does. */
  readonly maxConnectionsPerIp?: number;
  /** Serve a folder and /time too: a request goes to /time, else an existing file, else the app (DIR and the site flags). */
  readonly static?: { readonly root: string } & Partial<Omit<SiteOptions, "guardedPaths">>;
  /** /time (and its page) without a folder, as --app without DIR does; implied by static. */
  readonly time?: boolean;
  /** RFC 867 Daytime and RFC 868 Time on raw TCP (--daytime-port, --time-port; 0 picks a free one). */
  readonly daytimePort?: number;
  readonly timePort?: number;
  /** HTTPS (--tls-cert/--tls-key, --tls-self-signed); request.url then starts with https. */
  readonly tls?: ServeTls;
  /** HTTP Basic in front of the app and the files, not /healthz, /readyz, /metrics (--auth, --auth-file, --auth-scope). */
  readonly auth?: ServeAuth;
  /** The access log (default none): true is combined on stdout; or its format and a file to append to (--log-format, --log). */
  readonly accessLog?: boolean | { readonly format?: LogFormat; readonly file?: string };
  /** Peers whose forwarding fields are believed: addresses and CIDR ranges (--trust-proxy). */
  readonly trustProxy?: string | readonly string[];
  /** Read a PROXY protocol v1/v2 header from trusted peers (--proxy-protocol; needs trustProxy). */
  readonly proxyProtocol?: boolean;
  /** The path everything is served under, such as /files (--base-path). */
  readonly basePath?: string;
  /** Fields added to every response (--header), such as { "Strict-Transport-Security": "max-age=31536000" }. */
  readonly headers?: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;
  /** GET /healthz and /readyz (--health). */
  readonly health?: boolean;
  /** GET /metrics, Prometheus text (--metrics). */
  readonly metrics?: boolean;
  /** /healthz, /readyz and /metrics on a port of their own instead (--admin-port; 0 picks a free one). */
  readonly adminPort?: number;
  /** How long close() waits for responses in progress (--shutdown-timeout; default 5 s here, 30 s for the command line). */
  readonly shutdownTimeoutMs?: number;
  /**
   * While the server runs, an unhandled rejection or uncaught exception does not end the process
   * (each runtime's default): it is one line on stderr (at most 10 a second, naming the request
   * where the runtime can tell) and the server goes on. Only for an event the program has no
   * handler of its own for: with `process.on("unhandledRejection", ...)` (Node, Bun) or a Deno
   * listener that calls preventDefault() first, that handler decides. Removed by close().
   * Default true; false leaves the process as the runtime has it.
   */
  readonly catchUncaught?: boolean;
  /**
   * HTTP/2 (RFC 9113) beside HTTP/1.1 (--http2): ALPN "h2" with `tls`, prior knowledge (h2c) on
   * plain TCP. `true` for the defaults, or limits over them (docs/http2.md). Default off.
   */
  readonly http2?: boolean | Partial<Http2Options>;
}
