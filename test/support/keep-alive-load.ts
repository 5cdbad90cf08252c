/**
 * A bounded load over many short keep-alive connections, on raw TCP so that each request's
 * connection is known by its client port (which test/support/proc-sockets.ts maps to the
 * process serving it): `concurrency` clients, each opening a connection, sending
 * `perConnection` GETs one after another on it, closing it and opening the next, until
 * `maxRequests` were sent or `maxMs` passed. A failure is anything but a whole 200 with the
 * expected body; the client then drops that connection and opens another. Never retried.
 */
import * as net from "node:net";

export interface LoadOptions {
  readonly port: number;
  readonly path: string;
  readonly body: string;
  readonly concurrency: number;
  readonly perConnection: number;
  readonly maxRequests: number;
  readonly maxMs: number;
  readonly timeoutMs: number;
}

export interface Failure {
  /** The connection's client port (0: it never connected). */
  readonly clientPort: number;
  /** When the connection's first whole response was read (ms into the load); null: it had none. */
  readonly firstAnswerAtMs: number | null;
  /** When its connect() began (ms into the load). */
  readonly openedAtMs: number;
  readonly atMs: number;
  readonly reason: string;
}

export interface LoadFigures {
  sent: number;
  ok: number;
  connections: number;
  readonly failures: Failure[];
}

export interface Load {
  readonly figures: LoadFigures;
  readonly began: number;
  /**
   * Connections that have had no response yet (connecting, or their first request on the way):
   * those may be anywhere between the client and a server process (a listener's queue, a hand-off).
   */
  fresh(): number;
  readonly done: Promise<LoadFigures>;
}

/** One keep-alive connection and the response it is waiting for. */
class Connection {
  clientPort = 0;
  private buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: { status: number; body: Buffer }) => void; reject: (e: Error) => void } | null = null;
  private gone: Error | null = null;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.take();
    });
    const end = (why: string): void => {
      this.gone ??= new Error(why);
      this.waiting?.reject(this.gone);
      this.waiting = null;
    };
    socket.on("error", (error: NodeJS.ErrnoException) => end(error.code ?? error.message));
    socket.on("close", () => end("closed before a whole response"));
  }

  static open(port: number, timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      const timer = setTimeout(() => socket.destroy(new Error("no connection within the timeout")), timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        const connection = new Connection(socket);
        connection.clientPort = socket.localPort ?? 0;
        resolve(connection);
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get(path: string, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
    if (this.gone !== null) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.gone = new Error(`no whole response within ${timeoutMs} ms`);
        this.socket.destroy();
      }, timeoutMs);
      this.waiting = {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    });
  }

  private take(): void {
    const headEnd = this.buffer.indexOf("\r\n\r\n");
    if (headEnd === -1 || this.waiting === null) return;
    const head = this.buffer.subarray(0, headEnd).toString("latin1");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const end = headEnd + 4 + length;
    if (this.buffer.length < end) return;
    const body = this.buffer.subarray(headEnd + 4, end);
    this.buffer = this.buffer.subarray(end);
    const waiting = this.waiting;
    this.waiting = null;
    waiting.resolve({ status, body });
  }
}

export function startLoad(options: LoadOptions): Load {
  const figures: LoadFigures = { sent: 0, ok: 0, connections: 0, failures: [] };
  const began = performance.now();
  const more = (): boolean => figures.sent < options.maxRequests && performance.now() - began < options.maxMs;
  let fresh = 0;
  const fail = (clientPort: number, firstAnswerAtMs: number | null, openedAtMs: number, reason: string): void =>
    void figures.failures.push({
      clientPort,
      firstAnswerAtMs,
      openedAtMs,
      atMs: Math.round(performance.now() - began),
      reason,
    });
  const client = async (): Promise<void> => {
    while (more()) {
      let connection: Connection;
      fresh++;
      const openedAtMs = performance.now() - began;
      try {
        connection = await Connection.open(options.port, options.timeoutMs);
      } catch (error) {
        fresh--;
        figures.sent++;
        fail(0, null, openedAtMs, `connect: ${(error as Error).message}`);
        continue;
      }
      figures.connections++;
      let firstAnswerAtMs: number | null = null;
      let counted = true;
      const settled = (): void => {
        if (counted) fresh--;
        counted = false;
      };
      for (let i = 0; i < options.perConnection && more(); i++) {
        figures.sent++;
        try {
          const reply = await connection.get(options.path, options.timeoutMs);
          const before = firstAnswerAtMs;
          firstAnswerAtMs ??= performance.now() - began;
          settled();
          if (reply.status === 200 && reply.body.toString() === options.body) figures.ok++;
          else {
            fail(
              connection.clientPort,
              before,
              openedAtMs,
              `${reply.status} ${JSON.stringify(reply.body.toString().slice(0, 60))}`,
            );
            break;
          }
        } catch (error) {
          settled();
          fail(connection.clientPort, firstAnswerAtMs, openedAtMs, (error as Error).message);
          break;
        }
      }
      settled();
      connection.socket.destroy();
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, client)).then(() => figures);
  return { figures, began, fresh: () => fresh, done };
}

/** `count` connections opened and held, each after one whole GET (so that a server process has accepted it). */
export async function openHeld(
  port: number,
  count: number,
  path: string,
): Promise<Array<{ clientPort: number; close(): void }>> {
  const held: Array<{ clientPort: number; close(): void }> = [];
  for (let i = 0; i < count; i++) {
    const connection = await Connection.open(port, 5000);
    const reply = await connection.get(path, 5000);
    if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status}`);
    held.push({ clientPort: connection.clientPort, close: () => connection.socket.destroy() });
  }
  return held;
}

/** One new connection with one GET: the status, or why there was none (no connection, no whole response within timeoutMs). */
export async function getOnce(port: number, path: string, timeoutMs: number): Promise<number | string> {
  let connection: Connection;
  try {
    connection = await Connection.open(port, timeoutMs);
  } catch (error) {
    return (error as Error).message;
  }
  try {
    return (await connection.get(path, timeoutMs)).status;
  } catch (error) {
    return (error as Error).message;
  } finally {
    connection.socket.destroy();
  }
}
