import type { Socket } from "../../src/ports/socket.ts";
import type { Transport } from "../../src/ports/transport.ts";
import { WriteQueue } from "../../src/ports/write-queue.ts";
import { listenTcp } from "./tcp-listener.ts";
import { denoTlsListen } from "./tls-transport.ts";

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
      // A pause() that came while the read waited holds what it read until resume() (the Socket's contract).
      if (paused) await new Promise<void>((resolve) => (resumeReading = resolve));
      if (closed) return;
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

/** Plain TCP: Deno.listen, each Deno.TcpConn wrapped; TLS: runtime-adapters/deno/tls-transport.ts. */
export const denoTransport: Transport = {
  listen: (options, onConnection) => {
    if (options.tls !== undefined) return denoTlsListen(options, options.tls, onConnection);
    return Promise.resolve(listenTcp(options, (conn) => onConnection(wrap(conn))));
  },
};
