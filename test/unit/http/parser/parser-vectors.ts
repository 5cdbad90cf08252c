import type { HttpErrorCode } from "../../../../src/http/http-error.ts";

/**
 * Request-parser test vectors as data (llhttp style). Each input is latin-1: one char per byte.
 * request-parser.test.ts feeds every vector whole (the outcome given here), split in two at every
 * byte and byte by byte: the same outcome each time, except that a split inside a body may end it
 * early at that request, handed out bodyUnread (and reading bodies to their end, the same always).
 * Streaming bodies, every split gives the same requests, body ends, errors and body bytes.
 * A refusal is given by its code (HTTP_ERRORS in src/http/http-error.ts), which implies its status.
 */

export interface ExpectedRequest {
  readonly method: string;
  readonly target: string;
  readonly version: "1.0" | "1.1" | "2.0";
  /** When given, the exact header list (names lower-cased, values OWS-trimmed). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

export type VectorExpect =
  | { readonly requests: readonly ExpectedRequest[] }
  /** The error's code (its status follows from HTTP_ERRORS), after `after` requests. */
  | { readonly error: HttpErrorCode; readonly after?: number };

export interface ParserVector {
  readonly name: string;
  readonly input: string;
  readonly expect: VectorExpect;
  /** When given, each request's decoded body ("" for none), as streamBodies hands it on. */
  readonly bodies?: readonly string[];
}

const HOST = "Host: example.com\r\n";
const get = (target: string, extra = ""): string => `GET ${target} HTTP/1.1\r\n${HOST}${extra}\r\n`;
const req = (method: string, target: string, version: "1.0" | "1.1" = "1.1"): ExpectedRequest => ({
  method,
  target,
  version,
});
const ok = (...requests: ExpectedRequest[]): VectorExpect => ({ requests });
const fail = (error: HttpErrorCode, after = 0): VectorExpect => ({ error, after });
const chunked = (body: string, method = "POST"): string =>
  `${method} /up HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n${body}`;
const withHeader = (line: string): string => `GET / HTTP/1.1\r\n${HOST}${line}\r\n\r\n`;

/** A body that looks like a request, to show it is skipped rather than parsed. */
const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: evil\r\n\r\n";

/** The request-line limit is 8 KiB, the CRLF not counted: "GET " + target + " HTTP/1.1". */
const targetOfLineLength = (lineBytes: number): string => `/${"a".repeat(lineBytes - 4 - 9 - 1)}`;

/** A head (request-line and field lines, final empty line excluded) of exactly `bytes` bytes. */
const headOfBytes = (bytes: number): string => {
  const fixed = `GET /big HTTP/1.1\r\n${HOST}X-Pad: \r\n`;
  return `${fixed.slice(0, -2)}${"p".repeat(bytes - fixed.length)}\r\n\r\n`;
};

/** Host plus `others` further fields. */
const manyHeaders = (others: number): string =>
  `GET /many HTTP/1.1\r\n${HOST}${Array.from({ length: others }, (_, i) => `X-H${i}: ${i}\r\n`).join("")}\r\n`;

export const PARSER_VECTORS: readonly ParserVector[] = [
  // --- accepted ---
  {
    name: "simple GET",
    input: get("/"),
    expect: ok({ ...req("GET", "/"), headers: [["host", "example.com"]] }),
  },
  {
    name: "OWS around field values is trimmed, inner whitespace kept, names lower-cased",
    input:
      "GET /ows HTTP/1.1\r\nHOST:example.com\r\nX-A:  \t value with  inner\tspaces \t \r\nX-Empty:\r\nX-Ws: \t \r\n\r\n",
    expect: ok({
      ...req("GET", "/ows"),
      headers: [["host", "example.com"], ["x-a", "value with  inner\tspaces"], ["x-empty", ""], ["x-ws", ""]],
    }),
  },
  {
    name: "obs-text in a field value is kept as latin-1",
    input: withHeader("X-City: D\xc3\xbcsseldorf \xff"),
    expect: ok({ ...req("GET", "/"), headers: [["host", "example.com"], ["x-city", "D\xc3\xbcsseldorf \xff"]] }),
  },
  {
    name: "HTTP/1.0 without Host",
    input: "GET /old HTTP/1.0\r\n\r\n",
    expect: ok({ ...req("GET", "/old", "1.0"), headers: [] }),
  },
  {
    name: "pipelined requests",
    input: get("/1") + "HEAD /2 HTTP/1.1\r\nHost: example.com\r\n\r\n" + "GET /3 HTTP/1.0\r\n\r\n",
    expect: ok(req("GET", "/1"), req("HEAD", "/2"), req("GET", "/3", "1.0")),
  },
  { name: "leading CRLF before the request-line", input: "\r\n" + get("/lead"), expect: ok(req("GET", "/lead")) },
  { name: "several leading CRLFs", input: "\r\n\r\n\r\n" + get("/lead"), expect: ok(req("GET", "/lead")) },
  {
    name: "Content-Length body is discarded, the pipelined request after it is parsed",
    input: `POST /form HTTP/1.1\r\n${HOST}Content-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}` + get("/next"),
    expect: ok(req("POST", "/form"), req("GET", "/next")),
    bodies: [SMUGGLED, ""],
  },
  {
    name: "Content-Length with leading zeros and OWS",
    input: `PUT /z HTTP/1.1\r\n${HOST}Content-Length: \t003 \r\n\r\nabc` + get("/next"),
    expect: ok(req("PUT", "/z"), req("GET", "/next")),
    bodies: ["abc", ""],
  },
  {
    name: "Content-Length: 0 means no body",
    input: `POST /empty HTTP/1.1\r\n${HOST}Content-Length: 0\r\n\r\n` + get("/next"),
    expect: ok(req("POST", "/empty"), req("GET", "/next")),
    bodies: ["", ""],
  },
  {
    name: "chunked body with extensions (incl. quoted-string escapes) and trailers, then a pipelined request",
    input: chunked(
      "5;name=value;flag\r\nhello\r\n" +
        '6;q="a \\"quoted\\" \\\\ ;x=y";t=tok\r\n world\r\n' +
        `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n` +
        "0;last\r\nX-Trailer: yes\r\nX-Other:\tv\r\n\r\n",
    ) + get("/after"),
    expect: ok(req("POST", "/up"), req("GET", "/after")),
    bodies: [`hello world${SMUGGLED}`, ""],
  },
  {
    name: "chunked: upper-case hex, zero-padded last chunk, TE value case-insensitive",
    input: `PUT /c HTTP/1.1\r\n${HOST}Transfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n000\r\n\r\n` + get("/next"),
    expect: ok(req("PUT", "/c"), req("GET", "/next")),
    bodies: ["0123456789", ""],
  },
  {
    name: "Transfer-Encoding list with empty elements (RFC 9110 §5.6.1.2: MUST ignore them)",
    input: `POST /te HTTP/1.1\r\n${HOST}Transfer-Encoding: , chunked,\r\n\r\n0\r\n\r\n` + get("/next"),
    expect: ok(req("POST", "/te"), req("GET", "/next")),
    bodies: ["", ""],
  },
  {
    name: "BWS in chunk extensions (RFC 9112 §7.1.1, RFC 9110 §5.6.3: a recipient MUST parse it)",
    input: chunked("5 ;a = b ; c\r\nhello\r\n0\r\n\r\n") + get("/next"),
    expect: ok(req("POST", "/up"), req("GET", "/next")),
    bodies: ["hello", ""],
  },
  {
    name: "chunk data containing CR and LF bytes",
    input: chunked("4\r\n\r\n\r\n\r\n0\r\n\r\n") + get("/next"),
    expect: ok(req("POST", "/up"), req("GET", "/next")),
    bodies: ["\r\n\r\n", ""],
  },
  { name: "HEAD", input: "HEAD /h HTTP/1.1\r\nHost: example.com\r\n\r\n", expect: ok(req("HEAD", "/h")) },
  {
    name: "absolute-form target parses at this level",
    input: get("http://example.com:8080/a/b?c=d"),
    expect: ok(req("GET", "http://example.com:8080/a/b?c=d")),
  },
  {
    name: "asterisk-form with OPTIONS",
    input: "OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n",
    expect: ok(req("OPTIONS", "*")),
  },
  { name: "asterisk-form with GET parses too (routing refuses it)", input: get("*"), expect: ok(req("GET", "*")) },
  {
    name: "authority-form",
    input: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    expect: ok(req("CONNECT", "example.com:443")),
  },
  {
    name: "unknown but valid method token",
    input: "M-SEARCH /x HTTP/1.1\r\nHost: a\r\n\r\n",
    expect: ok(req("M-SEARCH", "/x")),
  },
  {
    name: "target with every allowed punctuation character",
    input: get("/a-._~!$&'()*+,;=:@%20/?q=/?x[1]"),
    expect: ok(req("GET", "/a-._~!$&'()*+,;=:@%20/?q=/?x[1]")),
  },
  { name: "empty Host in HTTP/1.1", input: "GET / HTTP/1.1\r\nHost:\r\n\r\n", expect: ok(req("GET", "/")) },
  {
    name: "Expect: 100-continue without a body is an ordinary request",
    input: get("/e", "Expect: 100-continue\r\n") + get("/next"),
    expect: ok(req("GET", "/e"), req("GET", "/next")),
  },
  {
    name: "request-line of exactly 8 KiB",
    input: get(targetOfLineLength(8192)),
    expect: ok(req("GET", targetOfLineLength(8192))),
  },
  { name: "header section of exactly 32 KiB", input: headOfBytes(32 * 1024), expect: ok(req("GET", "/big")) },
  { name: "exactly 100 header fields", input: manyHeaders(99), expect: ok(req("GET", "/many")) },
  // Its data has not arrived: the request is handed out at once, its body unread.
  {
    name: "chunked body of exactly 1 MiB by its sizes",
    input: chunked("100000;x=1\r\n"),
    expect: ok(req("POST", "/up")),
  },

  // --- line endings and field syntax (400) ---
  {
    name: "bare LF ends the request-line",
    input: "GET / HTTP/1.1\nHost: a\r\n\r\n",
    expect: fail("INVALID_LINE_ENDING"),
  },
  {
    name: "bare LF ends a field line",
    input: "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n",
    expect: fail("INVALID_LINE_ENDING"),
  },
  { name: "LF-only empty line", input: "GET / HTTP/1.1\r\nHost: a\r\n\n", expect: fail("INVALID_LINE_ENDING") },
  {
    name: "bare LF before the request-line",
    input: "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    expect: fail("INVALID_LINE_ENDING"),
  },
  {
    name: "bare CR inside a field value",
    input: "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
    expect: fail("INVALID_LINE_ENDING"),
  },
  {
    name: "bare CR ends the request-line",
    input: "GET / HTTP/1.1\rX: 1\r\nHost: a\r\n\r\n",
    expect: fail("INVALID_LINE_ENDING"),
  },
  {
    name: "CRLF then bare CR ends the head",
    input: "GET / HTTP/1.1\r\nHost: a\r\n\rZGET /evil HTTP/1.1\r\n\r\n",
    expect: fail("INVALID_LINE_ENDING"),
  },
  { name: "space before the colon", input: withHeader("X-Name : v"), expect: fail("INVALID_HEADER_TOKEN") },
  { name: "tab before the colon", input: withHeader("X-Name\t: v"), expect: fail("INVALID_HEADER_TOKEN") },
  { name: "obs-fold", input: withHeader("X-Folded: a\r\n b"), expect: fail("OBS_FOLD") },
  { name: "obs-fold with HTAB", input: withHeader("X-Folded: a\r\n\tb"), expect: fail("OBS_FOLD") },
  {
    name: "leading whitespace in the first field line",
    input: "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
    expect: fail("OBS_FOLD"),
  },
  { name: "field line without a colon", input: withHeader("NoColon"), expect: fail("INVALID_HEADER_TOKEN") },
  { name: "empty field name", input: withHeader(": v"), expect: fail("INVALID_HEADER_TOKEN") },
  { name: "invalid character in a field name", input: withHeader("Fo@: v"), expect: fail("INVALID_HEADER_TOKEN") },
  { name: "NUL in a field value", input: withHeader("X: a\x00b"), expect: fail("INVALID_HEADER_VALUE") },
  { name: "form feed in a field value", input: withHeader("X: a\x0cb"), expect: fail("INVALID_HEADER_VALUE") },
  { name: "ESC in a field value", input: withHeader("X: \x1b[31m"), expect: fail("INVALID_HEADER_VALUE") },
  { name: "DEL in a field value", input: withHeader("X: a\x7fb"), expect: fail("INVALID_HEADER_VALUE") },
  {
    name: "nine empty lines before the request-line",
    input: "\r\n".repeat(9) + get("/"),
    expect: fail("INVALID_REQUEST_LINE"),
  },

  // --- request-line (400 / 505) ---
  {
    name: "invalid character in the method",
    input: "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n",
    expect: fail("INVALID_METHOD"),
  },
  { name: "empty method", input: " / HTTP/1.1\r\nHost: a\r\n\r\n", expect: fail("INVALID_METHOD") },
  {
    name: "HTAB between method and target",
    input: "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n",
    expect: fail("INVALID_METHOD"),
  },
  { name: "two spaces after the method", input: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", expect: fail("INVALID_URL") },
  { name: "space inside the target", input: "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", expect: fail("INVALID_VERSION") },
  { name: "missing HTTP-version", input: "GET /\r\n\r\n", expect: fail("INVALID_VERSION") },
  { name: "lower-case HTTP-name", input: "GET / http/1.1\r\nHost: a\r\n\r\n", expect: fail("INVALID_VERSION") },
  { name: "version without minor", input: "GET / HTTP/1\r\nHost: a\r\n\r\n", expect: fail("INVALID_VERSION") },
  { name: "two-digit version", input: "GET / HTTP/11.0\r\nHost: a\r\n\r\n", expect: fail("INVALID_VERSION") },
  {
    name: "trailing space after the version",
    input: "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
    expect: fail("INVALID_VERSION"),
  },
  { name: "not HTTP (ICE/1.0)", input: "SOURCE / ICE/1.0\r\nHost: a\r\n\r\n", expect: fail("INVALID_VERSION") },
  { name: "HTTP/2.0", input: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", expect: fail("UNSUPPORTED_VERSION") },
  { name: "HTTP/0.9 with a version", input: "GET / HTTP/0.9\r\n\r\n", expect: fail("UNSUPPORTED_VERSION") },
  {
    name: "non-ASCII byte in the target",
    input: "GET /caf\xe9 HTTP/1.1\r\nHost: a\r\n\r\n",
    expect: fail("INVALID_URL"),
  },
  { name: "raw UTF-8 in the target", input: "GET /\xce\xb4 HTTP/1.1\r\nHost: a\r\n\r\n", expect: fail("INVALID_URL") },
  { name: "'#' in the target", input: get("/page#frag"), expect: fail("INVALID_URL") },
  { name: "'|' in the target", input: get("/cgi?q=|"), expect: fail("INVALID_URL") },
  { name: "'\"' in the target", input: get('/with_"quotes"'), expect: fail("INVALID_URL") },
  { name: "'\\' in the target", input: get("/a\\b"), expect: fail("INVALID_URL") },
  { name: "'<', '{', '^' and '`' in the target", input: get("/<{^`}>"), expect: fail("INVALID_URL") },

  // --- Host ---
  { name: "HTTP/1.1 without Host", input: "GET / HTTP/1.1\r\nX: y\r\n\r\n", expect: fail("MISSING_HOST") },
  { name: "duplicate Host", input: "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", expect: fail("DUPLICATE_HOST") },
  {
    name: "duplicate Host in HTTP/1.0",
    input: "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n",
    expect: fail("DUPLICATE_HOST"),
  },
  { name: "Host with a space", input: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", expect: fail("INVALID_HOST") },
  { name: "Host with a path", input: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", expect: fail("INVALID_HOST") },

  // --- Content-Length ---
  {
    name: "duplicate Content-Length, same value",
    input: get("/", "Content-Length: 1\r\nContent-Length: 1\r\n") + "a",
    expect: fail("UNEXPECTED_CONTENT_LENGTH"),
  },
  {
    name: "duplicate Content-Length, different values",
    input: get("/", "Content-Length: 1\r\nContent-Length: 2\r\n"),
    expect: fail("UNEXPECTED_CONTENT_LENGTH"),
  },
  { name: "Content-Length list", input: get("/", "Content-Length: 1, 1\r\n"), expect: fail("INVALID_CONTENT_LENGTH") },
  {
    name: "Content-Length with '+'",
    input: get("/", "Content-Length: +1\r\n"),
    expect: fail("INVALID_CONTENT_LENGTH"),
  },
  {
    name: "Content-Length with '-'",
    input: get("/", "Content-Length: -1\r\n"),
    expect: fail("INVALID_CONTENT_LENGTH"),
  },
  {
    name: "Content-Length with letters",
    input: get("/", "Content-Length: 1a\r\n"),
    expect: fail("INVALID_CONTENT_LENGTH"),
  },
  {
    name: "Content-Length in hex",
    input: get("/", "Content-Length: 0x10\r\n"),
    expect: fail("INVALID_CONTENT_LENGTH"),
  },
  {
    name: "Content-Length with inner space",
    input: get("/", "Content-Length: 4 2\r\n"),
    expect: fail("INVALID_CONTENT_LENGTH"),
  },
  { name: "empty Content-Length", input: get("/", "Content-Length:\r\n"), expect: fail("INVALID_CONTENT_LENGTH") },
  {
    name: "Content-Length overflow",
    input: get("/", "Content-Length: 1000000000000000000000\r\n"),
    expect: fail("INVALID_CONTENT_LENGTH"),
  },
  { name: "Content-Length over 1 MiB", input: get("/", "Content-Length: 1048577\r\n"), expect: fail("BODY_TOO_LARGE") },

  // --- Transfer-Encoding ---
  {
    name: "Content-Length and Transfer-Encoding",
    input: chunked("0\r\n\r\n").replace(HOST, `${HOST}Content-Length: 5\r\n`),
    expect: fail("UNEXPECTED_CONTENT_LENGTH"),
  },
  {
    name: "TE: gzip, chunked",
    input: get("/", "Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n",
    expect: fail("UNSUPPORTED_TRANSFER_ENCODING"),
  },
  { name: "TE: gzip", input: get("/", "Transfer-Encoding: gzip\r\n"), expect: fail("UNSUPPORTED_TRANSFER_ENCODING") },
  {
    name: "TE: chunked, chunked",
    input: get("/", "Transfer-Encoding: chunked, chunked\r\n") + "0\r\n\r\n",
    expect: fail("INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "TE: chunked on two lines",
    input: get("/", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
    expect: fail("INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "TE: chunked then gzip on two lines",
    input: get("/", "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"),
    expect: fail("UNSUPPORTED_TRANSFER_ENCODING"),
  },
  {
    name: "empty Transfer-Encoding",
    input: get("/", "Transfer-Encoding:\r\n"),
    expect: fail("INVALID_TRANSFER_ENCODING"),
  },
  {
    name: "TE: chunkedchunked",
    input: get("/", "Transfer-Encoding: chunkedchunked\r\n"),
    expect: fail("UNSUPPORTED_TRANSFER_ENCODING"),
  },
  {
    name: "Transfer-Encoding in HTTP/1.0",
    input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    expect: fail("INVALID_TRANSFER_ENCODING"),
  },

  // --- chunked framing (400 / 413) ---
  { name: "non-hex chunk size", input: chunked("zz\r\n"), expect: fail("INVALID_CHUNK_SIZE") },
  {
    name: "empty chunk-size line (missing last-chunk)",
    input: chunked("3\r\nfoo\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  { name: "negative chunk size", input: chunked("-1\r\n"), expect: fail("INVALID_CHUNK_SIZE") },
  {
    name: "0x prefix on a chunk size",
    input: chunked("0x5\r\nhello\r\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "space after the chunk size",
    input: chunked("5 \r\nhello\r\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "junk after the chunk size without ';'",
    input: chunked("2 junk\r\naa\r\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "';' without an extension name",
    input: chunked("2;\r\naa\r\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "'=' without an extension value",
    input: chunked("2;a=\r\naa\r\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "unterminated quoted-string in an extension",
    input: chunked('2;a="bc\r\naa\r\n0\r\n\r\n'),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "chunk-size line ended by a bare LF",
    input: chunked("3\nfoo\r\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "chunk-size line ended by a bare CR",
    input: chunked("5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  {
    name: "chunk data not followed by CRLF",
    input: chunked("5\r\nABCDE0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_DATA"),
  },
  {
    name: "chunk data followed by a bare LF",
    input: chunked("5\r\nABCDE\n0\r\n\r\n"),
    expect: fail("INVALID_CHUNK_DATA"),
  },
  {
    name: "chunk size with 13 significant hex digits",
    input: chunked("1000000000000\r\n"),
    expect: fail("INVALID_CHUNK_SIZE"),
  },
  { name: "invalid trailer field", input: chunked("0\r\nBad Trailer: x\r\n\r\n"), expect: fail("INVALID_TRAILER") },
  { name: "folded trailer field", input: chunked("0\r\nX: a\r\n b\r\n\r\n"), expect: fail("INVALID_TRAILER") },
  {
    name: "control character in a trailer value",
    input: chunked("0\r\nX: a\x01\r\n\r\n"),
    expect: fail("INVALID_TRAILER"),
  },
  { name: "chunk size over 1 MiB", input: chunked("100001\r\n"), expect: fail("BODY_TOO_LARGE") },
  {
    name: "chunk sizes adding up to over 1 MiB",
    input: chunked("1\r\na\r\n100000\r\n"),
    expect: fail("BODY_TOO_LARGE"),
  },

  // --- limits (414 / 431) ---
  { name: "request-line one byte over 8 KiB", input: get(targetOfLineLength(8193)), expect: fail("URI_TOO_LONG") },
  { name: "request-line with no end in sight", input: `GET /${"x".repeat(9000)}`, expect: fail("URI_TOO_LONG") },
  { name: "header section one byte over 32 KiB", input: headOfBytes(32 * 1024 + 1), expect: fail("HEADER_OVERFLOW") },
  {
    name: "header section with no end in sight",
    input: `GET / HTTP/1.1\r\n${HOST}X: ${"v".repeat(33 * 1024)}`,
    expect: fail("HEADER_OVERFLOW"),
  },
  { name: "101 header fields", input: manyHeaders(100), expect: fail("HEADER_OVERFLOW") },

  // --- errors after earlier requests ---
  {
    name: "bad second request after a good one",
    input: get("/1") + "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    expect: fail("UNSUPPORTED_VERSION", 1),
  },
  {
    name: "bad chunked body after two good requests",
    input: get("/1") + get("/2") + chunked("5\r\nhelloX"),
    expect: fail("INVALID_CHUNK_DATA", 2),
    // Streaming, the third request and the part of its body before the defect are handed on.
    bodies: ["", "", "hello"],
  },
];
