import { type ByteRange, contentRange } from "./ranges.ts";

/** How to send a multipart/byteranges body: fixed bytes interleaved with ranges of the file. */
export interface MultipartPlan {
  /** "multipart/byteranges; boundary=<boundary>" (RFC 9110 §14.6). */
  readonly contentType: string;
  /** In order: part header bytes, file range, CRLF + next part header, ..., closing delimiter bytes. */
  readonly pieces: ReadonlyArray<Uint8Array | ByteRange>;
  /** Exact total byte length of the body (for Content-Length). */
  readonly length: number;
}

const encoder = new TextEncoder();

/**
 * Lays out a multipart/byteranges body (RFC 9110 §14.6, multipart syntax of RFC 2046 §5.1.1):
 * each part is `--B CRLF Content-Type CRLF Content-Range CRLF CRLF <bytes> CRLF`, then `--B-- CRLF`.
 * `partType` is the file's media type; an empty one leaves Content-Type out of the parts.
 */
export function multipartByteranges(
  ranges: readonly ByteRange[],
  size: number,
  partType: string,
  boundary: string,
): MultipartPlan {
  const pieces: (Uint8Array | ByteRange)[] = [];
  let length = 0;
  // Text waiting to be encoded: adjacent fixed pieces become one Uint8Array.
  let text = "";
  const flush = (): void => {
    const bytes = encoder.encode(text);
    pieces.push(bytes);
    length += bytes.length;
    text = "";
  };
  for (const range of ranges) {
    text += `--${boundary}\r\n`;
    // RFC 9110 §14.6: each part carries the Content-Type the whole representation would have had.
    if (partType !== "") text += `Content-Type: ${partType}\r\n`;
    // RFC 9110 §14.6: each part carries the Content-Range of its range.
    text += `Content-Range: ${contentRange(range, size)}\r\n\r\n`;
    flush();
    pieces.push(range);
    length += range.end - range.start;
    // RFC 2046 §5.1.1: the CRLF before the next delimiter belongs to the delimiter.
    text = "\r\n";
  }
  // RFC 2046 §5.1.1: close-delimiter = "--" boundary "--".
  text += `--${boundary}--\r\n`;
  flush();
  return { contentType: `multipart/byteranges; boundary=${boundary}`, pieces, length };
}
