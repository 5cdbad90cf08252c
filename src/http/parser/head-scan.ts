import { CR, LF } from "../chars.ts";
import type { HttpLimits } from "../limits.ts";
import type { InputBuffer } from "./input-buffer.ts";
import { fail } from "./parse-failure.ts";
import { type HeadResult, parseRequestHead } from "./request-head.ts";

/** How many empty lines may precede a request-line (RFC 9112 §2.2 says to ignore at least one). */
const MAX_LEADING_EMPTY_LINES = 8;

export type HeadScan = { readonly kind: "incomplete" } | HeadResult;

const INCOMPLETE: HeadScan = { kind: "incomplete" };

/**
 * Reads request heads off the input: scans for the empty line that ends a head, checking line
 * endings and size limits as bytes arrive, then parses the head and consumes it. The scan
 * resumes where it stopped; its positions are offsets from the input's start, so they survive
 * the buffer moving its bytes.
 */
export class HeadScanner {
  /** Bytes after the input's start already scanned, and where the current line begins. */
  private scanned = 0;
  private lineStart = 0;
  private lines = 0;
  private emptyLinesSkipped = 0;

  constructor(private readonly input: InputBuffer, private readonly limits: HttpLimits) {}

  /** The next head, parsed and consumed; incomplete until its empty line has arrived. */
  next(): HeadScan {
    const input = this.input;
    const buf = input.bytes;
    const end = input.end;
    const limits = this.limits;
    let start = input.start;
    let lineStart = start + this.lineStart;
    let i = start + this.scanned;
    while (i < end) {
      const b = buf[i]!;
      if (b === CR) {
        if (i + 1 === end) break; // wait for the byte after CR
        // RFC 9112 §2.2: a bare CR is invalid.
        if (buf[i + 1] !== LF) return fail("INVALID_LINE_ENDING", "bare CR in request head");
        if (i === lineStart) {
          // An empty line.
          if (this.lines === 0) {
            // RFC 9112 §2.2: ignore empty lines received before the request-line.
            if (++this.emptyLinesSkipped > MAX_LEADING_EMPTY_LINES) {
              return fail("INVALID_REQUEST_LINE", "too many empty lines before the request");
            }
            i += 2;
            start = lineStart = i;
            input.consumeTo(i);
            continue;
          }
          return this.complete(start, i);
        }
        if (++this.lines > limits.maxHeaderCount + 1) return fail("HEADER_OVERFLOW", "too many header fields");
        i += 2;
        lineStart = i;
        continue;
      }
      // RFC 9112 §2.2 lets a recipient accept a bare LF; we do not (strict framing).
      if (b === LF) return fail("INVALID_LINE_ENDING", "bare LF in request head");
      i++;
      // Both limits are checked at the byte that crosses them (not at the end of a chunk),
      // so the first limit crossed decides the status whatever the split of the input.
      if (this.lines === 0 && i - start > limits.maxRequestLineBytes) {
        return fail("URI_TOO_LONG", "request-line too long");
      }
      if (i - start > limits.maxHeaderBytes) return fail("HEADER_OVERFLOW", "header section too large");
    }
    this.scanned = i - start;
    this.lineStart = lineStart - start;
    return INCOMPLETE;
  }

  private complete(start: number, emptyLineAt: number): HeadResult {
    if (emptyLineAt - start > this.limits.maxHeaderBytes) {
      return fail("HEADER_OVERFLOW", "header section too large");
    }
    // The head without its final empty line; each line still ends in CRLF.
    const head = parseRequestHead(this.input.bytes, start, emptyLineAt, this.limits);
    this.input.consumeTo(emptyLineAt + 2);
    this.scanned =
      this.lineStart =
      this.lines =
      this.emptyLinesSkipped =
        0;
    return head;
  }
}
