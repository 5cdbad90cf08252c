/** A growable output buffer the encoder writes a header block into, kept from block to block. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private at = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.at;
  }

  byte(b: number): void {
    if (this.at === this.buf.length) this.reserve(1);
    this.buf[this.at++] = b;
  }

  /** A string's code units as octets (latin1: callers give code units up to 0xff). */
  latin1(text: string): void {
    this.reserve(text.length);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i) & 0xff;
    this.at = at;
  }

  /** Room for n more bytes, then the buffer and the offset to write them at (see advance()). */
  reserve(n: number): Uint8Array {
    if (this.at + n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
      bigger.set(this.buf.subarray(0, this.at));
      this.buf = bigger;
    }
    return this.buf;
  }

  /** After writing n bytes into reserve()'s buffer at length. */
  advance(n: number): void {
    this.at += n;
  }

  /** A copy of what was written; the writer starts again empty. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.at);
    this.at = 0;
    return out;
  }
}
