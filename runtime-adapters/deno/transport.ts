import type { Listener, Socket, ListenResult, TlsChange, TlsCredentials, TlsListen, Transport } from "../../src/ports.ts";
import { plainKey } from "./tls-key.ts";
import { WriteQueue } from "../../src/connection/write-queue.ts";

/**
 * Each connection's pending read holds its own buffer: start small (requests are small, and
 * 1,000 idle connections then hold 4 MiB, not 16), double while reads fill it, up to 64 KiB.
 */
const FIRST_READ_SIZE = 4 * 1024;
const MAX_READ_SIZE = 64 * 1024;

/** A Deno.TcpConn (or TlsConn, once its handshake is done) as the core's Connection: a read loop, and the core's write queue. */
function wrap(conn: Deno.TcpConn | Deno.TlsConn, handshakeTimeoutMs: number | null = null): Socket {
  // TlsConn has no setNoDelay; rustls writes each record at once anyway.
  if ("setNoDelay" in conn) conn.setNoDelay(true);
  let onData: (chunk: Uint8Array) => void = () => {};
  let onEnd: () => void = () => {};
  let onClose: () => void = () => {};
  let closed = false;
  let paused = false;
  let resumeReading: (() => void) | null = null;

  const close = (): void => {
    if (closed) return;
    closed = true;
    if (handshakeTimer !== null) clearTimeout(handshakeTimer);
    queue.close();
    try {
      conn.close();
    } catch {
      // already closed by the peer
    }
    resumeReading?.();
    onClose();
  };

  // TLS: the handshake happens inside the first read (an explicit handshake() cannot be
  // abandoned: closing the conn under it leaves the socket open until the peer goes). Closing
  // under a read interrupts it, so a peer whose handshake and first bytes are not in by the
  // handshake timeout is closed that way.
  let handshakeTimer = handshakeTimeoutMs === null ? null : setTimeout(() => close(), handshakeTimeoutMs);
  const readLoop = async (): Promise<void> => {
    let buffer = new Uint8Array(FIRST_READ_SIZE);
    while (!closed) {
      if (paused) await new Promise<void>((resolve) => (resumeReading = resolve));
      if (closed) return;
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch {
        return close();
      }
      if (n === null) return onEnd();
      if (handshakeTimer !== null) {
        clearTimeout(handshakeTimer);
        handshakeTimer = null;
      }
      onData(buffer.subarray(0, n));
      // The core copies what it keeps, so a fuller buffer can be replaced at once.
      if (n === buffer.length && buffer.length < MAX_READ_SIZE) buffer = new Uint8Array(buffer.length * 2);
    }
  };

  // Each write waits for the one before it (async: a throw becomes a rejection, which closes).
  const queue = new WriteQueue({ write: async (bytes) => await conn.write(bytes), end: close, fail: close });

  return {
    remoteAddress: conn.remoteAddr.hostname,
    remotePort: conn.remoteAddr.port,
    onData: (fn) => {
      onData = fn;
      void readLoop();
    },
    onEnd: (fn) => void (onEnd = fn),
    onClose: (fn) => void (onClose = fn),
    onDrain: (fn) => queue.onDrain(fn),
    write: (chunk, onFlushed) => queue.write(chunk, onFlushed),
    pause: () => void (paused = true),
    resume: () => {
      paused = false;
      resumeReading?.();
      resumeReading = null;
    },
    end: () => queue.end(),
    destroy: close,
  };
}

function errorCode(error: unknown): string {
  if (error instanceof Deno.errors.AddrInUse) return "EADDRINUSE";
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) return "EACCES";
  if (error instanceof Deno.errors.AddrNotAvailable) return "EADDRNOTAVAIL";
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : "UNKNOWN";
}

async function acceptLoop(listener: Deno.Listener, onConnection: (c: Socket) => void, handshakeTimeoutMs: number | null): Promise<void> {
  for (;;) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (error instanceof Deno.errors.BadResource) return; // the listener was closed
      // A failed accept (e.g. too many open files) must not stop the server, nor spin: wait a little.
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    onConnection(wrap(conn as Deno.TcpConn | Deno.TlsConn, handshakeTimeoutMs));
  }
}

type Bound = { kind: "bound"; listener: Deno.Listener } | { kind: "failed"; code: string; message: string };

function bind(options: { host: string; port: number; tls?: TlsListen; reusePort?: boolean }, credentials: TlsCredentials | undefined): Bound {
  // --workers: reusePort (which Deno allows only with --unstable-net; workers are started with it).
  const shared = options.reusePort === true ? { reusePort: true } : {};
  try {
    if (credentials === undefined) return { kind: "bound", listener: Deno.listen({ hostname: options.host, port: options.port, transport: "tcp", ...shared }) };
    const key = plainKey(credentials);
    if (key.kind === "failed") return { kind: "failed", code: "TLS", message: key.message };
    // rustls: TLS 1.2 and 1.3 only. ALPN http/1.1 (RFC 7301).
    return { kind: "bound", listener: Deno.listenTls({ hostname: options.host, port: options.port, transport: "tcp", ...shared, cert: credentials.cert, key: key.pem, alpnProtocols: ["http/1.1"] }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "failed", code: credentials === undefined ? errorCode(error) : tlsCode(error), message };
  }
}

/** A bad certificate or key is "TLS"; the address errors stay theirs. */
function tlsCode(error: unknown): string {
  const code = errorCode(error);
  return code === "UNKNOWN" ? "TLS" : code;
}

export const denoTransport: Transport = {
  listen: (options, onConnection) => {
    const first = bind(options, options.tls);
    if (first.kind === "failed") return Promise.resolve<ListenResult>(first);
    let current = first.listener;
    const timeout = options.tls?.handshakeTimeoutMs ?? null;
    void acceptLoop(current, onConnection, timeout);
    const port = (current.addr as Deno.NetAddr).port;
    const listener: Listener = {
      port,
      close: () => Promise.resolve().then(() => current.close()).catch(() => {}), // catch: already closed
    };
    if (options.tls === undefined) return Promise.resolve<ListenResult>({ kind: "listening", listener });
    // Deno.listenTls takes its certificate once. With reusePort (--workers, which runs Deno with
    // --unstable-net) the new listener is bound beside the old, which then closes. Without it a
    // second listener cannot share the port (asking for reusePort without the flag ends the
    // process), and closing first does not free the port while accept() is pending (measured:
    // "Address already in use"), so the reload is refused with the reason.
    const setTls = (credentials: TlsCredentials): Promise<TlsChange> => {
      if (options.reusePort !== true) {
        return Promise.resolve({ kind: "failed", message: "Deno cannot change a TLS listener's certificate without --unstable-net (Deno.listenTls takes it once); restart sundial to load the new one" });
      }
      const next = bind({ host: options.host, port, reusePort: true }, credentials);
      if (next.kind === "failed") return Promise.resolve({ kind: "failed", message: next.message });
      const old = current;
      current = next.listener;
      void acceptLoop(current, onConnection, timeout);
      old.close();
      return Promise.resolve({ kind: "changed" });
    };
    return Promise.resolve<ListenResult>({ kind: "listening", listener: { ...listener, setTls } });
  },
};
