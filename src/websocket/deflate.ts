import type { RawDeflateStream, RawInflateStream } from "../ports/compress.ts";
import type { DeflateParams } from "./deflate-params.ts";
import { failure, type WebSocketFailure } from "./frame.ts";
import { Utf8Validator } from "./utf8.ts";

/** The Compressor port's raw streams (src/ports/compress.ts). */
export interface RawStreams {
  rawDeflate(windowBits: number): RawDeflateStream;
  rawInflate(windowBits: number): RawInflateStream;
}

/** A message inflated, or why the connection fails. */
export type Inflated = { readonly kind: "inflated"; readonly data: Uint8Array } | WebSocketFailure;

/** §7.2.2: the empty stored block a sender's sync flush ended with, removed by it, appended again here. */
const TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

/** The window the server inflates with: the largest, which reads data of any smaller window too. */
const INFLATE_WINDOW_BITS = 15;

/**
 * permessage-deflate (RFC 7692) on one connection, over the Compressor port's streams. Each
 * direction's stream lives as long as its context carries over: with no context takeover it is
 * made for one message and freed after it, so an idle connection holds no zlib memory.
 */
export class MessageDeflate {
  private inflater: RawInflateStream | null = null;
  private deflater: RawDeflateStream | null = null;

  constructor(private readonly streams: RawStreams, readonly params: DeflateParams) {}

  /**
   * §7.2.2: a message's compressed payload, with the tail appended, inflated, and held to limit
   * bytes as the inflater produces them: past it, 1009 at once (a small message that inflates
   * to a lot costs at most limit and a chunk). Text is checked as UTF-8 piece by piece (1007 at
   * the first bad byte); data that is not DEFLATE is 1007 too.
   */
  async inflate(compressed: Uint8Array, text: boolean, limit: number): Promise<Inflated> {
    const inflater = this.inflater ?? this.streams.rawInflate(INFLATE_WINDOW_BITS);
    this.inflater = this.params.clientNoContextTakeover ? null : inflater;
    const utf8 = text ? new Utf8Validator() : null;
    const pieces: Uint8Array[] = [];
    let size = 0;
    let refused: WebSocketFailure | null = null;
    const end = await inflater.inflate(withTail(compressed), (piece) => {
      size += piece.length;
      if (size > limit) refused = failure(1009, `message over maxPayloadLength (${limit} bytes) once inflated`);
      else if (utf8 !== null && !utf8.push(piece)) refused = failure(1007, "text message not UTF-8");
      else pieces.push(piece);
      return refused === null;
    });
    if (end !== "done" || this.params.clientNoContextTakeover) this.release("in", inflater);
    if (refused !== null) return refused;
    if (end !== "done") return failure(1007, "compressed message is not valid DEFLATE data");
    if (utf8 !== null && !utf8.complete) return failure(1007, "text message ends inside a UTF-8 sequence");
    return { kind: "inflated", data: joined(pieces, size) };
  }

  /** §7.2.1: a message compressed with a sync flush, its trailing 00 00 ff ff removed; null when the runtime failed. */
  async deflate(payload: Uint8Array): Promise<Uint8Array | null> {
    const deflater = this.deflater ?? this.streams.rawDeflate(this.params.serverMaxWindowBits);
    this.deflater = this.params.serverNoContextTakeover ? null : deflater;
    const out = await deflater.deflate(payload);
    if (out === null || this.params.serverNoContextTakeover) this.release("out", deflater);
    if (out === null || !endsWithTail(out)) return null;
    return out.subarray(0, out.length - TAIL.length);
  }

  /** The session is over: the streams are freed. */
  close(): void {
    this.inflater?.close();
    this.deflater?.close();
    this.inflater = null;
    this.deflater = null;
  }

  private release(direction: "in" | "out", stream: RawInflateStream | RawDeflateStream): void {
    stream.close();
    if (direction === "in" && this.inflater === stream) this.inflater = null;
    if (direction === "out" && this.deflater === stream) this.deflater = null;
  }
}

function withTail(compressed: Uint8Array): Uint8Array {
  const out = new Uint8Array(compressed.length + TAIL.length);
  out.set(compressed);
  out.set(TAIL, compressed.length);
  return out;
}

function endsWithTail(out: Uint8Array): boolean {
  const at = out.length - TAIL.length;
  return at >= 0 && out[at] === 0 && out[at + 1] === 0 && out[at + 2] === 0xff && out[at + 3] === 0xff;
}

function joined(pieces: readonly Uint8Array[], size: number): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
