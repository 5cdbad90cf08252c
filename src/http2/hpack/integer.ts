import type { ByteWriter } from "./byte-writer.ts";

/** A read position in a header block, moved on past what is read. */
export interface Cursor {
  pos: number;
}

/** decodeInteger(): the block ended inside the integer. */
export const INTEGER_TRUNCATED = -1;
/** decodeInteger(): more than 5 continuation octets, or a value past MAX_INTEGER. */
export const INTEGER_TOO_LARGE = -2;

/**
 * The largest integer a decoder accepts (§5.1 lets it set a limit): 2^31 - 1, far past any index,
 * string length or table size a peer may use, and still exact as a small integer.
 */
export const MAX_INTEGER = 0x7fffffff;

/** Continuation octets past the prefix: 5 carry 35 bits, enough for MAX_INTEGER and no more. */
const MAX_CONTINUATIONS = 5;

/**
 * §5.1: the integer with an N-bit prefix at block[cursor.pos] (which the caller checked is in the
 * block), the cursor moved past it; or INTEGER_TRUNCATED, or INTEGER_TOO_LARGE (§5.1: "integer
 * encodings that exceed implementation limits ... MUST be treated as decoding errors").
 */
export function decodeInteger(block: Uint8Array, cursor: Cursor, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  let pos = cursor.pos;
  let value = block[pos++]! & max;
  if (value < max) {
    cursor.pos = pos;
    return value;
  }
  for (let n = 0; n < MAX_CONTINUATIONS; n++) {
    if (pos >= block.length) return INTEGER_TRUNCATED;
    const b = block[pos++]!;
    value += (b & 0x7f) * 2 ** (7 * n);
    if ((b & 0x80) === 0) {
      cursor.pos = pos;
      return value > MAX_INTEGER ? INTEGER_TOO_LARGE : value;
    }
  }
  return INTEGER_TOO_LARGE;
}

/**
 * §5.1: writes value with an N-bit prefix; the first octet's bits above the prefix are `high` (the
 * representation's pattern, e.g. 0x80 for an indexed field).
 */
export function encodeInteger(out: ByteWriter, value: number, prefixBits: number, high: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.byte(high | value);
    return;
  }
  out.byte(high | max);
  let rest = value - max;
  while (rest >= 0x80) {
    out.byte((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.byte(rest);
}
