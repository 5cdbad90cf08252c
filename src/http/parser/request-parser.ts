import { CR, LF } from "../chars.ts";
import type { HttpLimits } from "../limits.ts";
import { isFieldLine, parseChunkLine } from "../chunked/parse.ts";
import { HeadScanner } from "./head-scan.ts";
import { InputBuffer } from "./input-buffer.ts";
import { fail, type ParseFailure } from "./parse-failure.ts";
import type { RequestHead } from "./request-head.ts";

/**
 * A refusal, with the request's head when it was whole first (a declared body over --max-body),
 * so the access log can name the request it refused.
 */
export type RequestFailure = ParseFailure & { readonly head?: RequestHead };

/** What next() gives when bodies are skipped (the default) or read (readBodies). */
export type ParseResult =
  | { readonly kind: "incomplete" }
  | { readonly kind: "request"; readonly head: RequestHead; readonly bodyUnread: boolean }
  | RequestFailure;

/**
 * What next() gives with streamBodies. A request is handed out as soon as its head is complete;
 * with `body: "stream"` the calls that follow give its body's bytes, de-chunked, as they arrive
 * ("body", never empty), then "body-end" once the body and any trailers are complete, then the
 * next request as usual. A "body" view into the parser's buffer is valid only until the next
 * feed() or next(): copy what must be kept. An error mid-body ends the results as anywhere else.
 */
export type StreamResult =
  | { readonly kind: "incomplete" }
  | {
    readonly kind: "request";
    readonly head: RequestHead;
    readonly bodyUnread: false;
    readonly body: "none" | "stream";
  }
  | { readonly kind: "body"; readonly data: Uint8Array }
  | { readonly kind: "body-end" }
  | RequestFailure;

/** next()'s results for a parser made with (Stream = true) or without streamBodies. */
export type NextResult<Stream extends boolean> = Stream extends true ? StreamResult : ParseResult;

type AnyResult = ParseResult | StreamResult;

const INCOMPLETE: AnyResult = { kind: "incomplete" };
const BODY_END: AnyResult = { kind: "body-end" };

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  /** The body is complete: the next call hands out its request (or, streaming, its end). */
  End,
  Dead,
}

/** What is done with a body that follows a head; see ParserOptions. */
const enum Mode {
  Skip,
  Read,
  Stream,
}

/** Longest chunk-size line (size and extensions) we accept. */
const MAX_CHUNK_LINE = 4096;
/** Chunk-size lines and trailer lines of one body, together (Node allows 16 KiB of extensions). */
const MAX_FRAMING_BYTES = 64 * 1024;

export interface ParserOptions<Stream extends boolean = false> {
  /**
   * Read a body that has not all arrived with its head, and discard it, before handing its
   * request out. Off, the default: such a request is handed out at once with bodyUnread and the
   * parser reads no further, so the caller answers, closes, and never waits for a slow body it
   * does not need.
   *
   * A test seam: nothing in the product sets it (bodies are skipped, or streamed to an app that
   * reads them). It gives the tests a reference that does not depend on the split of the input
   * at all (request-parser.test.ts, request-parser-properties.test.ts, the conformance corpus
   * test), which streaming is checked against, and lets the connection tests drive the body
   * deadlines without an app (ConnectionContext.readBodies).
   */
  readonly readBodies?: boolean;
  /**
   * Hand each request out as soon as its head is complete and give its body's bytes from the
   * calls of next() that follow (StreamResult), for a caller that passes bodies on with
   * backpressure: it stops calling next() (and feeding) while its reader is full. With
   * Expect: 100-continue too: the caller decides when to send 100, the body is read as it
   * arrives. Takes precedence over readBodies.
   */
  readonly streamBodies?: Stream;
}

/**
 * An incremental HTTP/1.1 request parser (RFC 9112). Bytes go in with feed(), requests come
 * out of next() one at a time, so the caller answers pipelined requests in order. By default
 * request bodies are framed and discarded: a body already buffered with its head is checked
 * and skipped before its request is handed out, so a smuggled or malformed body is refused
 * before any answer and the pipelined request behind it is read; a body still on its way is not
 * waited for (bodyUnread, see ParserOptions), and nothing after it is read.
 *
 * What the split of the input into chunks may change: only whether a body arrives with its
 * head. A split that never falls inside a body gives the same results as the whole input; one
 * that does can only end the results early, with that request handed out bodyUnread (its head
 * the same), never change or add a request or an error. With readBodies, every split gives the
 * same results; with streamBodies, the same requests, body ends and errors, and the same body
 * bytes (only how they are cut into "body" results differs).
 */
export class RequestParser<Stream extends boolean = false> {
  private readonly input = new InputBuffer();
  private readonly heads: HeadScanner;
  private readonly mode: Mode;
  private state = State.Head;
  /** Body states: the request whose body is being skipped or read (not when streaming). */
  private pending: RequestHead | null = null;
  /** Bytes left of the Content-Length body or of the current chunk. */
  private remaining = 0;
  /** Decoded bytes of the current chunked body. */
  private bodyBytes = 0;
  /** Bytes of chunk-size lines and trailer lines in the current body (framing overhead). */
  private framingBytes = 0;
  private trailerLines = 0;
  /** Bytes of the current body consumed so far, framing included. */
  private received = 0;

  constructor(private readonly limits: HttpLimits, options: ParserOptions<Stream> = {}) {
    this.heads = new HeadScanner(this.input, limits);
    this.mode = options.streamBodies === true ? Mode.Stream : options.readBodies === true ? Mode.Read : Mode.Skip;
  }

  /** Appends bytes (copied; the caller may reuse the chunk). */
  feed(chunk: Uint8Array): void {
    if (this.state !== State.Dead) this.input.feed(chunk);
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.input.length;
  }

  /** Takes every byte received and not consumed (a copy), leaving none: what follows a 101 is another protocol's. */
  takeRest(): Uint8Array {
    const rest = this.input.bytes.slice(this.input.start, this.input.end);
    this.kill();
    return rest;
  }

  /** True while a request has started arriving but is not complete (a timeout applies). */
  get inRequest(): boolean {
    if (this.state === State.Dead) return false;
    return this.state !== State.Head || this.input.length > 0;
  }

  /** True while a request head is complete and its body is being read (readBodies, streamBodies). */
  get inBody(): boolean {
    return this.state !== State.Head && this.state !== State.Dead;
  }

  /** Bytes of the body being read that have arrived so far, chunk framing included. */
  get bodyReceived(): number {
    return this.received;
  }

  /**
   * The next complete request (or, streaming, body part of at most `maxPiece` bytes), or why
   * there is none yet. After an error the parser stays dead.
   */
  next(maxPiece = Infinity): NextResult<Stream> {
    if (this.state === State.Dead) return INCOMPLETE as NextResult<Stream>;
    const result = this.state === State.Head ? this.nextHead() : this.continueBody(maxPiece);
    if (result.kind === "failed") this.kill();
    return result as NextResult<Stream>;
  }

  private kill(): void {
    this.state = State.Dead;
    this.input.clear();
    this.pending = null;
  }

  private nextHead(): AnyResult {
    const scan = this.heads.next();
    if (scan.kind !== "head") return scan;
    const head = scan.head;
    const body = head.body;
    const stream = this.mode === Mode.Stream;
    if (body.kind === "none") {
      return stream
        ? { kind: "request", head, bodyUnread: false, body: "none" }
        : { kind: "request", head, bodyUnread: false };
    }
    // A declared length over the limit is refused before its request is handed out.
    if (body.kind === "length" && body.length > this.limits.maxBodyBytes) {
      return { ...fail("BODY_TOO_LARGE", "request body too large"), head };
    }
    this.bodyBytes = this.framingBytes = this.received = 0;
    if (body.kind === "length") {
      this.state = State.Length;
      this.remaining = body.length;
    } else {
      this.state = State.ChunkSize;
    }
    if (stream) return { kind: "request", head, bodyUnread: false, body: "stream" };
    // RFC 9110 §10.1.1: a client expecting 100-continue waits for us; answer at once instead
    // of reading the body (the caller then closes the connection after its response).
    if (head.expectContinue) {
      this.state = State.Dead;
      return { kind: "request", head, bodyUnread: true };
    }
    this.pending = head;
    const result = this.continueBody();
    if (result.kind !== "incomplete" || this.mode === Mode.Read) return result;
    // The body is still on its way: answer first, read nothing more (the caller closes after
    // its response, lingering). Waiting for a body nothing needs let slow senders hold slots.
    this.kill();
    return { kind: "request", head, bodyUnread: true };
  }

  /** Reads the body: discarding it (its request is handed out at its end), or handing its bytes out. */
  private continueBody(maxPiece = Infinity): AnyResult {
    const from = this.input.start;
    const result = this.readBody(this.mode === Mode.Stream ? maxPiece : Infinity);
    this.received += this.input.start - from;
    return result;
  }

  private readBody(maxPiece: number): AnyResult {
    const input = this.input;
    for (;;) {
      switch (this.state) {
        case State.Length:
        case State.ChunkData: {
          const from = input.start;
          const take = Math.min(this.remaining, input.length, maxPiece);
          input.consumeTo(from + take);
          this.remaining -= take;
          if (this.remaining === 0) this.state = this.state === State.Length ? State.End : State.ChunkDataEnd;
          if (take > 0 && this.mode === Mode.Stream) {
            return { kind: "body", data: input.bytes.subarray(from, from + take) };
          }
          if (this.remaining > 0) return INCOMPLETE;
          break;
        }
        case State.ChunkSize: {
          const line = input.takeLine(MAX_CHUNK_LINE);
          if (line.kind === "incomplete") return INCOMPLETE;
          if (line.kind === "malformed") return fail("INVALID_CHUNK_SIZE", line.message);
          if (this.overFramingBudget(line.end - line.start)) {
            return fail("BODY_TOO_LARGE", "request body too large");
          }
          const size = parseChunkLine(input.bytes, line.start, line.end);
          if (size === null) return fail("INVALID_CHUNK_SIZE", "invalid chunk-size line");
          this.bodyBytes += size;
          if (this.bodyBytes > this.limits.maxBodyBytes) return fail("BODY_TOO_LARGE", "request body too large");
          if (size === 0) {
            this.state = State.Trailers;
            this.trailerLines = 0;
          } else {
            this.remaining = size;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkDataEnd: {
          const buf = input.bytes;
          const at = input.start;
          if (input.length < 2) {
            if (input.length > 0 && buf[at] !== CR) return fail("INVALID_CHUNK_DATA", "chunk data too long");
            return INCOMPLETE;
          }
          // RFC 9112 §7.1: chunk-data is followed by CRLF.
          if (buf[at] !== CR || buf[at + 1] !== LF) {
            return fail("INVALID_CHUNK_DATA", "chunk data not followed by CRLF");
          }
          input.consumeTo(at + 2);
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const line = input.takeLine(this.limits.maxHeaderBytes);
          if (line.kind === "incomplete") return INCOMPLETE;
          if (line.kind === "malformed") return fail("INVALID_TRAILER", line.message);
          if (line.start === line.end) {
            this.state = State.End;
            break;
          }
          if (this.overFramingBudget(line.end - line.start)) {
            return fail("BODY_TOO_LARGE", "request body too large");
          }
          // RFC 9112 §7.1.2: trailer-section = *( field-line CRLF ); checked and discarded.
          if (!isFieldLine(input.bytes, line.start, line.end)) {
            return fail("INVALID_TRAILER", "invalid trailer field");
          }
          if (++this.trailerLines > this.limits.maxHeaderCount) {
            return fail("HEADER_OVERFLOW", "too many trailer fields");
          }
          break;
        }
        case State.End:
          return this.finishBody();
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

  private finishBody(): AnyResult {
    this.state = State.Head;
    if (this.mode === Mode.Stream) return BODY_END;
    const head = this.pending!;
    this.pending = null;
    return { kind: "request", head, bodyUnread: false };
  }
}
