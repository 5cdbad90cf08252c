/**
 * A streaming UTF-8 validator (RFC 3629 §4's well-formed byte sequences): bytes are pushed in
 * pieces, a sequence may be split across pieces (and across a message's fragments, RFC 6455
 * §5.6), and the first byte that cannot continue a well-formed sequence fails at once, before
 * the rest of the frame arrives (RFC 6455 §8.1: fail the connection on invalid UTF-8).
 */
export class Utf8Validator {
  /** Continuation bytes still expected by the sequence in progress. */
  private need = 0;
  /** The bounds of the next byte of that sequence (narrower after E0, ED, F0, F4: no overlongs, surrogates or > U+10FFFF). */
  private low = 0x80;
  private high = 0xbf;

  /** Checks bytes[start, end); false at the first byte that makes the text ill-formed. */
  push(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    let i = start;
    while (i < end) {
      const b = bytes[i++]!;
      if (this.need === 0) {
        if (b < 0x80) continue;
        if (!this.lead(b)) return false;
      } else {
        if (b < this.low || b > this.high) return false;
        this.low = 0x80;
        this.high = 0xbf;
        this.need--;
      }
    }
    return true;
  }

  /** True when no sequence is left unfinished (a message may end here). */
  get complete(): boolean {
    return this.need === 0;
  }

  /** Starts over for a new message. */
  reset(): void {
    this.need = 0;
    this.low = 0x80;
    this.high = 0xbf;
  }

  /** A lead byte (RFC 3629 §4, UTF8-2/3/4): sets the sequence's length and its second byte's bounds. */
  private lead(b: number): boolean {
    if (b >= 0xc2 && b <= 0xdf) return this.expect(1, 0x80, 0xbf);
    if (b >= 0xe0 && b <= 0xef) return this.expect(2, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf);
    if (b >= 0xf0 && b <= 0xf4) return this.expect(3, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf);
    return false;
  }

  private expect(need: number, low: number, high: number): boolean {
    this.need = need;
    this.low = low;
    this.high = high;
    return true;
  }
}

/** Whether bytes are well-formed UTF-8 as a whole. */
export function isUtf8(bytes: Uint8Array): boolean {
  const v = new Utf8Validator();
  return v.push(bytes) && v.complete;
}
