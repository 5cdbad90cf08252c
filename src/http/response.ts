import type { OpenFile } from "../ports/file-system.ts";
import { statusText } from "./status.ts";

/** A byte range of a file to send as the body. */
export interface FileBody {
  readonly kind: "file";
  /**
   * Opens the file to send, or null when it is no longer the file the response was made for
   * (then the connection closes: the promised length cannot be met). The handler that made the
   * response decides what may be opened (the static files check the opened file is inside the root).
   */
  readonly open: () => Promise<OpenFile | null>;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** A body sent piece by piece: bytes and file ranges in order (multipart/byteranges). */
export interface PartsBody {
  readonly kind: "parts";
  readonly pieces: ReadonlyArray<Uint8Array | FileBody>;
  /** Total length of the pieces. */
  readonly length: number;
}

/** Where a streamed body goes, piece by piece. */
export interface StreamSink {
  /** Sends bytes (framed as one chunk). False when the client is not keeping up: the piece was dropped. */
  write(bytes: Uint8Array): boolean;
  /** Ends the body; the connection then goes on with the next request, or closes. */
  end(): void;
}

/** A body of unknown length produced over time (Server-Sent Events): chunked in HTTP/1.1, close-delimited in 1.0. */
export interface StreamBody {
  readonly kind: "stream";
  /** Starts producing into the sink; returns a function that stops the producer (client gone, shutdown). */
  start(sink: StreamSink): () => void;
}

/** One read of a pulled body: bytes, the end, or the producer's failure. */
export type PullRead =
  | { readonly kind: "data"; readonly bytes: Uint8Array }
  | { readonly kind: "end" }
  | { readonly kind: "failed"; readonly error: unknown };

/**
 * A body the connection pulls piece by piece, waiting for the socket to drain between pieces,
 * so a slow client pauses the producer (a fetch app's ReadableStream). With a length it is sent
 * with Content-Length, and the connection closes if the producer gives another amount; without,
 * chunked in HTTP/1.1 and close-delimited in 1.0. A failure ends the connection without the
 * last chunk: the client sees a truncated message, never a complete wrong one.
 */
export interface PullBody {
  readonly kind: "pull";
  readonly length: number | null;
  /** The next piece; one read at a time. */
  read(): Promise<PullRead>;
  /** The connection will read no more (HEAD, client gone, shutdown). */
  cancel(): void;
  /**
   * Each piece is a view of a buffer the producer fills again at its next read (so a body of
   * any size allocates nothing per piece): the connection reads the next piece only once the
   * socket has taken all of the last.
   */
  readonly reusesPieces?: boolean;
}

/** A body whose length is not in the head: chunked (HTTP/1.1) or read to the close (1.0). */
export function lengthUnknown(body: HttpResponse["body"]): boolean {
  return body !== null && !(body instanceof Uint8Array) &&
    (body.kind === "stream" || (body.kind === "pull" && body.length === null));
}

/** What a handler answers. The connection adds Server, Date, Content-Length and Connection. */
export interface HttpResponse {
  readonly status: number;
  /** Extra header fields, already valid ASCII (names in their canonical case). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The body: bytes, a file range, or nothing. Not sent for HEAD, 1xx, 204 and 304. */
  readonly body: Uint8Array | FileBody | PartsBody | StreamBody | PullBody | null;
  /** Close the connection after this response. */
  readonly close?: boolean;
  /**
   * A HEAD answered without knowing the length GET would have (an app's null body): no
   * Content-Length at all, rather than a wrong 0 (RFC 9110 §8.6, §9.3.2).
   */
  readonly lengthUnknown?: boolean;
  /**
   * Made for this request alone (a fetch app's answer): its serialized head is not kept for
   * reuse (src/http/head-cache.ts), which would cost a WeakMap entry per request for nothing.
   */
  readonly once?: boolean;
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function bodyLength(body: HttpResponse["body"]): number {
  if (body === null) return 0;
  if (body instanceof Uint8Array) return body.length;
  if (body.kind === "stream") return 0;
  if (body.kind === "pull") return body.length ?? 0;
  return body.kind === "file" ? body.end - body.start : body.length;
}

/** RFC 9110 §6.4.1 / RFC 9112 §6.3: these responses never carry content. */
export function statusForbidsBody(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

/**
 * A request's HTTP version. "2.0" is HTTP/2's (src/http2/), whose heads are HEADERS frames, not
 * serialized here: serializeHead treats it as 1.1, should it ever get one.
 */
export type HttpVersion = "1.0" | "1.1" | "2.0";

/**
 * The status line and header section (RFC 9112 §4, §5), ending in the empty line.
 * `keepAlive` says what the connection will do after this response; HTTP/1.0 clients
 * are told explicitly when it persists (RFC 9112 §9.3). `common` holds field lines sent with
 * every response (each ending in CRLF), after Date: the server's Server field (passed in by
 * whoever starts it) and the app's policy, e.g. X-Content-Type-Options.
 */
export function serializeHead(
  response: HttpResponse,
  date: string,
  version: HttpVersion,
  keepAlive: boolean,
  common = "",
): string {
  let head = `HTTP/1.1 ${response.status} ${statusText(response.status)}\r\nDate: ${date}\r\n${common}`;
  for (const [name, value] of response.headers) head += `${name}: ${value}\r\n`;
  const body = response.body;
  if (lengthUnknown(body)) {
    // RFC 9112 §7.1: a body of unknown length is chunked for HTTP/1.1; HTTP/1.0 reads to the close (§6.3).
    if (version !== "1.0") head += "Transfer-Encoding: chunked\r\n";
  } else if (!statusForbidsBody(response.status) && response.lengthUnknown !== true) {
    // RFC 9110 §8.6: no Content-Length on 1xx and 204; on 304 it would have to match the 200's, so omit it.
    head += `Content-Length: ${bodyLength(body)}\r\n`;
  }
  if (!keepAlive) head += "Connection: close\r\n";
  else if (version === "1.0") head += "Connection: keep-alive\r\n";
  return head + "\r\n";
}

/** Whether two field names are the same field: names compare case-insensitively (RFC 9110 §5.1). */
export function sameFieldName(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

/** Head and body as one buffer, so a small response leaves in one write. */
export function concatBytes(head: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** Header fields as field lines, each ending in CRLF. */
export function fieldLines(headers: ReadonlyArray<readonly [string, string]>): string {
  let lines = "";
  for (const [name, value] of headers) lines += `${name}: ${value}\r\n`;
  return lines;
}
