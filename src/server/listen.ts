import type { Listener, ListenResult, TlsListen, Transport } from "../ports/transport.ts";

type Failed = ListenResult & { kind: "failed" };

/** The main listener, bound. */
export interface Bound {
  readonly kind: "listening";
  readonly listener: Listener;
  /** The address actually bound. */
  readonly host: string;
}

/** The raw services' listeners, bound. */
export interface BoundServices {
  readonly kind: "listening";
  readonly listeners: readonly Listener[];
  /** The port each answers on, by name. */
  readonly ports: ReadonlyMap<string, number>;
  /** The address each bound, by name ("::" or "0.0.0.0" for every interface). */
  readonly hosts: ReadonlyMap<string, string>;
}

/** A service (server.ts RawService) as listening needs it. */
interface Service {
  readonly name: string;
  readonly port: number;
  readonly answer: Parameters<Transport["listen"]>[1];
}

/** Binds the requested address; for "every interface", "::" (dual stack) and else "0.0.0.0". */
export async function listenAnywhere(
  transport: Transport,
  options: { readonly host: string; readonly port: number; readonly tls?: TlsListen },
  onConnection: Parameters<Transport["listen"]>[1],
): Promise<Bound | Failed> {
  const hosts = options.host === "" ? ["::", "0.0.0.0"] : [options.host];
  let last: Failed | null = null;
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

/**
 * Binds each raw service on the host, in turn; if one cannot be bound, every listener opened
 * (`opened` first, such as the main one, then the services bound so far) is closed and the
 * failure names the service. The server and the --workers supervisor both start them so.
 */
export async function listenServices(
  transport: Transport,
  host: string,
  services: readonly Service[],
  opened: readonly Listener[] = [],
): Promise<BoundServices | Failed & { readonly port: number }> {
  const listeners: Listener[] = [];
  const ports = new Map<string, number>();
  const hosts = new Map<string, string>();
  for (const service of services) {
    const result = await listenAnywhere(transport, { host, port: service.port }, service.answer);
    if (result.kind === "failed") {
      await closeInTurn([...opened, ...listeners]);
      return {
        kind: "failed",
        code: result.code,
        message: `${service.name} service: ${result.message}`,
        port: service.port,
      };
    }
    listeners.push(result.listener);
    ports.set(service.name, result.listener.port);
    hosts.set(service.name, result.host);
  }
  return { kind: "listening", listeners, ports, hosts };
}

/** Closes each listener, one after the other. */
export async function closeInTurn(listeners: readonly Listener[]): Promise<void> {
  for (const listener of listeners) await listener.close();
}
