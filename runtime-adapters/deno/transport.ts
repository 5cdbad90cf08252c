import type { Socket, ListenResult, Transport } from "../../src/ports.ts";
import { WriteQueue } from "../../src/connection/write-queue.ts";

/**
 * Each connection's pending read holds its own buffer: start small (requests are small, and
 * 1,000 idle connections then hold 4 MiB, not 16), double while reads fill it, up to 64 KiB.
 */
const FIRST_READ_SIZE = 4 * 1024;
const MAX_READ_SIZE = 64 * 1024;

/** A Deno.TcpConn as the core's Connection: a read loop, and the core's write queue. */
function wrap(conn: Deno.TcpConn): Socket {
  conn.setNoDelay(true);
  let onData: (chunk: Uint8Array) => void = () => {};
  let onEnd: () => void = () => {};
  let onClose: () => void = () => {};
  let closed = false;
  let paused = false;
  let resumeReading: (() => void) | null = null;

  const close = (): void => {
    if (closed) return;
    closed = true;
    queue.close();
    try {
      conn.close();
    } catch {
      // already closed by the peer
    }
    resumeReading?.();
    onClose();
  };

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

async function acceptLoop(listener: Deno.TcpListener, onConnection: (c: Socket) => void): Promise<void> {
  for (;;) {
    let conn: Deno.TcpConn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (error instanceof Deno.errors.BadResource) return; // the listener was closed
      // A failed accept (e.g. too many open files) must not stop the server, nor spin: wait a little.
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    onConnection(wrap(conn));
  }
}

export const denoTransport: Transport = {
  listen: (options, onConnection) => {
    let listener: Deno.TcpListener;
    try {
      listener = Deno.listen({ hostname: options.host, port: options.port, transport: "tcp" });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.resolve<ListenResult>({ kind: "failed", code: errorCode(error), message });
    }
    void acceptLoop(listener, onConnection);
    return Promise.resolve<ListenResult>({
      kind: "listening",
      listener: {
        port: listener.addr.port,
        close: () => Promise.resolve().then(() => listener.close()).catch(() => {}), // catch: already closed
      },
    });
  },
};
