/**
 * The one reader of HTTP/1.1 responses from bytes, for the unit and the end-to-end tests
 * (RFC 9112): the status line, field lines (repeats kept, in order), bodies framed by
 * Content-Length, by the chunked coding (with trailers) or by the close, 1xx interim responses,
 * and several responses pipelined on one byte stream. It is strict: whatever a conforming server
 * could not have sent throws, so a test fails on a malformed response instead of reading past it.
 * Only running out of bytes is not an error: a body cut short is a response with complete false.
 */
import { type Field, fieldLine, Fields } from "./http-fields.ts";

export { type Field, Fields, parseFieldBlock } from "./http-fields.ts";

export interface ParsedResponse {
  readonly version: "1.0" | "1.1";
  readonly status: number;
  readonly reason: string;
  /** The head as sent, from the status line to the empty line included (latin-1). */
  readonly head: string;
  readonly headers: Fields;
  /** How the body was delimited (RFC 9112 §6.3); "none" for HEAD, 1xx, 204 and 304. */
  readonly framing: "none" | "content-length" | "chunked" | "close";
  /** The content, with the chunked framing removed (other transfer codings left as sent). */
  readonly body: Buffer;
  /** Chunked only: each chunk's data, in order, for tests about how a body was cut. */
  readonly chunks: readonly Buffer[];
  /** Chunked only: the trailer section (RFC 9112 §7.1.2). */
  readonly trailers: Fields;
  /** The 1xx responses that came before this one (RFC 9110 §15.2). */
  readonly interim: readonly ParsedResponse[];
  /** The whole message arrived; false only for the last response of the bytes, cut short. */
  readonly complete: boolean;
}

export interface ResponseOptions {
  /** By position among the final responses: true where the request was HEAD (RFC 9110 §9.3.2). */
  readonly heads?: readonly boolean[];
  /** The stream ended with these bytes (the server closed): a close-delimited body is complete. */
  readonly ended?: boolean;
}

/** A response's field value for a name (its lines joined, RFC 9110 §5.3), or undefined. */
export function header(response: ParsedResponse, name: string): string | undefined {
  return response.headers.get(name);
}

/**
 * Every response in the bytes, in order. Throws when they are malformed or end inside a head
 * (a head is never a result without its status); the last response's body may be cut short.
 */
export function parseResponses(data: Uint8Array, options: ResponseOptions = {}): ParsedResponse[] {
  const read = readResponses(data, options);
  if (read.error !== null) throw new Error(`${read.error}, in ${excerpt(data)}`);
  if (read.cutHead !== null) throw new Error(`${read.cutHead}, in ${excerpt(data)}`);
  return read.responses;
}

/**
 * For waiting on a socket: true once the bytes hold `count` complete final responses, or are
 * malformed (the wait can stop: parseResponses will say what is wrong).
 */
export function hasResponses(count: number, options: ResponseOptions = {}): (data: Uint8Array) => boolean {
  return (data) => {
    const read = readResponses(data, options);
    return read.error !== null || read.responses.filter((r) => r.complete).length >= count;
  };
}

interface Read {
  readonly responses: ParsedResponse[];
  /** What is malformed, or null. */
  readonly error: string | null;
  /** Why the bytes end where a head belongs (inside one, or after a 1xx), or null. */
  readonly cutHead: string | null;
}

/** Status codes are three digits, 100 to 599 (RFC 9110 §15). */
const STATUS_LINE = /^HTTP\/(1\.[01]) ([1-5]\d\d) ([\t\x20-\x7e\x80-\xff]*)$/;
/** chunk-size [ chunk-ext ] (RFC 9112 §7.1, §7.1.1). */
const CHUNK_LINE =
  /^([0-9A-Fa-f]{1,16})((?:[ \t]*;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*=[ \t]*(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*"))?)*)$/;

const CR = 0x0d;
const LF = 0x0a;

function readResponses(data: Uint8Array, options: ResponseOptions): Read {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const responses: ParsedResponse[] = [];
  let interim: ParsedResponse[] = [];
  let at = 0;
  try {
    while (at < bytes.length) {
      const head = readHead(bytes, at);
      if (head === null) return { responses, error: null, cutHead: "the bytes end inside a response head" };
      const isHead = options.heads?.[responses.length] === true;
      const framing = framingOf(head, isHead);
      const body = readBody(bytes, head.end, framing, options.ended === true);
      const response: ParsedResponse = {
        version: head.version,
        status: head.status,
        reason: head.reason,
        head: head.text,
        headers: head.fields,
        framing: framing.kind,
        body: body.body,
        chunks: body.chunks,
        trailers: body.trailers,
        interim,
        complete: body.complete,
      };
      at = body.end;
      // 1xx other than 101: the final response to the same request follows (RFC 9110 §15.2).
      if (head.status < 200 && head.status !== 101) {
        interim = [...interim, response];
        continue;
      }
      responses.push(response);
      interim = [];
      // After 101 the bytes are another protocol's; after a body cut short there is nothing.
      if (head.status === 101 || !body.complete) break;
    }
    if (interim.length > 0) {
      return { responses, error: null, cutHead: "the bytes end after a 1xx, before its final response" };
    }
    return { responses, error: null, cutHead: null };
  } catch (error) {
    return { responses, error: error instanceof Error ? error.message : String(error), cutHead: null };
  }
}

interface Head {
  readonly version: "1.0" | "1.1";
  readonly status: number;
  readonly reason: string;
  readonly text: string;
  readonly fields: Fields;
  /** Offset of the first byte after the empty line. */
  readonly end: number;
}

/** The head starting at `at`, or null when the bytes end before its empty line. */
function readHead(bytes: Buffer, at: number): Head | null {
  const lines: string[] = [];
  let start = at;
  for (;;) {
    const lf = bytes.indexOf(LF, start);
    if (lf < 0) {
      // A CR as the very last byte may be the first half of a CRLF still to come.
      checkNoBareCr(bytes, start, bytes.length - 1);
      return null;
    }
    // RFC 9112 §2.2: lines end in CRLF; a server never sends a bare LF or CR.
    if (lf === start || bytes[lf - 1] !== CR) throw new Error(`a bare LF at byte ${lf} of a response head`);
    checkNoBareCr(bytes, start, lf - 1);
    const line = bytes.toString("latin1", start, lf - 1);
    start = lf + 1;
    if (line === "") break;
    lines.push(line);
  }
  const [statusLine, ...fieldLines] = lines;
  if (statusLine === undefined) throw new Error(`an empty line where a status line belongs, at byte ${at}`);
  const status = STATUS_LINE.exec(statusLine);
  if (status === null) throw new Error(`a malformed status line ${JSON.stringify(statusLine)} (RFC 9112 §4)`);
  const fields = fieldLines.map((line) => {
    const field = fieldLine(line);
    if (typeof field === "string") throw new Error(field);
    return field;
  });
  return {
    version: status[1] as "1.0" | "1.1",
    status: Number(status[2]),
    reason: status[3]!,
    text: bytes.toString("latin1", at, start),
    fields: new Fields(fields),
    end: start,
  };
}

function checkNoBareCr(bytes: Buffer, from: number, to: number): void {
  const cr = bytes.indexOf(CR, from);
  if (cr >= 0 && cr < to) throw new Error(`a bare CR at byte ${cr} of a response head`);
}

type Framing =
  | { readonly kind: "none" }
  | { readonly kind: "content-length"; readonly length: number }
  | { readonly kind: "chunked" }
  | { readonly kind: "close" };

/** How the body after this head is delimited (RFC 9112 §6.3), checking what a server must not send. */
function framingOf(head: Head, isHead: boolean): Framing {
  const lengths = head.fields.all("content-length");
  const codings = head.fields.all("transfer-encoding");
  const informational = head.status < 200;
  // RFC 9110 §8.6 and RFC 9112 §6.1: neither field on a 1xx or a 204.
  if ((informational || head.status === 204) && (lengths.length > 0 || codings.length > 0)) {
    throw new Error(`a ${head.status} with Content-Length or Transfer-Encoding`);
  }
  // RFC 9112 §6.2: a sender must not send Content-Length with Transfer-Encoding.
  if (lengths.length > 0 && codings.length > 0) throw new Error("Content-Length together with Transfer-Encoding");
  if (lengths.length > 1) throw new Error(`Content-Length sent ${lengths.length} times: ${lengths.join(" | ")}`);
  const length = lengths[0];
  if (length !== undefined && !/^\d+$/.test(length)) {
    throw new Error(`a malformed Content-Length ${JSON.stringify(length)} (RFC 9110 §8.6)`);
  }
  let chunked = false;
  if (codings.length > 0) {
    const list = codings.join(",").split(",").map((c) => c.trim().toLowerCase());
    if (list.some((c) => c === "")) {
      throw new Error(`an empty transfer coding in ${JSON.stringify(codings.join(", "))}`);
    }
    const at = list.indexOf("chunked");
    // RFC 9112 §7: chunked at most once, and last when applied.
    if (at >= 0 && at !== list.length - 1) {
      throw new Error(`chunked is not the final transfer coding: ${list.join(", ")}`);
    }
    chunked = at >= 0;
  }
  // RFC 9112 §6.3 rules 1 and 2: HEAD, 1xx, 204 and 304 end at the head.
  if (isHead || informational || head.status === 204 || head.status === 304) return { kind: "none" };
  if (codings.length > 0) return chunked ? { kind: "chunked" } : { kind: "close" };
  if (length !== undefined) return { kind: "content-length", length: Number(length) };
  return { kind: "close" };
}

interface Body {
  readonly body: Buffer;
  readonly chunks: Buffer[];
  readonly trailers: Fields;
  readonly complete: boolean;
  /** Offset of the first byte after the message. */
  readonly end: number;
}

const NO_FIELDS = new Fields([]);

function readBody(bytes: Buffer, at: number, framing: Framing, ended: boolean): Body {
  switch (framing.kind) {
    case "none":
      return { body: Buffer.alloc(0), chunks: [], trailers: NO_FIELDS, complete: true, end: at };
    case "content-length": {
      const end = Math.min(bytes.length, at + framing.length);
      return {
        body: bytes.subarray(at, end),
        chunks: [],
        trailers: NO_FIELDS,
        complete: end === at + framing.length,
        end,
      };
    }
    case "close":
      return { body: bytes.subarray(at), chunks: [], trailers: NO_FIELDS, complete: ended, end: bytes.length };
    case "chunked":
      return readChunked(bytes, at);
  }
}

/** The chunked coding (RFC 9112 §7.1): size lines, data each followed by CRLF, a last chunk, trailers. */
function readChunked(bytes: Buffer, at: number): Body {
  const chunks: Buffer[] = [];
  const cut = (): Body => ({
    body: Buffer.concat(chunks),
    chunks,
    trailers: NO_FIELDS,
    complete: false,
    end: bytes.length,
  });
  let position = at;
  for (;;) {
    const line = crlfLine(bytes, position, "a chunk-size line");
    if (line === null) return cut();
    const size = CHUNK_LINE.exec(line.text);
    if (size === null) throw new Error(`a malformed chunk-size line ${JSON.stringify(line.text)} (RFC 9112 §7.1)`);
    const length = parseInt(size[1]!, 16);
    position = line.end;
    if (length === 0) break;
    const dataEnd = position + length;
    if (dataEnd > bytes.length) {
      chunks.push(bytes.subarray(position));
      return cut();
    }
    chunks.push(bytes.subarray(position, dataEnd));
    if (dataEnd + 2 > bytes.length) return cut();
    if (bytes[dataEnd] !== CR || bytes[dataEnd + 1] !== LF) {
      throw new Error(`chunk data not followed by CRLF at byte ${dataEnd}`);
    }
    position = dataEnd + 2;
  }
  const trailers: Field[] = [];
  for (;;) {
    const line = crlfLine(bytes, position, "the trailer section");
    if (line === null) return cut();
    position = line.end;
    if (line.text === "") break;
    const field = fieldLine(line.text);
    if (typeof field === "string") throw new Error(`in the trailers: ${field}`);
    trailers.push(field);
  }
  return { body: Buffer.concat(chunks), chunks, trailers: new Fields(trailers), complete: true, end: position };
}

/** The line at `at` up to its CRLF, or null when the bytes end first. */
function crlfLine(bytes: Buffer, at: number, what: string): { readonly text: string; readonly end: number } | null {
  const lf = bytes.indexOf(LF, at);
  if (lf < 0) {
    checkNoBareCr(bytes, at, bytes.length - 1);
    return null;
  }
  if (lf === at || bytes[lf - 1] !== CR) throw new Error(`a bare LF in ${what} at byte ${lf}`);
  checkNoBareCr(bytes, at, lf - 1);
  return { text: bytes.toString("latin1", at, lf - 1), end: lf + 1 };
}

function excerpt(data: Uint8Array): string {
  const text = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 400)).toString("latin1");
  return JSON.stringify(data.byteLength > 400 ? `${text}...` : text);
}
