import type { Socket as BunSocket, TCPSocketListener, TCPSocketListenOptions } from "bun";
import type { Socket } from "../../src/ports/socket.ts";
import type {
  Listener,
  ListenOptions,
  ListenResult,
  TlsCredentials,
  TlsListen,
  Transport,
} from "../../src/ports/transport.ts";
import { tlsReload } from "../../src/ports/tls-reload.ts";
import { WriteQueue } from "../../src/ports/write-queue.ts";
import { collectReadBuffers } from "./read-garbage.ts";

/** How long a destroyed socket may take to close after its FIN before it is reset. */
const TERMINATE_AFTER_MS = 1000;

/** Per-socket state: the core's callbacks, and the bytes Bun's write() did not take yet. */
class BunConnection implements Socket {
  readonly remoteAddress: string;
  readonly remotePort: number;
  dataFn: (chunk: Uint8Array) => void = () => {};
  endFn: () => void = () => {};
  closeFn: () => void = () => {};
  private closed = false;
  /** Bun may take only part of the bytes; the rest waits for its drain handler (flush). */
  readonly queue: WriteQueue;

  /** The protocol ALPN agreed on (a TLS socket is handed over after its handshake); null: none. */
  readonly alpnProtocol: string | null;

  constructor(private readonly socket: BunSocket<BunConnection>) {
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    const alpn = (socket as { alpnProtocol?: string | false | null }).alpnProtocol;
    this.alpnProtocol = typeof alpn === "string" ? alpn : null;
    this.queue = new WriteQueue({
      write: (bytes) => socket.write(bytes),
      end: () => socket.end(),
      fail: () => socket.terminate(),
    });
  }

  onData(fn: (chunk: Uint8Array) => void): void {
    this.dataFn = fn;
  }
  onEnd(fn: () => void): void {
    this.endFn = fn;
  }
  onClose(fn: () => void): void {
    this.closeFn = fn;
  }
  onDrain(fn: () => void): void {
    this.queue.onDrain(fn);
  }
  write(chunk: Uint8Array, onFlushed?: () => void): boolean {
    return this.queue.write(chunk, onFlushed);
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  end(): void {
    this.queue.end();
  }
  destroy(): void {
    this.queue.close();
    // terminate() resets the connection (SO_LINGER 0), where node's destroy() and deno's close()
    // send a FIN after what the kernel still holds: a download cut short would end differently.
    // So end() here too; terminate() only if the peer has not closed within a second, so that a
    // client that neither reads nor closes does not keep the descriptor. Nothing more is read: a
    // client flooding the connection it was cut from (HTTP/2's unread acknowledgements) fills
    // its own buffers, not our reads, for that second.
    this.socket.end();
    this.socket.pause();
    setTimeout(() => {
      if (!this.closed) this.socket.terminate();
    }, TERMINATE_AFTER_MS);
  }

  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.close();
    this.closeFn();
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const message = error instanceof Error ? error.message : String(error);
  if (/in use/i.test(message)) return "EADDRINUSE";
  if (/permission|EACCES/i.test(message)) return "EACCES";
  return "UNKNOWN";
}

/** ALPN's wire form (RFC 7301 §3.1: each name after its length), which Bun takes as bytes; h2 first with HTTP/2 on. */
const ALPN_HTTP_1_1 = new Uint8Array([8, ...new TextEncoder().encode("http/1.1")]).buffer;
const ALPN_H2_HTTP_1_1 =
  new Uint8Array([2, ...new TextEncoder().encode("h2"), 8, ...new TextEncoder().encode("http/1.1")])
    .buffer;

/** Bun's TLS options: BoringSSL, whose lowest version Bun leaves at TLS 1.2 (measured: a TLS 1.1 hello gets "protocol version"). */
function tlsOptions(credentials: TlsCredentials, http2: boolean): Record<string, unknown> {
  return {
    cert: credentials.cert,
    key: credentials.key,
    passphrase: credentials.passphrase ?? undefined,
    ALPNProtocols: http2 ? ALPN_H2_HTTP_1_1 : ALPN_HTTP_1_1,
  };
}

function bind(
  options: { host: string; port: number; tls?: TlsListen; reusePort?: boolean },
  credentials: TlsCredentials | undefined,
  onConnection: (connection: Socket) => void,
): { kind: "bound"; listener: TCPSocketListener<BunConnection> } | ListenResult & { kind: "failed" } {
  const handshakeMs = options.tls?.handshakeTimeoutMs ?? 0;
  // Bun's own socket.timeout() counts in coarse steps (measured: 1 s fired after 4 s): a timer of ours instead.
  const handshakes = new WeakMap<BunSocket<BunConnection>, ReturnType<typeof setTimeout>>();
  const accept = (socket: BunSocket<BunConnection>): void => {
    socket.setNoDelay(true);
    socket.data = new BunConnection(socket);
    onConnection(socket.data);
  };
  try {
    const listenOptions: TCPSocketListenOptions<BunConnection> = {
      hostname: options.host,
      port: options.port,
      // Without exclusive, another process could bind the same port and "port in use" would go
      // unnoticed. A TLS listener takes reusePort instead: a certificate reload binds the new
      // listener beside the old before closing it (Linux; another process must ask for it too,
      // and listen() first checks that no one holds the port: claimPort). --workers asks for
      // reusePort on plain listeners too: every worker listens on the port.
      ...(credentials === undefined
        ? (options.reusePort === true ? { reusePort: true } : { exclusive: true })
        : { reusePort: true, tls: tlsOptions(credentials, options.tls?.http2 === true) }),
      allowHalfOpen: true,
      socket: {
        open(socket) {
          // TLS: the core gets the socket once the handshake is done; until then only Bun's timeout watches it.
          if (credentials === undefined) accept(socket);
          else handshakes.set(socket, setTimeout(() => socket.terminate(), handshakeMs));
        },
        handshake(socket, success) {
          // A failed handshake (plain HTTP on this port, an old protocol) ends with a FIN, as on
          // Node and Deno; terminate() would reset it. The close event then frees the socket.
          if (!success) {
            clearTimeout(handshakes.get(socket));
            return void socket.end();
          }
          clearTimeout(handshakes.get(socket));
          handshakes.delete(socket);
          accept(socket);
        },
        data: (socket, data) => {
          socket.data.dataFn(data);
          collectReadBuffers(data.length);
        },
        drain: (socket) => socket.data.queue.flush(),
        end: (socket) => socket.data?.endFn(),
        close: (socket) => {
          clearTimeout(handshakes.get(socket));
          socket.data?.handleClose();
        },
        error: () => {},
      },
    };
    const listener = Bun.listen<BunConnection>(listenOptions);
    return { kind: "bound", listener };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = errorCode(error);
    return { kind: "failed", code: credentials !== undefined && code === "UNKNOWN" ? "TLS" : code, message };
  }
}

/**
 * Bun's listener takes its certificate once (reload() changes only the handlers, measured on
 * 1.4.5), so a TLS listener is opened with reusePort for SIGHUP's new listener to bind beside
 * it. Alone, that would let a second sundial on the port start and take a share of the
 * connections (SO_REUSEPORT: Linux lets sockets of the same user that all ask for it share a
 * port). So the port is first bound exclusively, which fails as Node and Deno fail when anyone
 * holds it, then let go for the TLS listener (port 0: the port the kernel picked). Another
 * process would have to bind it with SO_REUSEPORT within those microseconds to join.
 * With --workers (reusePort asked for) the port is meant to be shared: nothing to check.
 */
function claimPort(options: ListenOptions): { kind: "free"; port: number } | ListenResult & { kind: "failed" } {
  if (options.tls === undefined || options.reusePort === true) return { kind: "free", port: options.port };
  const probe = bind({ host: options.host, port: options.port }, undefined, () => {});
  if (probe.kind === "failed") return probe;
  const port = probe.listener.port;
  probe.listener.stop(true);
  return { kind: "free", port };
}

export const bunTransport: Transport = {
  listen: (options, onConnection) => {
    const claimed = claimPort(options);
    if (claimed.kind === "failed") return Promise.resolve<ListenResult>(claimed);
    const first = bind({ ...options, port: claimed.port }, options.tls, onConnection);
    if (first.kind === "failed") return Promise.resolve<ListenResult>(first);
    const port = first.listener.port;
    // Bun's listener takes its certificate once: a new listener on the same port (reusePort)
    // takes over, then the old one stops accepting; open connections stay where they are.
    const reload = tlsReload(first.listener, (credentials) => {
      const next = bind({ host: options.host, port, tls: options.tls }, credentials, onConnection);
      return next.kind === "failed" ? next : { kind: "ready", value: next.listener };
    }, (old) => old.stop(false));
    const listener: Listener = {
      port,
      close: () => {
        reload.current().stop(false);
        return Promise.resolve();
      },
    };
    if (options.tls === undefined) return Promise.resolve<ListenResult>({ kind: "listening", listener });
    return Promise.resolve<ListenResult>({ kind: "listening", listener: { ...listener, setTls: reload.setTls } });
  },
};
