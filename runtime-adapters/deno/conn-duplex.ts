import { Duplex } from "node:stream";

/** The pending read's buffer: small while idle (1,000 idle connections hold 4 MiB), doubled while reads fill it. */
const FIRST_READ_SIZE = 4 * 1024;
const MAX_READ_SIZE = 64 * 1024;

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let rest = bytes;
  while (rest.length > 0) rest = rest.subarray(await conn.write(rest));
}

/** A Deno.TcpConn as a Duplex, and the core's input backpressure on its reads. */
export interface ConnStream {
  readonly duplex: Duplex;
  /** No read of the conn until resume(): Deno's TLS layer reads its Duplex whether its TLSSocket is paused or not. */
  pause(): void;
  resume(): void;
}

/**
 * A Deno.TcpConn as a node:stream Duplex, for Deno's node:tls to run a server handshake over
 * (new tls.TLSSocket(duplex, { isServer: true })). Destroying it closes the conn, which for a
 * plain TcpConn interrupts a pending read and frees the socket at once. Reads stop while the
 * Duplex's buffer is full (push() false) until it asks again (read()), and while paused
 * (measured without: a client that sent 200 MiB behind a request the app had not answered
 * took the server from 59 to 332 MiB; with Deno.listenTls, 62).
 */
export function connDuplex(conn: Deno.TcpConn): ConnStream {
  let reading = false;
  let paused = false;
  /** The Duplex asked for data (read()) and no push() has said "enough" since. */
  let wanted = false;
  let buffer = new Uint8Array(FIRST_READ_SIZE);
  const pump = async (): Promise<void> => {
    reading = true;
    while (!duplex.destroyed && !paused && wanted) {
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch {
        duplex.destroy();
        return;
      }
      if (n === null) {
        duplex.push(null);
        return;
      }
      const chunk = buffer.subarray(0, n);
      // The chunk is handed on as it is: the next read gets a buffer of its own.
      buffer = new Uint8Array(n === buffer.length ? Math.min(buffer.length * 2, MAX_READ_SIZE) : buffer.length);
      wanted = duplex.push(chunk);
    }
    reading = false;
  };
  const duplex = new Duplex({
    // The peer's FIN reaches the TLS socket as its 'end'; the core decides when to close.
    allowHalfOpen: true,
    read: () => {
      wanted = true;
      if (!reading) void pump();
    },
    write: (chunk: Uint8Array, _encoding, done) => void writeAll(conn, chunk).then(() => done(), done),
    final: (done) => void conn.closeWrite().then(() => done(), () => done()),
    destroy: (error, done) => {
      try {
        conn.close();
      } catch {
        // already closed
      }
      done(error);
    },
  });
  return {
    duplex,
    pause: () => void (paused = true),
    resume: () => {
      paused = false;
      if (!reading) void pump();
    },
  };
}
