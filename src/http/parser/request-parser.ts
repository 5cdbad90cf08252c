import { CR, LF } from "../chars.ts";
import { isFieldLine, parseChunkLine } from "./chunked.ts";
import { type HttpError, httpError } from "../http-error.ts";
import type { HttpLimits } from "../limits.ts";
import { parseRequestHead, type RequestHead } from "./request-head.ts";

export type ParseResult =
  | { readonly kind: "incomplete" }
  | { readonly kind: "request"; readonly head: RequestHead; readonly bodyUnread: boolean }
  | { readonly kind: "error"; readonly error: HttpError };

const INCOMPLETE: ParseResult = { kind: "incomplete" };

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  Dead,
}

/** Longest chunk-size line (size and extensions) we accept. */
const MAX_CHUNK_LINE = 4096;
/** Chunk-size lines and trailer lines of one body, together (Node allows 16 KiB of extensions). */
const MAX_FRAMING_BYTES = 64 * 1024;
/** How many empty lines may precede a request-line (RFC 9112 §2.2 says to ignore at least one). */
const MAX_LEADING_EMPTY_LINES = 8;

export interface ParserOptions {
  /**
   * Read a body that has not all arrived with its head, and discard it, before handing its
   * request out (the way request bodies will be read once apps can have them). Off, the
   * default: such a request is handed out at once with bodyUnread and the parser reads no
   * further, so the caller answers, closes, and never waits for a slow body it does not need.
   */
  readonly readBodies?: boolean;
}

/**
 * An incremental HTTP/1.1 request parser (RFC 9112). Bytes go in with feed(), requests come
 * out of next() one at a time, so the caller answers pipelined requests in order. Request
 * bodies are framed and discarded (the server never needs them). A body already buffered with
 * its head is checked and skipped before its request is handed out, so a smuggled or malformed
 * body is refused before any answer and the pipelined request behind it is read; a body still
 * on its way is not waited for (bodyUnread, see ParserOptions), and nothing after it is read.
 *
 * What the split of the input into chunks may change: only whether a body arrives with its
 * head. A split that never falls inside a body gives the same results as the whole input; one
 * that does can only end the results early, with that request handed out bodyUnread (its head
 * the same), never change or add a request or an error. With readBodies, every split gives the
 * same results.
 */
export class RequestParser {
  private buf = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private state = State.Head;
  /** Head state: where the scan for the end of the head resumes, and what it has seen. */
  private scan = 0;
  private lineStart = 0;
  private lines = 0;
  private emptyLinesSkipped = 0;
  /** Body states. */
  private pending: RequestHead | null = null;
  private remaining = 0;
  private bodyBytes = 0;
  /** Bytes of chunk-size lines and trailers in the current body (framing overhead). */
  private framingBytes = 0;
  /** Bytes of the current body consumed so far, framing included. */
  private received = 0;
  private readonly readBodies: boolean;

  constructor(private readonly limits: HttpLimits, options: ParserOptions = {}) {
    this.readBodies = options.readBodies ?? false;
  }

  /** Appends bytes (copied; the caller may reuse the chunk). */
  feed(chunk: Uint8Array): void {
    if (this.state === State.Dead || chunk.length === 0) return;
    if (this.start === this.end) {
      this.scan -= this.start;
      this.lineStart -= this.start;
      this.start = this.end = 0;
    }
    if (this.end + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** True while a request has started arriving but is not complete (a timeout applies). */
  get inRequest(): boolean {
    if (this.state === State.Dead) return false;
    return this.state !== State.Head || this.end > this.start;
  }

  /** True while a request head is complete and its body is being read (only with readBodies). */
  get inBody(): boolean {
    return this.state !== State.Head && this.state !== State.Dead;
  }

  /** Bytes of the body being read that have arrived so far, chunk framing included. */
  get bodyReceived(): number {
    return this.received;
  }

  /** The next complete request, or why there is none yet. After an error the parser stays dead. */
  next(): ParseResult {
    if (this.state === State.Dead) return INCOMPLETE;
    const result = this.state === State.Head ? this.nextHead() : this.continueBody();
    if (result.kind === "error") this.kill();
    return result;
  }

  private kill(): void {
    this.state = State.Dead;
    this.start = this.end = 0;
    this.pending = null;
  }

  private makeRoom(extra: number): void {
    const used = this.end - this.start;
    let size = this.buf.length;
    while (used + extra > size) size *= 2;
    if (size === this.buf.length && this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      const bigger = new Uint8Array(size);
      bigger.set(this.buf.subarray(this.start, this.end));
      this.buf = bigger;
    }
    this.scan -= this.start;
    this.lineStart -= this.start;
    this.start = 0;
    this.end = used;
  }

  /** Scans for the empty line that ends the head, checking line endings and size limits as it goes. */
  private nextHead(): ParseResult {
    const buf = this.buf;
    if (this.scan < this.start) this.resetScan();
    let i = this.scan;
    while (i < this.end) {
      const b = buf[i]!;
      if (b === CR) {
        if (i + 1 === this.end) break; // wait for the byte after CR
        // RFC 9112 §2.2: a bare CR is invalid.
        if (buf[i + 1] !== LF) return this.bad("INVALID_LINE_ENDING", "bare CR in request head");
        if (i === this.lineStart) {
          // An empty line.
          if (this.lines === 0) {
            // RFC 9112 §2.2: ignore empty lines received before the request-line.
            if (++this.emptyLinesSkipped > MAX_LEADING_EMPTY_LINES) {
              return this.bad("INVALID_REQUEST_LINE", "too many empty lines before the request");
            }
            this.start = this.lineStart = i + 2;
            i += 2;
            continue;
          }
          return this.completeHead(i);
        }
        this.lines++;
        if (this.lines > this.limits.maxHeaderCount + 1) {
          return { kind: "error", error: httpError(431, "HEADER_OVERFLOW", "too many header fields") };
        }
        i += 2;
        this.lineStart = i;
        continue;
      }
      // RFC 9112 §2.2 lets a recipient accept a bare LF; we do not (strict framing).
      if (b === LF) return this.bad("INVALID_LINE_ENDING", "bare LF in request head");
      i++;
      // Both limits are checked at the byte that crosses them (not at the end of a chunk),
      // so the first limit crossed decides the status whatever the split of the input.
      if (this.lines === 0 && i - this.start > this.limits.maxRequestLineBytes) {
        return { kind: "error", error: httpError(414, "URI_TOO_LONG", "request-line too long") };
      }
      if (i - this.start > this.limits.maxHeaderBytes) {
        return { kind: "error", error: httpError(431, "HEADER_OVERFLOW", "header section too large") };
      }
    }
    this.scan = i;
    return INCOMPLETE;
  }

  private resetScan(): void {
    this.scan = this.lineStart = this.start;
    this.lines = 0;
  }

  private completeHead(emptyLineAt: number): ParseResult {
    if (emptyLineAt - this.start > this.limits.maxHeaderBytes) {
      return { kind: "error", error: httpError(431, "HEADER_OVERFLOW", "header section too large") };
    }
    // The head without its final empty line; each line still ends in CRLF.
    const head = parseRequestHead(this.buf, this.start, emptyLineAt, this.limits);
    this.start = emptyLineAt + 2;
    this.resetScan();
    this.emptyLinesSkipped = 0;
    if ("status" in head) return { kind: "error", error: head };
    const body = head.body;
    if (body.kind === "none") return { kind: "request", head, bodyUnread: false };
    if (body.kind === "length" && body.length > this.limits.maxBodyBytes) {
      return { kind: "error", error: httpError(413, "BODY_TOO_LARGE", "request body too large") };
    }
    this.pending = head;
    this.bodyBytes = 0;
    this.framingBytes = 0;
    this.received = 0;
    if (body.kind === "length") {
      this.state = State.Length;
      this.remaining = body.length;
    } else {
      this.state = State.ChunkSize;
    }
    // RFC 9110 §10.1.1: a client expecting 100-continue waits for us; answer at once instead
    // of reading the body (the caller then closes the connection after its response).
    if (head.expectContinue) {
      this.state = State.Dead;
      return { kind: "request", head, bodyUnread: true };
    }
    const result = this.continueBody();
    if (result.kind !== "incomplete" || this.readBodies) return result;
    // The body is still on its way: answer first, read nothing more (the caller closes after
    // its response, lingering). Waiting for a body nothing needs let slow senders hold slots.
    this.kill();
    return { kind: "request", head, bodyUnread: true };
  }

  private bad(code: string, message: string): ParseResult {
    return { kind: "error", error: httpError(400, code, message) };
  }

  /** Reads and discards the body of the pending request; hands the request out when it is complete. */
  private continueBody(): ParseResult {
    const from = this.start;
    const result = this.readBody();
    this.received += this.start - from;
    return result;
  }

  private readBody(): ParseResult {
    for (;;) {
      switch (this.state) {
        case State.Length: {
          const take = Math.min(this.remaining, this.end - this.start);
          this.start += take;
          this.remaining -= take;
          if (this.remaining > 0) return INCOMPLETE;
          return this.finishBody();
        }
        case State.ChunkSize: {
          const line = this.takeLine(MAX_CHUNK_LINE);
          if (line === null) return INCOMPLETE;
          if (typeof line === "string") return this.bad("INVALID_CHUNK_SIZE", line);
          if (this.overFramingBudget(line.end - line.start)) return this.tooLarge();
          const size = parseChunkLine(this.buf, line.start, line.end);
          if (size === null) return this.bad("INVALID_CHUNK_SIZE", "invalid chunk-size line");
          this.bodyBytes += size;
          if (this.bodyBytes > this.limits.maxBodyBytes) return this.tooLarge();
          if (size === 0) {
            this.state = State.Trailers;
            this.lines = 0;
          } else {
            this.remaining = size;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, this.end - this.start);
          this.start += take;
          this.remaining -= take;
          if (this.remaining > 0) return INCOMPLETE;
          this.state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd: {
          if (this.end - this.start < 2) {
            if (this.end > this.start && this.buf[this.start] !== CR) return this.bad("INVALID_CHUNK_DATA", "chunk data too long");
            return INCOMPLETE;
          }
          // RFC 9112 §7.1: chunk-data is followed by CRLF.
          if (this.buf[this.start] !== CR || this.buf[this.start + 1] !== LF) {
            return this.bad("INVALID_CHUNK_DATA", "chunk data not followed by CRLF");
          }
          this.start += 2;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const line = this.takeLine(this.limits.maxHeaderBytes);
          if (line === null) return INCOMPLETE;
          if (typeof line === "string") return this.bad("INVALID_TRAILER", line);
          if (line.start === line.end) return this.finishBody();
          if (this.overFramingBudget(line.end - line.start)) return this.tooLarge();
          // RFC 9112 §7.1.2: trailer-section = *( field-line CRLF ); checked and discarded.
          if (!isFieldLine(this.buf, line.start, line.end)) return this.bad("INVALID_TRAILER", "invalid trailer field");
          if (++this.lines > this.limits.maxHeaderCount) {
            return { kind: "error", error: httpError(431, "HEADER_OVERFLOW", "too many trailer fields") };
          }
          break;
        }
        default:
          return INCOMPLETE;
      }
    }
  }

  /**
   * Chunk extensions and trailers carry no body bytes, so they get their own budget; without
   * one, tiny chunks with long extensions keep a request going forever (cf. CVE-2024-22019).
   */
  private overFramingBudget(lineBytes: number): boolean {
    this.framingBytes += lineBytes + 2;
    return this.framingBytes > MAX_FRAMING_BYTES;
  }

  private tooLarge(): ParseResult {
    return { kind: "error", error: httpError(413, "BODY_TOO_LARGE", "request body too large") };
  }

  private finishBody(): ParseResult {
    const head = this.pending!;
    this.pending = null;
    this.state = State.Head;
    this.resetScan();
    return { kind: "request", head, bodyUnread: false };
  }

  /**
   * Takes one CRLF-terminated line from the buffer: its bounds without the CRLF, null when
   * it has not fully arrived, or a message when it is malformed or longer than max.
   */
  private takeLine(max: number): { start: number; end: number } | string | null {
    const buf = this.buf;
    for (let i = this.start; i < this.end; i++) {
      const b = buf[i];
      if (b === LF) return "bare LF";
      if (b === CR) {
        if (i + 1 === this.end) return null;
        if (buf[i + 1] !== LF) return "bare CR";
        const line = { start: this.start, end: i };
        this.start = i + 2;
        return line;
      }
      if (i - this.start >= max) return "line too long";
    }
    return this.end - this.start > max ? "line too long" : null;
  }
}
