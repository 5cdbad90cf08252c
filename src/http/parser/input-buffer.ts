import { CR, LF } from "../chars.ts";

/** One CRLF-terminated line taken from the input (RFC 9112 §2.2), or why there is none. */
export type LineResult =
  | { readonly kind: "line"; readonly start: number; readonly end: number }
  | { readonly kind: "incomplete" }
  | { readonly kind: "malformed"; readonly message: string };

const NO_LINE: LineResult = { kind: "incomplete" };

/**
 * The bytes received and not yet consumed: bytes[start, end). Chunks are copied in (the caller
 * may reuse them); the buffer grows by doubling only when what is unconsumed does not fit, and
 * otherwise moves it to the front. Readers look at `bytes` between `start` and `end` and
 * advance with consumeTo(); an index into `bytes` is valid only until the next feed(), so keep
 * positions as offsets from `start` across feeds.
 */
export class InputBuffer {
  private buf = new Uint8Array(4096);
  private from = 0;
  private to = 0;

  get bytes(): Uint8Array {
    return this.buf;
  }

  /** Where the unconsumed bytes begin in `bytes`. */
  get start(): number {
    return this.from;
  }

  /** Where they end in `bytes`. */
  get end(): number {
    return this.to;
  }

  /** Bytes received and not yet consumed. */
  get length(): number {
    return this.to - this.from;
  }

  /** Appends a copy of the chunk. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.from === this.to) this.from = this.to = 0;
    if (this.to + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.to);
    this.to += chunk.length;
  }

  /** Marks everything before `position` (an index into `bytes`) consumed. */
  consumeTo(position: number): void {
    this.from = position;
  }

  /** Drops everything (the parser is dead). */
  clear(): void {
    this.from = this.to = 0;
  }

  /** Takes one CRLF-terminated line: its bounds without the CRLF, incomplete, or malformed (a bare CR or LF, or longer than max). */
  takeLine(max: number): LineResult {
    const buf = this.buf;
    const start = this.from;
    for (let i = start; i < this.to; i++) {
      const b = buf[i];
      if (b === LF) return { kind: "malformed", message: "bare LF" };
      if (b === CR) {
        if (i + 1 === this.to) return NO_LINE;
        if (buf[i + 1] !== LF) return { kind: "malformed", message: "bare CR" };
        this.from = i + 2;
        return { kind: "line", start, end: i };
      }
      if (i - start >= max) return { kind: "malformed", message: "line too long" };
    }
    return this.to - start > max ? { kind: "malformed", message: "line too long" } : NO_LINE;
  }

  /** Moves the unconsumed bytes to the front, or into a buffer twice as big (or more) when they would not fit. */
  private makeRoom(extra: number): void {
    const used = this.to - this.from;
    let size = this.buf.length;
    while (used + extra > size) size *= 2;
    if (size === this.buf.length && this.from > 0) {
      this.buf.copyWithin(0, this.from, this.to);
    } else {
      const bigger = new Uint8Array(size);
      bigger.set(this.buf.subarray(this.from, this.to));
      this.buf = bigger;
    }
    this.from = 0;
    this.to = used;
  }
}
