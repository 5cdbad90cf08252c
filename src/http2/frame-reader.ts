import type { ConnectionError, StreamError } from "./error.ts";
import { FLAG, type Frame, FRAME_HEADER_LENGTH, FRAME_TYPE, type FrameHeader } from "./frame.ts";
import { parsePayload } from "./frame-parse.ts";
import { checkHeader } from "./frame-rules.ts";
import { MIN_MAX_FRAME_SIZE } from "./settings.ts";

/**
 * What the reader hands on: a whole frame (told apart by `type`), or a stream error (§5.4.2,
 * told apart by `kind`) after which reading goes on.
 */
export type FrameEvent = Frame | StreamError;

/** What the receiver of events says: go on (null), fail the connection, or stop reading. */
export type FrameVerdict = null | ConnectionError | "stop";

const EMPTY = new Uint8Array(0);

/**
 * Reads HTTP/2 frames (RFC 9113 §4.1) from pieces of input as they come, and hands each on
 * whole, parsed by its type (§6). It holds at most one frame: its 9-byte header, then its
 * payload, and that only when the payload spans pieces (a frame inside one piece is handed on
 * as a view of it, so its bytes are valid only as long as the piece is). A payload it will not
 * parse (an unknown type, §5.5, or a frame already found to be a stream error) is skipped as it
 * comes, never held.
 *
 * It checks what the frame layer can check alone (frame-rules.ts, frame-parse.ts): the size
 * limit (§4.2), stream identifiers, fixed sizes, padding, zero window increments, settings
 * values (§6), and the field block's sequence of CONTINUATION frames (§6.10). A connection
 * error (§5.4.1) ends reading; a stream error (§5.4.2) is handed on and reading goes on.
 */
export class FrameReader {
  private readonly head = new Uint8Array(FRAME_HEADER_LENGTH);
  private have = 0;
  /** The current frame's header once whole; null while reading one. */
  private header: FrameHeader | null = null;
  /** Skip the current frame's payload rather than parse it. */
  private skipping = false;
  /** Payload bytes still to come of the current frame. */
  private remaining = 0;
  /** The payload being gathered, when it spans pieces. */
  private gathered: Uint8Array | null = null;
  /** §6.10: the stream whose field block is open, awaiting CONTINUATION (0: none). */
  private continuing = 0;
  private done = false;

  constructor(
    private readonly sink: (event: FrameEvent) => FrameVerdict,
    /** This endpoint's SETTINGS_MAX_FRAME_SIZE (§6.5.2): the longest payload it accepts. */
    private maxFrameSize = MIN_MAX_FRAME_SIZE,
  ) {}

  /** The longest payload accepted from the next frame header on (once the peer acknowledged our SETTINGS). */
  setMaxFrameSize(size: number): void {
    this.maxFrameSize = size;
  }

  /** Reads a piece of input; a connection error once the input breaks a rule (then nothing more is read). */
  feed(chunk: Uint8Array): ConnectionError | null {
    let i = 0;
    while (i < chunk.length && !this.done) {
      const next = this.header === null ? this.readHeader(chunk, i) : this.readPayload(chunk, i);
      if (typeof next !== "number") return this.stop(next);
      i = next;
    }
    return null;
  }

  private stop(verdict: ConnectionError | "stop"): ConnectionError | null {
    this.done = true;
    this.gathered = null;
    return verdict === "stop" ? null : verdict;
  }

  /** Takes header bytes from chunk at i; the index after them, or why reading ends. */
  private readHeader(chunk: Uint8Array, i: number): number | ConnectionError | "stop" {
    const take = Math.min(FRAME_HEADER_LENGTH - this.have, chunk.length - i);
    this.head.set(chunk.subarray(i, i + take), this.have);
    this.have += take;
    if (this.have < FRAME_HEADER_LENGTH) return i + take;
    this.have = 0;
    const verdict = this.startFrame(decodeHeader(this.head));
    return verdict === null ? i + take : verdict;
  }

  /** A whole header: checked, then its payload read, skipped, or (when empty) done at once. */
  private startFrame(h: FrameHeader): FrameVerdict {
    const check = checkHeader(h, this.maxFrameSize, this.continuing);
    if (check.kind === "connection-error") return check;
    this.header = h;
    this.remaining = h.length;
    this.skipping = check.kind !== "read";
    if (check.kind === "read") this.trackFieldBlock(h);
    const verdict = check.kind === "stream-error" ? this.sink(check) : null;
    if (verdict !== null || h.length > 0) return verdict;
    return this.skipping ? this.endFrame() : this.finish(EMPTY);
  }

  /** §6.10: a HEADERS, PUSH_PROMISE or CONTINUATION without END_HEADERS leaves its field block open. */
  private trackFieldBlock(h: FrameHeader): void {
    const carriesBlock = h.type === FRAME_TYPE.HEADERS || h.type === FRAME_TYPE.PUSH_PROMISE ||
      h.type === FRAME_TYPE.CONTINUATION;
    if (carriesBlock) this.continuing = (h.flags & FLAG.END_HEADERS) !== 0 ? 0 : h.streamId;
  }

  /** Takes payload bytes from chunk at i: a view when the whole payload is there, else gathered. */
  private readPayload(chunk: Uint8Array, i: number): number | ConnectionError | "stop" {
    const take = Math.min(this.remaining, chunk.length - i);
    this.remaining -= take;
    if (this.skipping) {
      const verdict = this.remaining === 0 ? this.endFrame() : null;
      return verdict === null ? i + take : verdict;
    }
    const length = this.header!.length;
    if (this.gathered === null && take === length) {
      const verdict = this.finish(chunk.subarray(i, i + take));
      return verdict === null ? i + take : verdict;
    }
    this.gathered ??= new Uint8Array(length);
    this.gathered.set(chunk.subarray(i, i + take), length - this.remaining - take);
    if (this.remaining > 0) return i + take;
    const verdict = this.finish(this.gathered);
    return verdict === null ? i + take : verdict;
  }

  /** The payload is whole: parsed, handed on. */
  private finish(payload: Uint8Array): FrameVerdict {
    const parsed = parsePayload(this.header!, payload);
    this.endFrame();
    if ("kind" in parsed && parsed.kind === "connection-error") return parsed;
    return this.sink(parsed);
  }

  private endFrame(): null {
    this.header = null;
    this.gathered = null;
    return null;
  }
}

/** §4.1: Length (24), Type (8), Flags (8), Reserved (1, ignored), Stream Identifier (31). */
function decodeHeader(b: Uint8Array): FrameHeader {
  return {
    length: (b[0]! << 16) | (b[1]! << 8) | b[2]!,
    type: b[3]!,
    flags: b[4]!,
    streamId: ((b[5]! & 0x7f) << 24) | (b[6]! << 16) | (b[7]! << 8) | b[8]!,
  };
}
