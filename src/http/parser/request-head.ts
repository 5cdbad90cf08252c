import { COLON, CR, FIELD_VALUE_CHAR, HTAB, latin1, SP, TARGET_CHAR, TCHAR, VCHAR } from "../chars.ts";
import type { HttpLimits } from "../limits.ts";
import { emptyFields, fillField, type RequestFields } from "../request-fields.ts";
import { fail, type ParseFailure } from "./parse-failure.ts";

/**
 * How the request body is framed (RFC 9112 §6.3). An HTTP/2 request (src/http2/) has "none" when
 * its HEADERS ended the stream, "length" with a content-length, else "chunked": DATA frames of
 * no declared length until END_STREAM (RFC 9113 §8.1).
 */
export type BodyFraming = { readonly kind: "none" } | { readonly kind: "length"; readonly length: number } | {
  readonly kind: "chunked";
};

/** A parsed request head. Field names are lower-cased; values are latin-1 strings with OWS trimmed. */
export interface RequestHead {
  readonly method: string;
  readonly target: string;
  /** "2.0": a request read by src/http2/ (RFC 9113 §8.3), target from :path and host from :authority. */
  readonly version: "1.0" | "1.1" | "2.0";
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The known fields (REQUEST_FIELDS), each filled once as its rule says: what the core reads. */
  readonly fields: RequestFields;
  /** The Host field (RFC 9110 §7.2), null without one: what a request's absolute URL is built from. */
  readonly host: string | null;
  readonly body: BodyFraming;
  /** RFC 9112 §9.3: whether the connection may persist after this exchange. */
  readonly keepAlive: boolean;
  /** RFC 9110 §10.1.1: the client waits for 100 (Continue) before sending its body. */
  readonly expectContinue: boolean;
}

/** A parsed head, or why the request is refused. */
export type HeadResult = { readonly kind: "head"; readonly head: RequestHead } | ParseFailure;

/**
 * Parses a complete request head: bytes [start, end) hold the request-line and field lines,
 * each ending in CRLF, without the final empty line. The caller already checked line endings
 * (no bare CR or LF) and the size limits.
 */
export function parseRequestHead(buf: Uint8Array, start: number, end: number, limits: HttpLimits): HeadResult {
  const lineEnd = indexOfCr(buf, start, end);
  const requestLine = parseRequestLine(buf, start, lineEnd);
  if (requestLine.kind === "failed") return requestLine;
  const fields = parseFieldLines(buf, lineEnd + 2, end, limits);
  if (fields.kind === "failed") return fields;
  return interpret(requestLine, fields.fields);
}

function indexOfCr(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === CR) return i;
  return end;
}

interface RequestLine {
  readonly kind: "request-line";
  readonly method: string;
  readonly target: string;
  readonly version: "1.0" | "1.1";
}

/** request-line = method SP request-target SP HTTP-version (RFC 9112 §3), single spaces only. */
function parseRequestLine(buf: Uint8Array, start: number, end: number): RequestLine | ParseFailure {
  let i = start;
  while (i < end && TCHAR[buf[i]!] === 1) i++;
  if (i === start || i === end || buf[i] !== SP) return fail("INVALID_METHOD", "invalid method");
  const method = latin1(buf, start, i);
  const targetStart = ++i;
  while (i < end && VCHAR[buf[i]!] === 1) i++;
  if (i === targetStart) return fail("INVALID_URL", "empty or invalid request-target");
  if (i === end) return fail("INVALID_VERSION", "missing HTTP version");
  if (buf[i] !== SP) return fail("INVALID_URL", "invalid character in request-target");
  const target = latin1(buf, targetStart, i);
  const version = parseVersion(buf, i + 1, end);
  if (version.kind === "failed") return version;
  return { kind: "request-line", method, target, version: version.version };
}

type Version = { readonly kind: "version"; readonly version: "1.0" | "1.1" };
const HTTP_1_0: Version = { kind: "version", version: "1.0" };
const HTTP_1_1: Version = { kind: "version", version: "1.1" };

/** HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3); only 1.0 and 1.1 are served (§2.3, 505). */
function parseVersion(buf: Uint8Array, start: number, end: number): Version | ParseFailure {
  const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
  const ok = end - start === 8 && latin1(buf, start, start + 5) === "HTTP/" && isDigit(buf[start + 5]) &&
    buf[start + 6] === 0x2e && isDigit(buf[start + 7]);
  if (!ok) return fail("INVALID_VERSION", "invalid HTTP version");
  const major = buf[start + 5]! - 0x30;
  const minor = buf[start + 7]! - 0x30;
  // RFC 9110 §6.2: a higher minor version of a major version we implement is handled as 1.1.
  if (major === 1) return minor === 0 ? HTTP_1_0 : HTTP_1_1;
  return fail("UNSUPPORTED_VERSION", "HTTP version not supported");
}

/** field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). */
type FieldLines = { readonly kind: "fields"; readonly fields: [string, string][] };

function parseFieldLines(buf: Uint8Array, start: number, end: number, limits: HttpLimits): FieldLines | ParseFailure {
  const fields: [string, string][] = [];
  let lineStart = start;
  while (lineStart < end) {
    const lineEnd = indexOfCr(buf, lineStart, end);
    // RFC 9112 §5.2: obs-fold (a line starting with whitespace) is rejected; §2.2 likewise
    // whitespace before the first field line.
    const first = buf[lineStart];
    if (first === SP || first === HTAB) {
      return fail("OBS_FOLD", "line folding or leading whitespace in a field line");
    }
    let i = lineStart;
    while (i < lineEnd && TCHAR[buf[i]!] === 1) i++;
    // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon.
    if (i === lineStart || i === lineEnd || buf[i] !== COLON) {
      return fail("INVALID_HEADER_TOKEN", "invalid field name");
    }
    const name = latin1(buf, lineStart, i).toLowerCase();
    let valueStart = i + 1;
    let valueEnd = lineEnd;
    while (valueStart < valueEnd && (buf[valueStart] === SP || buf[valueStart] === HTAB)) valueStart++;
    while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB)) valueEnd--;
    for (let j = valueStart; j < valueEnd; j++) {
      if (FIELD_VALUE_CHAR[buf[j]!] !== 1) return fail("INVALID_HEADER_VALUE", "invalid character in field value");
    }
    fields.push([name, latin1(buf, valueStart, valueEnd)]);
    if (fields.length > limits.maxHeaderCount) return fail("HEADER_OVERFLOW", "too many header fields");
    lineStart = lineEnd + 2;
  }
  return { kind: "fields", fields };
}

/** Splits a #list (RFC 9110 §5.6.1) into lower-cased, trimmed elements, dropping empty ones. */
export function listElements(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(",")) {
    const element = part.trim().toLowerCase();
    if (element !== "") out.push(element);
  }
  return out;
}

function interpret(line: RequestLine, headers: [string, string][]): HeadResult {
  const fields = emptyFields();
  let expect: string | null = null;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    const duplicate = fillField(fields, name, value);
    // RFC 9112 §3.2: several Host fields; §6.3: several Content-Length values (an unrecoverable framing error).
    if (duplicate !== null) return fail(duplicate, `more than one ${name} field`);
    if (name === "expect") expect = value; // the last line's whole value, as it always was
  }
  const host = fields.host ?? null;
  // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host.
  if (line.version === "1.1" && host === null) return fail("MISSING_HOST", "HTTP/1.1 request without Host");
  if (host !== null && !isValidHost(host)) return fail("INVALID_HOST", "invalid Host field");
  // Framing first: its errors (400/501) decide whether anything after this request can be read.
  const transferEncoding = fields["transfer-encoding"];
  // RFC 9110 §5.6.1.2: empty list elements are ignored.
  const codings = transferEncoding === undefined ? null : listElements(transferEncoding);
  const body = bodyFraming(line.version, fields["content-length"] ?? null, codings);
  if (body.kind === "failed") return body;
  if (!isValidTarget(line.target)) return fail("INVALID_URL", "invalid character in request-target");
  const head: RequestHead = {
    method: line.method,
    target: line.target,
    version: line.version,
    headers,
    fields,
    host,
    body,
    keepAlive: keepAlive(line.version, fields.connection),
    // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
    expectContinue: expect !== null && line.version === "1.1" && expect.toLowerCase() === "100-continue",
  };
  return { kind: "head", head };
}

/** RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 persists only with "keep-alive". */
function keepAlive(version: "1.0" | "1.1", connection: string | undefined): boolean {
  if (connection === undefined) return version === "1.1";
  let close = false;
  let keepAliveToken = false;
  for (const option of listElements(connection)) {
    if (option === "close") close = true;
    else if (option === "keep-alive") keepAliveToken = true;
  }
  return !close && (version === "1.1" || keepAliveToken);
}

/** Host = uri-host [ ":" port ] (RFC 9110 §7.2); an empty value is allowed (RFC 9112 §3.2). */
let lastValidHost = "";

export function isValidHost(host: string): boolean {
  // Clients repeat the same Host on every request: remember the last one that passed.
  if (host === lastValidHost) return true;
  const valid = HOST.test(host);
  if (valid) lastValidHost = host;
  return valid;
}

const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/;

/** RFC 9112 §6.1-§6.3: decide how the body is framed, or why the request cannot be framed. */
function bodyFraming(
  version: "1.0" | "1.1",
  contentLength: string | null,
  codings: string[] | null,
): BodyFraming | ParseFailure {
  if (codings !== null) {
    // §6.1: a server MAY reject a request with both; we do, since it smells of smuggling (§11.2).
    if (contentLength !== null) {
      return fail("UNEXPECTED_CONTENT_LENGTH", "both Content-Length and Transfer-Encoding");
    }
    // §6.1: Transfer-Encoding in an HTTP/1.0 request means the framing is faulty.
    if (version === "1.0") return fail("INVALID_TRANSFER_ENCODING", "Transfer-Encoding in an HTTP/1.0 request");
    if (codings.length === 0 || codings.some((c) => !isToken(c))) {
      return fail("INVALID_TRANSFER_ENCODING", "invalid Transfer-Encoding");
    }
    // §6.1: a transfer coding the server does not understand earns 501 (we understand only chunked).
    if (codings.some((c) => c !== "chunked")) {
      return fail("UNSUPPORTED_TRANSFER_ENCODING", "unsupported transfer coding");
    }
    // §7: chunked is applied only once.
    if (codings.length > 1) return fail("INVALID_TRANSFER_ENCODING", "chunked applied more than once");
    return { kind: "chunked" };
  }
  if (contentLength !== null) {
    // Content-Length = 1*DIGIT (RFC 9110 §8.6); 15 digits keep it a safe integer.
    if (!/^[0-9]{1,15}$/.test(contentLength)) return fail("INVALID_CONTENT_LENGTH", "invalid Content-Length");
    const length = Number(contentLength);
    return length === 0 ? { kind: "none" } : { kind: "length", length };
  }
  return { kind: "none" };
}

function isValidTarget(target: string): boolean {
  for (let i = 0; i < target.length; i++) if (TARGET_CHAR[target.charCodeAt(i)] !== 1) return false;
  return true;
}

function isToken(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (TCHAR[s.charCodeAt(i)] !== 1) return false;
  return true;
}
