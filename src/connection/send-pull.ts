import { chunk, LAST_CHUNK } from "../http/head-cache.ts";
import type { PullBody } from "../http/response.ts";
import { describeError } from "./describe-error.ts";

/** What the connection lends a pulled body while it is sent. */
export interface PullHost {
  /** Queues bytes on the socket; false when it is over its high-water mark. */
  write(bytes: Uint8Array): boolean;
  /** True once the connection is gone. */
  gone(): boolean;
  /** Resolves once the socket is below its high-water mark again (or gone). */
  drained(): Promise<void>;
  /** Ends the connection after what is queued. */
  finish(): void;
  /** Closes the connection now: the message cannot be completed. */
  abort(reason: string): void;
  /** The producer owes its next piece (true) or gave it (false): the response deadline runs meanwhile. */
  awaitProducer(waiting: boolean): void;
}

/**
 * Sends a body pulled from its producer: one piece at a time, and the next only once the socket
 * has drained, so a slow client pauses the producer and nothing buffers without bound. With a
 * length (Content-Length) the producer must give exactly that many bytes; without, each piece is
 * a chunk (RFC 9112 §7.1) or, for HTTP/1.0, the close ends the body (§6.3). A producer that fails,
 * or gives the wrong amount, ends the connection without the last chunk, so the client sees a
 * truncated message (RFC 9112 §8), never a complete wrong one. Resolves true when the body was
 * sent whole and the connection may go on.
 */
export async function sendPull(host: PullHost, headBytes: Uint8Array, body: PullBody, chunked: boolean): Promise<boolean> {
  host.write(headBytes);
  let sent = 0;
  for (;;) {
    if (host.gone()) {
      body.cancel();
      return false;
    }
    host.awaitProducer(true);
    const read = await body.read();
    host.awaitProducer(false);
    if (host.gone()) {
      body.cancel();
      return false;
    }
    if (read.kind === "failed") {
      host.abort(`response body failed: ${describeError(read.error)}`);
      return false;
    }
    if (read.kind === "end") break;
    const bytes = read.bytes;
    if (bytes.length === 0) continue;
    sent += bytes.length;
    if (body.length !== null && sent > body.length) {
      body.cancel();
      host.abort(`response body longer than its Content-Length (${body.length})`);
      return false;
    }
    const flowing = host.write(body.length === null && chunked ? chunk(bytes) : bytes);
    if (!flowing) await host.drained();
  }
  if (body.length !== null && sent !== body.length) {
    host.abort(`response body shorter (${sent}) than its Content-Length (${body.length})`);
    return false;
  }
  if (body.length === null) {
    if (!chunked) {
      host.finish();
      return false;
    }
    host.write(LAST_CHUNK);
  }
  return true;
}
