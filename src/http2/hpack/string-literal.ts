import { latin1String } from "./latin1.ts";
import { type CompressionError, compressionError, integerFailure } from "./decode-result.ts";
import { HUFFMAN_EOS, HUFFMAN_PADDING_TOO_LONG, huffmanDecode, huffmanDecodedBound } from "./huffman-decode.ts";
import { type Cursor, decodeInteger } from "./integer.ts";

/**
 * Reads string literals (RFC 7541 §5.2) out of header blocks. Huffman-coded ones are decoded into
 * one scratch buffer kept from string to string (grown as needed), then made a string at once.
 */
export class StringReader {
  private scratch = new Uint8Array(256);

  /** The string literal at cursor.pos (which the caller checked is in the block), or why it is refused. */
  read(block: Uint8Array, cursor: Cursor): string | CompressionError {
    if (cursor.pos >= block.length) return compressionError("the block ends before a string literal");
    const huffman = (block[cursor.pos]! & 0x80) !== 0;
    const length = decodeInteger(block, cursor, 7);
    if (length < 0) return integerFailure(length, "a string length");
    const start = cursor.pos;
    if (length > block.length - start) return compressionError("a string literal runs past the block's end");
    cursor.pos = start + length;
    return huffman ? this.huffman(block, start, start + length) : latin1String(block, start, start + length);
  }

  private huffman(block: Uint8Array, start: number, end: number): string | CompressionError {
    const bound = huffmanDecodedBound(end - start);
    if (bound > this.scratch.length) this.scratch = new Uint8Array(Math.max(bound, this.scratch.length * 2));
    const n = huffmanDecode(block, start, end, this.scratch);
    if (n >= 0) return latin1String(this.scratch, 0, n);
    // §5.2: EOS in a string, and padding longer than 7 bits or not all 1s, MUST be decoding errors.
    if (n === HUFFMAN_EOS) return compressionError("a Huffman-coded string holds EOS");
    if (n === HUFFMAN_PADDING_TOO_LONG) return compressionError("Huffman padding longer than 7 bits");
    return compressionError("Huffman padding not all 1s");
  }
}
