import { utf8 } from "../response.ts";

/** Writing the chunked coding (RFC 9112 §7.1): the framing bytes of a chunked response body. parse.ts reads it. */

export const LAST_CHUNK = utf8("0\r\n\r\n");

/** What comes before a chunk's data: its size in hex, CRLF (RFC 9112 §7.1). */
export function chunkSizeLine(size: number): Uint8Array {
  return utf8(`${size.toString(16)}\r\n`);
}

/** What ends a chunk's data (RFC 9112 §7.1). */
export const CHUNK_END = utf8("\r\n");

/** One chunk: size in hex, CRLF, the data, CRLF (RFC 9112 §7.1). */
export function chunk(bytes: Uint8Array): Uint8Array {
  const size = utf8(`${bytes.length.toString(16)}\r\n`);
  const out = new Uint8Array(size.length + bytes.length + 2);
  out.set(size);
  out.set(bytes, size.length);
  out[out.length - 2] = 0x0d;
  out[out.length - 1] = 0x0a;
  return out;
}
