/** Binding listeners: "every interface" as both stacks where the system allows, and the raw services. */
import type { Listener, ListenResult, Socket, TlsListen, Transport } from "../ports.ts";

/** A listener whose connections are not HTTP: each socket goes to `answer` as it is accepted. */
export interface RawService {
  readonly name: string;
  readonly port: number;
  readonly answer: (socket: Socket) => void;
}

type Failed = ListenResult & { kind: "failed" };

export interface BoundListener {
  readonly listener: Listener;
  readonly host: string;
}

/** Binds the requested address; for "every interface" (""), "::" (dual stack) and else "0.0.0.0". */
export async function listenAnywhere(
  transport: Transport,
  options: { readonly host: string; readonly port: number; readonly tls?: TlsListen },
  onConnection: Parameters<Transport["listen"]>[1],
): Promise<({ kind: "listening" } & BoundListener) | Failed> {
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

export type ServicesStart =
  /** Each service's listener, and the address it bound ("::" or "0.0.0.0" for every interface). */
  | { readonly kind: "listening"; readonly listeners: ReadonlyMap<string, BoundListener> }
  /** port: the port that could not be bound; the ones opened before it are closed again. */
  | { readonly kind: "failed"; readonly code: string; readonly message: string; readonly port: number };

/** Each raw service on its own port, all or none. */
export async function listenServices(
  transport: Transport,
  host: string,
  services: readonly RawService[],
): Promise<ServicesStart> {
  const listeners = new Map<string, BoundListener>();
  for (const service of services) {
    const result = await listenAnywhere(transport, { host, port: service.port }, service.answer);
    if (result.kind === "failed") {
      for (const opened of listeners.values()) await opened.listener.close();
      return {
        kind: "failed",
        code: result.code,
        message: `${service.name} service: ${result.message}`,
        port: service.port,
      };
    }
    listeners.set(service.name, { listener: result.listener, host: result.host });
  }
  return { kind: "listening", listeners };
}
