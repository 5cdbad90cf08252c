import { HUFFMAN_CODES } from "./huffman-codes.ts";

const CODE = Uint32Array.from(HUFFMAN_CODES.slice(0, 256), ([code]) => code);
const BITS = Uint8Array.from(HUFFMAN_CODES.slice(0, 256), ([, bits]) => bits);

/** The octets text takes Huffman-coded (§5.2), its code units read as octets. */
export function huffmanLength(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) bits += BITS[text.charCodeAt(i) & 0xff]!;
  return (bits + 7) >> 3;
}

/**
 * §5.2: writes text Huffman-coded into out at `at` (room for huffmanLength(text) octets), the last
 * octet padded with the most significant bits of EOS (1s); the position after it.
 */
export function huffmanEncode(text: string, out: Uint8Array, at: number): number {
  let pending = 0;
  let pendingBits = 0;
  for (let i = 0; i < text.length; i++) {
    const symbol = text.charCodeAt(i) & 0xff;
    let code = CODE[symbol]!;
    let bits = BITS[symbol]!;
    while (bits >= 8 - pendingBits) {
      const room = 8 - pendingBits;
      bits -= room;
      out[at++] = ((pending << room) | (code >>> bits)) & 0xff;
      code &= (1 << bits) - 1;
      pending = 0;
      pendingBits = 0;
    }
    pending = (pending << bits) | code;
    pendingBits += bits;
  }
  if (pendingBits > 0) out[at++] = ((pending << (8 - pendingBits)) | (0xff >> pendingBits)) & 0xff;
  return at;
}
