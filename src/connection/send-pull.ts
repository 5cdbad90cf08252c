import { chunk, CHUNK_END, chunkSizeLine, LAST_CHUNK } from "../http/chunked/encode.ts";
import type { PullBody } from "../http/response.ts";
import { describeError } from "./describe-error.ts";
import { SEND_BUFFERS, type SendBuffers } from "./send-buffers.ts";

/** What the connection lends a pulled body while it is sent. */
export interface PullDeps {
  /** Queues bytes on the socket; onFlushed runs once it no longer holds them. False when it is over its high-water mark. */
  write(bytes: Uint8Array, onFlushed?: () => void): boolean;
  /** True once the connection is gone. */
  gone(): boolean;
  /** Resolves once the socket is below its high-water mark again (or gone). */
  drained(): Promise<void>;
  /** Resolves at the next output event (drain, a flushed chunk, close); the send timeout runs meanwhile. */
  waitForOutput(): Promise<void>;
  /** Signals an output event. */
  wake(): void;
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
 *
 * The pieces written and not yet flushed are counted in the send-buffer budget
 * (src/connection/send-buffers.ts) that files stream through: past it, a body reads its next
 * piece only once the socket has taken all of its last, so 1,000 slow clients hold one piece
 * each, not a socket's high-water mark each.
 */
export async function sendPull(
  host: PullDeps,
  headBytes: Uint8Array,
  body: PullBody,
  chunked: boolean,
  budget: SendBuffers = SEND_BUFFERS,
): Promise<boolean> {
  const held = new HeldPieces(budget, host);
  try {
    host.write(headBytes);
    const outcome = await pullAll(host, body, chunked, held);
    if (outcome === "broken") return false;
    // The next pipelined response, or the close, waits until the client has taken this one.
    while (held.bytes > 0 && !host.gone()) await host.waitForOutput();
    if (host.gone()) return false;
    if (outcome === "close") host.finish();
    return outcome === "whole";
  } finally {
    held.forget();
  }
}

/**
 * Every piece of the body, written: "whole" (Content-Length met, or the last chunk written),
 * "close" (HTTP/1.0 without a length: the close ends it, RFC 9112 §6.3), or "broken" (the
 * client went, or the producer failed or gave the wrong amount: the connection is closed).
 */
async function pullAll(
  host: PullDeps,
  body: PullBody,
  chunked: boolean,
  held: HeldPieces,
): Promise<"whole" | "close" | "broken"> {
  let sent = 0;
  for (;;) {
    // Beyond one piece in flight only while the budget lasts, and none when the next read reuses its buffer.
    while (held.bytes > 0 && (body.reusesPieces === true || !held.budget.mayHoldMore()) && !host.gone()) {
      await host.waitForOutput();
    }
    if (host.gone()) {
      body.cancel();
      return "broken";
    }
    host.awaitProducer(true);
    const read = await body.read();
    host.awaitProducer(false);
    if (host.gone()) {
      body.cancel();
      return "broken";
    }
    if (read.kind === "failed") {
      host.abort(`response body failed: ${describeError(read.error)}`);
      return "broken";
    }
    if (read.kind === "end") break;
    const bytes = read.bytes;
    if (bytes.length === 0) continue;
    sent += bytes.length;
    if (body.length !== null && sent > body.length) {
      body.cancel();
      host.abort(`response body longer than its Content-Length (${body.length})`);
      return "broken";
    }
    if (!writePiece(host, held, bytes, body.length === null && chunked)) await host.drained();
  }
  if (body.length !== null && sent !== body.length) {
    host.abort(`response body shorter (${sent}) than its Content-Length (${body.length})`);
    return "broken";
  }
  if (body.length === null && !chunked) return "close";
  if (body.length === null) host.write(LAST_CHUNK);
  return "whole";
}

/** Pieces up to this size are copied into their chunk, one write; larger ones are not copied. */
const COPIED_PIECE = 1024;

/**
 * Writes a piece, as a chunk where it must be (RFC 9112 §7.1); false when the socket is over its
 * high-water mark. A large piece is not copied to be framed (that would hold it twice until the
 * copy is collected): its size line and CRLF go in writes of their own.
 */
function writePiece(host: PullDeps, held: HeldPieces, bytes: Uint8Array, framed: boolean): boolean {
  if (!framed) return held.write(bytes);
  if (bytes.length <= COPIED_PIECE) return held.write(chunk(bytes));
  host.write(chunkSizeLine(bytes.length));
  held.write(bytes);
  return host.write(CHUNK_END);
}

/** One body's pieces on the socket, counted in the budget from their write until they are flushed. */
class HeldPieces {
  bytes = 0;
  private counting = true;

  constructor(
    readonly budget: SendBuffers,
    private readonly host: PullDeps,
  ) {}

  /** Writes a piece, counted until flushed; false when the socket is over its high-water mark. */
  write(piece: Uint8Array): boolean {
    const n = piece.length;
    this.bytes += n;
    this.budget.hold(n);
    return this.host.write(piece, () => {
      if (!this.counting) return;
      this.bytes -= n;
      this.budget.unhold(n);
      this.host.wake();
    });
  }

  /**
   * The body is done with: what the socket still holds is no longer counted (a connection gone
   * may never flush it; one still open flushes it without this body's say).
   */
  forget(): void {
    this.counting = false;
    this.budget.unhold(this.bytes);
    this.bytes = 0;
  }
}
