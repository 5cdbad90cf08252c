/**
 * Sends an AppCase (./apps-requests.ts) and reduces each answer to what must agree between
 * sundial and a reference server: the status, the body after its content coding is undone,
 * the significant header fields, and the kind of framing. What is left out, and why:
 * - Date and Server: each server's own (RFC 9110 §6.6.1, §10.2.4), never the app's.
 * - Field-name case and field order: names are case-insensitive (RFC 9110 §5.1), and the order
 *   of differently named fields is not significant (RFC 9110 §5.3); only same-named lines
 *   (Set-Cookie) keep their order, and they do here.
 * - Content-Length versus chunked: either delimits a keep-alive body (RFC 9112 §6.3); which one a
 *   server picks for a body of unknown length is its choice. The summary records that the body
 *   was delimited, and `framing` keeps the exact choice for the report.
 * - Connection and Keep-Alive: connection management, per hop (RFC 9112 §9.3, RFC 9110 §7.6.1).
 * - Compressed bytes: gzip output differs between zlib builds; the decoded body is compared.
 * - Spelling inside Content-Type: type, subtype, parameter names and the charset value are
 *   case-insensitive, and whitespace around ";" is optional (RFC 9110 §8.3.1, §8.3.2, §5.6.6), so
 *   "text/plain;charset=UTF-8" and "text/plain; charset=utf-8" compare equal.
 */
import { createHash } from "node:crypto";
import * as net from "node:net";
import * as zlib from "node:zlib";
import type { AppCase } from "./apps-requests.ts";
import { hasResponses, type ParsedResponse, parseResponses } from "./http-response-parser.ts";
import { rawExchange } from "./raw-client.ts";

/** Fields compared value for value (joined with ", " when repeated, RFC 9110 §5.3). */
export const SIGNIFICANT_FIELDS = [
  "content-type",
  "location",
  "www-authenticate",
  "content-encoding",
  "vary",
  "cache-control",
  "allow",
  "etag",
] as const;

export interface Summary {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | null>>;
  /** Each Set-Cookie line, in order (RFC 6265 §3: they must not be combined). */
  readonly setCookie: readonly string[];
  /** "delimited" (Content-Length or chunked), "close" (HTTP/1.0 or close-delimited), "none" (HEAD, 204, 304). */
  readonly delimiting: "delimited" | "close" | "none";
  /**
   * The body with the chunked coding and the content coding (gzip, deflate) undone, as UTF-8;
   * past 64 KiB, its length and SHA-256 instead (so that a difference prints legibly).
   */
  readonly body: string;
  /** Whether the whole message arrived (a stream read for a few events only is cut on purpose). */
  readonly complete: boolean;
  /**
   * HEAD only: the Content-Length sent, or null. A server may send it, but only with the value a
   * GET would have had (RFC 9110 §9.3.2, §8.6), so it is compared; undefined for other methods.
   */
  readonly headLength?: string | null;
}

/** Not compared, but printed beside a difference: the framing each server chose. */
export interface Detail {
  readonly framing: ParsedResponse["framing"];
  readonly contentLength: string | null;
  readonly transferEncoding: string | null;
  readonly connection: string | null;
}

export interface Answer {
  readonly summaries: readonly Summary[];
  readonly details: readonly Detail[];
  /** The raw bytes' head lines, for the report. */
  readonly heads: readonly string[];
}

/** Sends the case on a fresh connection to 127.0.0.1:port and summarises every response. */
export async function exchange(port: number, testCase: AppCase): Promise<Answer> {
  const count = testCase.responses ?? 1;
  const heads = testCase.heads ?? [];
  const until = testCase.untilClose
    ? undefined
    : testCase.events === undefined
    ? hasResponses(count, { heads })
    : (data: Buffer) => hasEvents(data, testCase.events!);
  const result = await rawExchange(port, testCase.request, { until, timeoutMs: 5000 });
  const responses = parseResponses(result.data, { heads, ended: result.closed });
  if (testCase.events === undefined && responses.filter((r) => r.complete).length < count) {
    throw new Error(
      `port ${port}: ${count} whole responses expected, got ${
        JSON.stringify(result.data.toString("latin1").slice(0, 400))
      }`,
    );
  }
  return {
    summaries: responses.map((r, i) => summarise(r, heads[i] === true, testCase.events)),
    details: responses.map(detail),
    heads: responses.map((r) => r.head.trimEnd()),
  };
}

/**
 * A request with Expect: 100-continue whose body is sent only once the server says 100 Continue
 * (or after 1 s without it, as curl does): RFC 9110 §10.1.1 asks a server that has none of the
 * body yet to send 100 or a final status. The summary then also lists the interim statuses.
 */
export async function continueExchange(
  port: number,
  head: string,
  body: string,
): Promise<Answer & { interim: readonly number[][] }> {
  const data = await new Promise<Buffer>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    let bodySent = false;
    const sendBody = (): void => {
      if (bodySent) return;
      bodySent = true;
      socket.write(body, "latin1");
    };
    const finish = (): void => {
      clearTimeout(patience);
      clearTimeout(limit);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const patience = setTimeout(sendBody, 1000);
    const limit = setTimeout(finish, 5000);
    socket.on("error", finish);
    socket.on("close", finish);
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (/^HTTP\/1\.1 100 /.test(all.toString("latin1"))) sendBody();
      if (hasResponses(1)(all)) finish();
    });
    socket.on("connect", () => socket.write(head, "latin1"));
  });
  const responses = parseResponses(data);
  return {
    summaries: responses.map((r) => summarise(r, false)),
    details: responses.map(detail),
    heads: responses.map((r) => r.head.trimEnd()),
    interim: responses.map((r) => r.interim.map((i) => i.status)),
  };
}

/** True once a response's body holds `n` events (each ends with an empty line, WHATWG HTML §9.2.6). */
function hasEvents(data: Buffer, n: number): boolean {
  // The head not all here yet: wait (parseResponses throws on a head cut short).
  if (!data.includes("\r\n\r\n")) return false;
  try {
    const [response] = parseResponses(data);
    return response !== undefined && eventCount(response.body.toString("utf8")) >= n;
  } catch {
    return true;
  }
}

function eventCount(text: string): number {
  return text.split("\n\n").length - 1;
}

export function summarise(response: ParsedResponse, head: boolean, events?: number): Summary {
  const headers: Record<string, string | null> = {};
  for (const name of SIGNIFICANT_FIELDS) headers[name] = response.headers.get(name) ?? null;
  if (headers["content-type"] !== null) headers["content-type"] = mediaType(headers["content-type"]!);
  let body = decode(response.body, response.headers.get("content-encoding"), response.complete);
  // Read for a few events only: what came after them depends on timing, not on the server.
  if (events !== undefined) body = body.split("\n\n").slice(0, events).join("\n\n") + "\n\n";
  return {
    status: response.status,
    headers,
    setCookie: response.headers.all("set-cookie"),
    delimiting: response.framing === "content-length" || response.framing === "chunked"
      ? "delimited"
      : response.framing,
    body: body.length <= 64 * 1024
      ? body
      : `${Buffer.byteLength(body)} bytes, sha256 ${createHash("sha256").update(body).digest("hex")}`,
    complete: events === undefined ? response.complete : true,
    ...(head ? { headLength: response.headers.get("content-length") ?? null } : {}),
  };
}

/** A media type in one spelling: lower case but for parameter values other than charset, no spaces around ";" and "=" (RFC 9110 §8.3.1). */
export function mediaType(value: string): string {
  const [type = "", ...parameters] = value.split(";").map((part) => part.trim());
  const normal = parameters
    .filter((p) => p !== "")
    .map((p) => {
      const at = p.indexOf("=");
      const name = (at < 0 ? p : p.slice(0, at)).trim().toLowerCase();
      const raw = at < 0 ? "" : p.slice(at + 1).trim();
      return `${name}=${name === "charset" ? raw.toLowerCase() : raw}`;
    });
  return [type.toLowerCase(), ...normal].join("; ");
}

function detail(response: ParsedResponse): Detail {
  return {
    framing: response.framing,
    contentLength: response.headers.get("content-length") ?? null,
    transferEncoding: response.headers.get("transfer-encoding") ?? null,
    connection: response.headers.get("connection") ?? null,
  };
}

/** The body without its content coding (RFC 9110 §8.4.1): gzip, deflate (zlib, RFC 1950), or as sent. */
function decode(body: Buffer, coding: string | undefined, complete: boolean): string {
  if (body.length === 0) return "";
  const options = complete ? {} : { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (coding?.toLowerCase()) {
    case "gzip":
      return zlib.gunzipSync(body, options).toString("utf8");
    case "deflate":
      return zlib.inflateSync(body, options).toString("utf8");
    default:
      return body.toString("utf8");
  }
}
