import { type ConnectionContext, HttpConnection } from "../connection/connection.ts";
import type { App } from "../app.ts";
import type { HttpLimits } from "../http/limits.ts";
import { clientAddress } from "../http/client-address.ts";
import { fieldLines } from "../http/response.ts";
import { HandlerPool } from "../http2/handler-pool.ts";
import { type Http2Options, http2Options } from "../http2/limits.ts";
import type { Clock } from "../ports/clock.ts";
import type { Compressor } from "../ports/compress.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import type { Socket } from "../ports/socket.ts";
import type { TlsChange, TlsCredentials, TlsListen, Transport } from "../ports/transport.ts";
import { turnAway } from "./turn-away.ts";
import type { ServerObserver } from "../connection/observer.ts";
import { isTrusted, type TrustList } from "../proxy/trust-list.ts";
import { forwardingLookup } from "./forwarding.ts";
import { rateLimited } from "./error-log.ts";
import { capExempt, ConnectionCaps } from "./connection-caps.ts";
import { type Bound, type BoundServices, closeInTurn, listenAnywhere, listenServices } from "./listen.ts";
import { drainConnections, SHUTDOWN_GRACE_MS } from "./shutdown.ts";

export interface ServerDeps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly output: ConsoleOutput;
  /** For WebSocket's permessage-deflate; without it (or its raw streams) compression is never negotiated. */
  readonly compressor?: Compressor;
}

export interface ServerOptions {
  /** What every connection serves. */
  readonly app: App;
  /** The Server field's value (RFC 9110 §10.2.4), e.g. "sundial/0.1.0"; null sends none. */
  readonly serverHeader: string | null;
  /** Fields added to every response, after the app's own (--header: HSTS, CSP and the like). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly limits: HttpLimits;
  /**
   * Connections served at once. At the cap a new connection takes the place of one that is
   * cheap to lose (eviction.ts: lingering, idle, or still sending its request first; from the
   * address holding the most connections first); only when every one is writing its response is
   * it answered 503 and closed.
   */
  readonly maxConnections: number;
  /** Connections from one client address at once; one more is answered 503 and closed. 0: no cap. */
  readonly maxConnectionsPerIp: number;
  /**
   * Whether that cap applies to loopback peers (127.0.0.0/8, ::1) too. The default leaves them
   * alone: on this host they are a reverse proxy or a load test, and an attacker there already
   * has the machine. Trusted proxies (trustProxy) are exempt the same way.
   */
  readonly capLoopback: boolean;
  /** Address to bind; "" means every interface (IPv6 and IPv4 where the system allows). */
  readonly host: string;
  readonly port: number;
  /** Raw TCP services beside HTTP (RFC 867 Daytime, RFC 868 Time), each on its own port (0: any free port). */
  readonly services: readonly RawService[];
  /** Who watches exchanges, connections and event streams (the access log, the metrics). */
  readonly observer?: ServerObserver;
  /**
   * Proxies whose forwarding fields are believed (--trust-proxy): the client they name is the
   * client for the app, /time and the log. They are exempt from the per-address cap, as loopback is.
   */
  readonly trustProxy?: TrustList | null;
  /** Trusted peers may open with a PROXY protocol header (--proxy-protocol). */
  readonly proxyProtocol?: boolean;
  /** How long close() waits for responses in progress before closing the rest (default 5 s). */
  readonly shutdownTimeoutMs?: number;
  /** HTTPS on the main listener (the raw services stay plain TCP). */
  readonly tls?: TlsListen;
  /**
   * HTTP/2 beside HTTP/1.1 (--http2): ALPN "h2" on TLS, and prior knowledge (h2c) on plain TCP,
   * with these limits over the defaults (src/http2/limits.ts). Absent: HTTP/1.1 only.
   */
  readonly http2?: Partial<Http2Options>;
}

/** A listener whose connections are not HTTP: each socket goes to `answer` as it is accepted. */
export interface RawService {
  readonly name: string;
  readonly port: number;
  readonly answer: (socket: Socket) => void;
}

export interface RunningServer {
  readonly port: number;
  /** The port each raw service answers on, by name. */
  readonly servicePorts: ReadonlyMap<string, number>;
  /** The address actually bound ("::" or "0.0.0.0" when every interface was asked for). */
  readonly host: string;
  /** Stops accepting, lets responses in progress finish (up to the shutdown timeout), closes the rest. */
  close(): Promise<void>;
  /** True from the moment close() is called: a readiness check answers 503. */
  readonly draining: boolean;
  /** New credentials for the TLS listener (SIGHUP); failed without TLS. */
  setTls(credentials: TlsCredentials): Promise<TlsChange>;
}

export type StartResult =
  | { readonly kind: "listening"; readonly server: RunningServer }
  /** port: the port that could not be bound. */
  | { readonly kind: "failed"; readonly code: string; readonly message: string; readonly port?: number };

/** Composes the core from its ports and starts listening: HTTP on the main listener, and the raw services. */
export async function startServer(deps: ServerDeps, options: ServerOptions): Promise<StartResult> {
  const trust = options.trustProxy ?? null;
  const caps = new ConnectionCaps(options, capExempt(options.capLoopback, trust), options.observer);
  const shutdown = { closing: false };
  const context = connectionContext(deps, options, caps.release, () => shutdown.closing);
  const onConnection = (socket: Socket): void => {
    const address = clientAddress(socket.remoteAddress);
    if (!caps.admit(address)) return turnAway(socket, deps.clock, context.commonHeaders);
    caps.add(address, () => new HttpConnection(socket, context));
  };
  const tls = options.tls === undefined ? undefined : { ...options.tls, http2: options.http2 !== undefined };
  const listen = { host: options.host, port: options.port, tls };
  const main = await listenAnywhere(deps.transport, listen, onConnection);
  if (main.kind === "failed") return main;
  const services = await listenServices(deps.transport, options.host, options.services, [main.listener]);
  if (services.kind === "failed") return services;
  const graceMs = options.shutdownTimeoutMs ?? SHUTDOWN_GRACE_MS;
  const drainRest = (): Promise<void> => drainConnections(caps.connections, deps.clock, graceMs);
  return { kind: "listening", server: runningServer(main, services, shutdown, drainRest) };
}

/** What the server gives each connection: the app, the limits, the fields every response carries, and how to report back. */
function connectionContext(
  deps: ServerDeps,
  options: ServerOptions,
  onClosed: (connection: HttpConnection) => void,
  isClosing: () => boolean,
): ConnectionContext<HttpConnection> {
  const trust = options.trustProxy ?? null;
  const errorLog = rateLimited(deps.output.err, deps.clock);
  const http2 = options.http2 === undefined
    ? undefined
    : http2Options({ maxBodyBytes: options.limits.maxBodyBytes, ...options.http2 });
  return {
    limits: options.limits,
    clock: deps.clock,
    scheme: options.tls === undefined ? "http" : "https",
    handle: options.app.handle,
    commonHeaders: commonHeaders(options),
    commonFields: commonFields(options),
    http2,
    http2Pool: http2 === undefined ? undefined : new HandlerPool(http2.sharedHandlers),
    streamBodies: options.app.readsBodies ?? false,
    logError: (message) => errorLog(`sundial: ${message}`),
    isClosing,
    onClosed,
    observer: options.observer,
    forwarding: trust === null ? undefined : forwardingLookup(trust),
    acceptsProxyHeader: trust !== null && options.proxyProtocol === true ? (peer) => isTrusted(trust, peer) : undefined,
    compressor: deps.compressor,
  };
}

/** The field lines every response carries: Server (RFC 9110 §10.2.4), the app's, then --header's. */
function commonHeaders(options: ServerOptions): string {
  const server = options.serverHeader === null ? "" : `Server: ${options.serverHeader}\r\n`;
  return server + fieldLines([...options.app.headers, ...(options.headers ?? [])]);
}

/** The same fields as pairs, for HTTP/2 (its Date is added per response). */
function commonFields(options: ServerOptions): ReadonlyArray<readonly [string, string]> {
  const server: Array<readonly [string, string]> = options.serverHeader === null
    ? []
    : [["server", options.serverHeader]];
  return [...server, ...options.app.headers, ...(options.headers ?? [])];
}

/**
 * The handle on a listening server. Its close() stops accepting (the services, then the main
 * listener), then hands the connections to drainRest.
 */
function runningServer(
  main: Bound,
  services: BoundServices,
  shutdown: { closing: boolean },
  drainRest: () => Promise<void>,
): RunningServer {
  const listener = main.listener;
  return {
    port: listener.port,
    host: main.host,
    servicePorts: services.ports,
    get draining() {
      return shutdown.closing;
    },
    setTls: (credentials) =>
      listener.setTls?.(credentials) ??
        Promise.resolve<TlsChange>({ kind: "failed", message: "this listener does not speak TLS" }),
    close: async () => {
      shutdown.closing = true;
      await closeInTurn([...services.listeners, listener]);
      await drainRest();
    },
  };
}
