/**
 * The requests the differential tests send to the Hono example app (examples/hono-app/app.ts),
 * as raw bytes so that both servers get exactly the same message (no client adds or reorders
 * fields, normalises the path or picks the framing). Each case says how to read the answer.
 */
import { createHash } from "node:crypto";

export interface AppCase {
  readonly name: string;
  /** The bytes sent, on a fresh connection. */
  readonly request: string;
  /** How many responses to wait for (pipelined requests), 1 unless told. */
  readonly responses?: number;
  /** The requests are HEAD, by position (RFC 9110 §9.3.2: no body follows). */
  readonly heads?: readonly boolean[];
  /** A HEAD of a target whose GET has content: Content-Length 0 would be false (RFC 9110 §8.6). */
  readonly getHasContent?: boolean;
  /** The chunked body ends with a trailer section (RFC 9112 §7.1.2). */
  readonly hasTrailer?: boolean;
  /** An absolute-form request-target (RFC 9112 §3.2.2), which is then the target URI (§3.3). */
  readonly absoluteTarget?: string;
  /** Stop reading once the body holds this many server-sent events (the stream may go on). */
  readonly events?: number;
  /** HTTP/1.0: the server may close to end the body (RFC 9112 §6.3), so read until it does. */
  readonly untilClose?: boolean;
}

const HOST = "Host: localhost\r\n";

function get(target: string, fields = ""): string {
  return `GET ${target} HTTP/1.1\r\n${HOST}${fields}\r\n`;
}

function post(target: string, type: string, body: string, fields = ""): string {
  return `POST ${target} HTTP/1.1\r\n${HOST}Content-Type: ${type}\r\nContent-Length: ${
    Buffer.byteLength(body, "latin1")
  }\r\n${fields}\r\n${body}`;
}

/** The chunked coding of a body in the given pieces (RFC 9112 §7.1). */
function chunked(pieces: readonly string[]): string {
  return `${pieces.map((p) => `${Buffer.byteLength(p, "latin1").toString(16)}\r\n${p}\r\n`).join("")}0\r\n\r\n`;
}

const BOUNDARY = "----sundial-differential-7MA4YWxkTrZu0gW";

/** A multipart/form-data body (RFC 7578): two text fields, a repeated one, and a small file. */
const MULTIPART = [
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nGrace Hopper\r\n`,
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="topic"\r\n\r\ncompilers\r\n`,
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="topic"\r\n\r\nCOBOL\r\n`,
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nfirst line\nsecond line\n\r\n`,
  `--${BOUNDARY}--\r\n`,
].join("");

/** etag()'s tag for /tagged: the SHA-1 of its body, quoted (a strong validator, RFC 9110 §8.8.3). */
const TAGGED_ETAG = `"${createHash("sha1").update("this body has an entity tag\n").digest("hex")}"`;

const ABSOLUTE = "http://example.test:8080/inspect?from=absolute";

const CREDENTIALS = Buffer.from("admin:sundial").toString("base64");
const WRONG_CREDENTIALS = Buffer.from("admin:guess").toString("base64");

export const HONO_CASES: readonly AppCase[] = [
  { name: "GET / (the HTML index, with both forms)", request: get("/") },
  { name: "GET / with Accept-Encoding: gzip (compress() on HTML)", request: get("/", "Accept-Encoding: gzip\r\n") },
  { name: "GET /hello/:name (text from a route parameter)", request: get("/hello/world") },
  { name: "GET /hello/:name, percent-encoded UTF-8 parameter", request: get("/hello/J%C3%BCrgen") },
  {
    name: "GET /users/:id/posts/:postId?query (JSON from two parameters and the query)",
    request: get("/users/42/posts/7?sort=asc&tag=a&tag=b"),
  },
  { name: "GET /items (JSON over the compression threshold, no Accept-Encoding)", request: get("/items") },
  { name: "GET /items with Accept-Encoding: gzip (compress())", request: get("/items", "Accept-Encoding: gzip\r\n") },
  {
    name: "GET /items with Accept-Encoding: deflate;q=0.5, gzip;q=0 (compress() picks deflate)",
    request: get("/items", "Accept-Encoding: deflate;q=0.5, gzip;q=0\r\n"),
  },
  { name: "GET /page (HTML)", request: get("/page") },
  { name: "GET /old-page (c.redirect: 301 with Location)", request: get("/old-page") },
  { name: "GET /tagged (etag(): an ETag)", request: get("/tagged") },
  {
    name: "GET /tagged with a matching If-None-Match (304, no body)",
    request: get("/tagged", `If-None-Match: "not-it", ${TAGGED_ETAG}\r\n`),
  },
  { name: "DELETE /items/3 (204, no body)", request: `DELETE /items/3 HTTP/1.1\r\n${HOST}\r\n` },
  {
    name: "GET /inspect (the request as the app sees it: URL, query, fields)",
    request: get("/inspect?x=1&y=a%20b&y=c", "X-Tag: one\r\nUser-Agent: differential\r\nX-Tag: two\r\n"),
  },
  {
    name: "GET /inspect with odd field values (obs-text, empty, padded: RFC 9110 §5.5)",
    request: get("/inspect", "X-Latin: caf\xe9 cr\xe8me\r\nX-Empty:\r\nX-Padded: \t  padded value \t\r\n"),
  },
  // request.url is a URL as the URL Standard serializes it (Fetch: new Request parses it): host
  // lower-cased, the scheme's default port dropped, dot segments resolved.
  {
    name: "GET /inspect with Host: LOCALHOST (the URL's host is lower case)",
    request: `GET /inspect HTTP/1.1\r\nHost: LOCALHOST\r\n\r\n`,
  },
  {
    name: "GET /inspect with Host: localhost:80 (the default port is not in the URL)",
    request: `GET /inspect HTTP/1.1\r\nHost: localhost:80\r\n\r\n`,
  },
  { name: "GET /x/../inspect (dot segments resolved)", request: get("/x/../inspect?dots") },
  { name: "GET //inspect (an empty first segment)", request: get("//inspect") },
  { name: "GET /inspect? (an empty query)", request: get("/inspect?") },
  { name: "GET /hello/%7e%41 (percent-encoded unreserved characters)", request: get("/hello/%7e%41") },
  { name: "GET /large (2 MiB of text)", request: get("/large") },
  {
    name: "GET /large with Accept-Encoding: gzip (2 MiB compressed)",
    request: get("/large", "Accept-Encoding: gzip\r\n"),
  },
  {
    name: "GET /inspect in absolute-form (RFC 9112 §3.2.2: the target's authority, not Host)",
    request: `GET ${ABSOLUTE} HTTP/1.1\r\n${HOST}\r\n`,
    absoluteTarget: ABSOLUTE,
  },
  { name: "GET /hello/a%2Fb (an encoded slash stays in the parameter)", request: get("/hello/a%2Fb") },
  { name: "GET /text (c.text with no other header)", request: get("/text") },
  {
    name: "HEAD /hello/world",
    request: `HEAD /hello/world HTTP/1.1\r\n${HOST}\r\n`,
    heads: [true],
    getHasContent: true,
  },
  { name: "HEAD /items", request: `HEAD /items HTTP/1.1\r\n${HOST}\r\n`, heads: [true], getHasContent: true },
  {
    name: "HEAD /stream (a streamed body, not sent)",
    request: `HEAD /stream HTTP/1.1\r\n${HOST}\r\n`,
    heads: [true],
    getHasContent: true,
  },
  {
    name: "POST /echo, JSON with Content-Length",
    request: post("/echo", "application/json", '{"greeting":"hello","n":[1,2,3],"nested":{"ok":true}}'),
  },
  {
    name: "POST /echo, JSON chunked",
    request: `POST /echo HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${
      chunked(['{"greeting":', '"chunked",', '"n":42}'])
    }`,
  },
  {
    name: "POST /echo, 300 KB of JSON (read past the socket's first pieces)",
    request: post("/echo", "application/json", JSON.stringify({ big: "x".repeat(300_000) })),
  },
  { name: "POST /echo, not JSON (the app's 400)", request: post("/echo", "application/json", "{not json") },
  {
    name: "POST /form, application/x-www-form-urlencoded",
    request: post(
      "/form",
      "application/x-www-form-urlencoded",
      "name=Ada+Lovelace&topic=engines&topic=maths&note=caf%C3%A9%20%26%20co",
    ),
  },
  {
    name: "POST /form, multipart/form-data with a file",
    request: post("/form", `multipart/form-data; boundary=${BOUNDARY}`, MULTIPART),
  },
  {
    name: "POST /form, multipart/form-data chunked",
    request:
      `POST /form HTTP/1.1\r\n${HOST}Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nTransfer-Encoding: chunked\r\n\r\n${
        chunked([MULTIPART.slice(0, 100), MULTIPART.slice(100)])
      }`,
  },
  { name: "GET /cookies (two Set-Cookie fields)", request: get("/cookies") },
  { name: "GET /events (server-sent events, two read while the stream is open)", request: get("/events"), events: 2 },
  { name: "GET /events, the whole stream", request: get("/events") },
  { name: "GET /stream (a body of unknown length, in pieces)", request: get("/stream") },
  {
    name: "GET /stream with Accept-Encoding: gzip (compressed as it streams)",
    request: get("/stream", "Accept-Encoding: gzip\r\n"),
  },
  {
    name: "GET /events with Accept-Encoding: gzip (text/event-stream is not compressed)",
    request: get("/events", "Accept-Encoding: gzip\r\n"),
  },
  {
    name: "GET /stream over HTTP/1.0 (no chunked coding there)",
    request: `GET /stream HTTP/1.0\r\n${HOST}\r\n`,
    untilClose: true,
  },
  { name: "GET /admin/ without credentials (basicAuth: 401)", request: get("/admin/") },
  {
    name: "GET /admin/ with the wrong password (401)",
    request: get("/admin/", `Authorization: Basic ${WRONG_CREDENTIALS}\r\n`),
  },
  { name: "GET /admin/ with credentials (200)", request: get("/admin/", `Authorization: Basic ${CREDENTIALS}\r\n`) },
  { name: "GET /error (the handler throws: app.onError's 500)", request: get("/error") },
  { name: "GET /nowhere (the app's own 404)", request: get("/nowhere") },
  { name: "POST /hello/x (no POST route: the app's 404)", request: post("/hello/x", "text/plain", "hi") },
  { name: "DELETE /items (no such route: the app's 404)", request: `DELETE /items HTTP/1.1\r\n${HOST}\r\n` },
  {
    name: "POST /echo, chunked with an extension and a trailer (RFC 9112 §7.1.1, §7.1.2)",
    request:
      `POST /echo HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n7;note=first\r\n{"a":1}\r\n0\r\nX-Trailer: end\r\n\r\n`,
    hasTrailer: true,
  },
  {
    name:
      "POST /echo with Expect: 100-continue, the body sent at once (interim answers not compared: RFC 9110 §10.1.1)",
    request: post("/echo", "application/json", '{"expect":"continue"}', "Expect: 100-continue\r\n"),
  },
  {
    name: "POST /form, multipart with the wrong boundary (parseBody finds no parts)",
    request: post("/form", "multipart/form-data; boundary=not-the-one", MULTIPART),
  },
  {
    name: "two GETs pipelined on one connection",
    request: get("/hello/first") + get("/users/1/posts/2"),
    responses: 2,
  },
  {
    name: "a POST then a GET pipelined (the body is read before the next request)",
    request: post("/echo", "application/json", '{"a":1}') + get("/hello/after"),
    responses: 2,
  },
  {
    name: "a POST the app never reads, then a GET pipelined (the body is skipped)",
    request: post("/hello/x", "text/plain", "unread body") + get("/hello/next"),
    responses: 2,
  },
  {
    name: "a GET with a body, then a GET pipelined (RFC 9110 §9.3.1: the body has no meaning, but frames)",
    request: post("/hello/x", "text/plain", "GET body").replace("POST", "GET") + get("/hello/next"),
    responses: 2,
  },
  {
    name: "a chunked POST the app never reads, then a GET pipelined",
    request: `POST /nowhere HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n${chunked(["never", " read"])}` +
      get("/hello/next"),
    responses: 2,
  },
];
