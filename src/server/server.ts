import { type ConnectionContext, HttpConnection } from "../connection/connection.ts";
import type { App } from "../app.ts";
import type { HttpLimits } from "../http/limits.ts";
import { clientAddress, isLoopback } from "../http/client-address.ts";
import { fieldLines } from "../http/response.ts";
import type { Clock } from "../ports/clock.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import type { Socket } from "../ports/socket.ts";
import type { Listener, ListenResult, TlsChange, TlsCredentials, TlsListen, Transport } from "../ports/transport.ts";
import { type AddressCount, evictOne } from "./eviction.ts";
import { turnAway } from "./turn-away.ts";
import type { ServerObserver } from "../connection/observer.ts";
import { isTrusted, type TrustList } from "../proxy/trust-list.ts";
import { forwardingLookup } from "./forwarding.ts";
import { rateLimited } from "./error-log.ts";

export interface ServerDeps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly output: ConsoleOutput;
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
   * cheap to lose (lingering, idle, or slowest to send its request; from the address holding the
   * most connections first); only when every one is answering is it answered 503 and closed.
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

/** Time the server waits on shutdown for responses in progress, unless told otherwise. */
const SHUTDOWN_GRACE_MS = 5_000;

/** Composes the core from its ports and starts listening. */
export async function startServer(deps: ServerDeps, options: ServerOptions): Promise<StartResult> {
  /** Every connection, with the count of its address's connections. */
  const connections = new Map<HttpConnection, AddressCount>();
  const perAddress = new Map<string, AddressCount>();
  const perAddressCap = options.maxConnectionsPerIp;
  let closing = false;
  /** Forgets a connection (once, whether it closed or was evicted). */
  const observer = options.observer;
  const trust = options.trustProxy ?? null;
  const release = (connection: HttpConnection): void => {
    const count = connections.get(connection);
    if (count === undefined) return;
    connections.delete(connection);
    observer?.connection?.(false);
    // Released under the address it was taken under, not the client a PROXY header named since.
    if (--count.connections === 0) perAddress.delete(count.address);
  };
  const errorLog = rateLimited(deps.output.err, deps.clock);
  const context: ConnectionContext<HttpConnection> = {
    limits: options.limits,
    clock: deps.clock,
    scheme: options.tls === undefined ? "http" : "https",
    handle: options.app.handle,
    commonHeaders: (options.serverHeader === null ? "" : `Server: ${options.serverHeader}\r\n`) +
      fieldLines([...options.app.headers, ...(options.headers ?? [])]),
    streamBodies: options.app.readsBodies ?? false,
    logError: (message) => errorLog(`sundial: ${message}`),
    isClosing: () => closing,
    onClosed: release,
    observer,
    forwarding: trust === null ? undefined : forwardingLookup(trust),
    acceptsProxyHeader: trust !== null && options.proxyProtocol === true ? (peer) => isTrusted(trust, peer) : undefined,
  };
  const exempt = (address: string): boolean =>
    (!options.capLoopback && isLoopback(address)) || (trust !== null && isTrusted(trust, address));
  const onConnection = (socket: Socket): void => {
    const address = clientAddress(socket.remoteAddress);
    let count = perAddress.get(address);
    if (perAddressCap > 0 && count !== undefined && count.connections >= perAddressCap && !exempt(address)) {
      return turnAway(socket, deps.clock, context.commonHeaders);
    }
    if (connections.size >= options.maxConnections && !evictOne(connections, release)) {
      return turnAway(socket, deps.clock, context.commonHeaders);
    }
    // Looked up again: the eviction may have closed this address's last connection.
    count = perAddress.get(address);
    if (count === undefined) perAddress.set(address, count = { address, connections: 0 });
    count.connections++;
    observer?.connection?.(true);
    connections.set(new HttpConnection(socket, context), count);
  };
  const bound = await listenAnywhere(
    deps.transport,
    { host: options.host, port: options.port, tls: options.tls },
    onConnection,
  );
  if (bound.kind === "failed") return bound;
  const listener = bound.listener;
  const services: Listener[] = [];
  const servicePorts = new Map<string, number>();
  for (const service of options.services) {
    const result = await listenAnywhere(deps.transport, { host: options.host, port: service.port }, service.answer);
    if (result.kind === "failed") {
      for (const l of [listener, ...services]) await l.close();
      return {
        kind: "failed",
        code: result.code,
        message: `${service.name} service: ${result.message}`,
        port: service.port,
      };
    }
    services.push(result.listener);
    servicePorts.set(service.name, result.listener.port);
  }
  const server: RunningServer = {
    port: listener.port,
    host: bound.host,
    servicePorts,
    get draining() {
      return closing;
    },
    setTls: (credentials) =>
      listener.setTls?.(credentials) ??
        Promise.resolve<TlsChange>({ kind: "failed", message: "this listener does not speak TLS" }),
    close: async () => {
      closing = true;
      for (const l of services) await l.close();
      await listener.close();
      for (const connection of connections.keys()) connection.closeWhenIdle();
      await waitUntilEmpty(connections, deps.clock, options.shutdownTimeoutMs ?? SHUTDOWN_GRACE_MS);
      for (const connection of connections.keys()) connection.destroy();
    },
  };
  return { kind: "listening", server };
}

/** Binds the requested address; for "every interface", "::" (dual stack) and else "0.0.0.0". */
async function listenAnywhere(
  transport: Transport,
  options: { readonly host: string; readonly port: number; readonly tls?: TlsListen },
  onConnection: Parameters<Transport["listen"]>[1],
): Promise<{ kind: "listening"; listener: Listener; host: string } | (ListenResult & { kind: "failed" })> {
  const hosts = options.host === "" ? ["::", "0.0.0.0"] : [options.host];
  let last: (ListenResult & { kind: "failed" }) | null = null;
  for (const host of hosts) {
    const result = await transport.listen({
      host,
      port: options.port,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    }, onConnection);
    if (result.kind === "listening") return { kind: "listening", listener: result.listener, host };
    last = result;
    if (result.code === "EADDRINUSE" || result.code === "EACCES") break;
  }
  return last!;
}

function waitUntilEmpty(
  connections: ReadonlyMap<HttpConnection, AddressCount>,
  clock: Clock,
  graceMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    const started = clock.now();
    const check = (): void => {
      if (connections.size === 0 || clock.now() - started >= graceMs) resolve();
      else clock.after(50, check);
    };
    check();
  });
}
