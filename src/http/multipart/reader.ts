import { parsePartHeaders, type PartHeaders } from "./part-headers.ts";

/** What one piece of a multipart body held, in order. */
export type MultipartEvent =
  /** A part begins: its header fields (names in lower case). */
  | { readonly kind: "part"; readonly headers: PartHeaders }
  /** Bytes of the current part's content (a view of the piece: not to be changed). */
  | { readonly kind: "data"; readonly bytes: Uint8Array }
  /** The current part ended (its delimiter was read). */
  | { readonly kind: "part-end" }
  /** The close delimiter was read: what follows is the epilogue, ignored. */
  | { readonly kind: "end" };

/** Why a multipart body is refused: broken framing (400) or past a bound (413). */
export interface MultipartFailure {
  readonly kind: "failed";
  readonly reason: "malformed" | "too-large";
  readonly message: string;
}

export interface MultipartLimits {
  /** Bytes of one part's header block. */
  readonly headerBytes: number;
  /** Parts in the whole body. */
  readonly parts: number;
}

type State = "preamble" | "delimiter" | "headers" | "body" | "epilogue";

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
/** Transport padding after a delimiter (RFC 2046 §5.1.1: LWSP), bounded all the same. */
const MAX_PADDING = 256;
const HEADER_END = new Uint8Array([CR, LF, CR, LF]);

/**
 * The framing of a multipart body (RFC 2046 §5.1.1, as RFC 7578 uses it), pushed piece by piece
 * as it arrives. It holds back at most a partial delimiter (or one part's header block, bounded)
 * between pieces, so its memory is one piece plus the boundary: the content of a part is handed on
 * as views of the pieces themselves. The preamble and the epilogue are ignored.
 */
export class MultipartReader {
  /** "CRLF--boundary": a delimiter always follows a line break (§5.1.1). */
  private readonly delimiter: Uint8Array;
  private state: State = "preamble";
  /** Bytes not yet decided on, carried into the next piece. The body's start counts as after a CRLF. */
  private held: Uint8Array = new Uint8Array([CR, LF]);
  /** In "headers": how far the held block was already searched for its end. */
  private scanned = 0;
  private padding = 0;
  private parts = 0;
  private failure: MultipartFailure | null = null;

  constructor(boundary: string, private readonly limits: MultipartLimits) {
    this.delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  }

  /** The events of one more piece, or why the body is refused (then every later push fails too). */
  push(piece: Uint8Array): MultipartEvent[] | MultipartFailure {
    if (this.failure !== null) return this.failure;
    const window = this.held.length === 0 ? piece : concat(this.held, piece);
    this.held = EMPTY;
    const events: MultipartEvent[] = [];
    let at = 0;
    while (at < window.length && this.failure === null) {
      const next = this.step(window, at, events);
      if (next === null) break;
      at = next;
    }
    return this.failure ?? events;
  }

  /** The body ended: complete only after the close delimiter (RFC 2046 §5.1.1). */
  finish(): MultipartFailure | null {
    if (this.failure !== null) return this.failure;
    if (this.state !== "epilogue") this.fail("malformed", "the body ended before its close delimiter");
    return this.failure;
  }

  /** One decision at `at`: the position after it, or null when the rest is held for the next piece. */
  private step(window: Uint8Array, at: number, events: MultipartEvent[]): number | null {
    switch (this.state) {
      case "preamble":
        return this.skipToDelimiter(window, at);
      case "delimiter":
        return this.afterDelimiter(window, at, events);
      case "headers":
        return this.headers(window, at, events);
      case "body":
        return this.body(window, at, events);
      case "epilogue":
        return window.length;
    }
  }

  private skipToDelimiter(window: Uint8Array, at: number): number | null {
    const found = indexOf(window, this.delimiter, at);
    if (found >= 0) return this.enter("delimiter", found + this.delimiter.length);
    this.held = window.subarray(partialStart(window, this.delimiter, at));
    return null;
  }

  /** After "--boundary": "--" closes; else transport padding then CRLF opens a part. */
  private afterDelimiter(window: Uint8Array, at: number, events: MultipartEvent[]): number | null {
    const byte = window[at]!;
    if (byte === 0x20 || byte === 0x09) {
      if (++this.padding > MAX_PADDING) return this.fail("malformed", "too much padding after a boundary");
      return at + 1;
    }
    if (byte !== CR && !(byte === DASH && this.padding === 0)) {
      return this.fail("malformed", "a boundary not followed by CRLF or --");
    }
    if (at + 1 >= window.length) {
      this.held = window.subarray(at);
      return null;
    }
    const second = window[at + 1]!;
    if (byte === DASH) {
      if (second !== DASH) return this.fail("malformed", "a boundary not followed by CRLF or --");
      events.push({ kind: "end" });
      return this.enter("epilogue", at + 2);
    }
    if (second !== LF) return this.fail("malformed", "a boundary not followed by CRLF");
    if (++this.parts > this.limits.parts) return this.fail("too-large", "too many parts");
    // The CRLF stays: the header block is searched for CRLF CRLF from it, so an empty one is found too.
    this.scanned = 0;
    return this.enter("headers", at);
  }

  private headers(window: Uint8Array, at: number, events: MultipartEvent[]): number | null {
    const found = indexOf(window, HEADER_END, at + Math.max(0, this.scanned - 3));
    if (found < 0) {
      if (window.length - at - 2 > this.limits.headerBytes) return this.fail("too-large", "part headers too large");
      this.scanned = window.length - at;
      this.held = window.subarray(at);
      return null;
    }
    if (found - at > this.limits.headerBytes) return this.fail("too-large", "part headers too large");
    const headers = parsePartHeaders(window.subarray(at + 2, found));
    if (headers === null) return this.fail("malformed", "a malformed part header");
    events.push({ kind: "part", headers });
    return this.enter("body", found + HEADER_END.length);
  }

  private body(window: Uint8Array, at: number, events: MultipartEvent[]): number | null {
    const found = indexOf(window, this.delimiter, at);
    const end = found >= 0 ? found : partialStart(window, this.delimiter, at);
    if (end > at) events.push({ kind: "data", bytes: window.subarray(at, end) });
    if (found < 0) {
      this.held = window.subarray(end);
      return null;
    }
    events.push({ kind: "part-end" });
    return this.enter("delimiter", found + this.delimiter.length);
  }

  private enter(state: State, at: number): number {
    this.state = state;
    this.padding = 0;
    return at;
  }

  private fail(reason: MultipartFailure["reason"], message: string): null {
    this.failure = { kind: "failed", reason, message };
    return null;
  }
}

const EMPTY = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The first index of `needle` in `haystack` from `from`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * Where the window's tail may begin a delimiter the next piece completes (the window's length if
 * it cannot): only that tail is held back.
 */
function partialStart(window: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (
    let i = window.indexOf(first, Math.max(from, window.length - needle.length + 1));
    i >= 0;
    i = window.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (i + j < window.length && window[i + j] === needle[j]) j++;
    if (i + j === window.length) return i;
  }
  return window.length;
}
