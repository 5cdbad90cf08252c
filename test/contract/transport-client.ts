/** The test's side of the contract suite: raw TCP (or TLS) clients that record what the server did to the stream. */
import * as net from "node:net";
import * as tls from "node:tls";

export interface Outcome {
  readonly data: Buffer;
  /** The server finished sending (FIN, or TLS close_notify then FIN): 'end' came before 'close'. */
  readonly ended: boolean;
  /** An error code, when the stream ended with one (ECONNRESET: the server reset it). */
  readonly error: string | undefined;
}

export interface ClientOptions {
  readonly tls?: boolean;
  /** Half-close after the request (FIN). */
  readonly end?: boolean;
  /** Reset (RST) after the request. */
  readonly reset?: boolean;
}

export function connect(port: number, secure = false): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => resolve(socket))
      : net.connect({ host: "127.0.0.1", port, allowHalfOpen: true }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** What the server sends until it closes the stream. */
export function outcome(socket: net.Socket): Promise<Outcome> {
  const chunks: Buffer[] = [];
  let ended = false;
  let error: string | undefined;
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("end", () => {
    ended = true;
    // The server half-closed: close our side too, as a client does once it has the answer.
    socket.end();
  });
  socket.on("error", (e: NodeJS.ErrnoException) => void (error = e.code ?? e.message));
  return new Promise((resolve) => socket.once("close", () => resolve({ data: Buffer.concat(chunks), ended, error })));
}

/** Sends bytes on a new connection and returns what came back. */
export async function exchange(
  port: number,
  request: string | Uint8Array,
  options: ClientOptions = {},
): Promise<Outcome> {
  const socket = await connect(port, options.tls);
  const done = outcome(socket);
  socket.write(request);
  if (options.end === true) socket.end();
  if (options.reset === true) socket.resetAndDestroy();
  return done;
}

export interface Report {
  readonly events: string[];
  readonly writes: number;
  readonly refused: number;
  readonly drains: number;
  readonly written: number;
}

export async function reportOf(port: number, id: string, secure = false): Promise<Report> {
  const result = await exchange(port, `report ${id}\n`, { tls: secure });
  return JSON.parse(result.data.toString()) as Report;
}
