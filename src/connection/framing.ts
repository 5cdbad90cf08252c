import type { RequestHead } from "../http/parser/request-head.ts";
import { type HttpResponse, lengthUnknown, statusForbidsBody } from "../http/response.ts";

/** What the connection must know, besides the request and the response, to frame an answer. */
export interface FramingState {
  /** The request's body was not read (still on its way, or Expect: 100-continue). */
  readonly bodyUnread: boolean;
  /** The client half-closed and nothing more is buffered: this answers its last request. */
  readonly lastRequest: boolean;
  /** The server is shutting down. */
  readonly closing: boolean;
}

export interface Framing {
  /** The connection stays open after this response (and the head says so). */
  readonly keepAlive: boolean;
  /** No body is sent, whatever the response holds (HEAD, 1xx, 204, 304). */
  readonly omitBody: boolean;
  /** A streamed body is sent chunked (HTTP/1.1), else delimited by the close (HTTP/1.0). */
  readonly chunked: boolean;
}

/** How a response is framed on this connection: a pure decision, RFC 9112 §6.3 and §9.3. */
export function frame(head: RequestHead, response: HttpResponse, state: FramingState): Framing {
  const streamed = lengthUnknown(response.body);
  // RFC 9112 §6.3: an HTTP/1.0 client reads a body of unknown length to the close.
  const closeDelimited = streamed && head.version === "1.0";
  const keepAlive = head.keepAlive && !response.close && !state.bodyUnread && !state.lastRequest && !state.closing &&
    !closeDelimited;
  return {
    keepAlive,
    omitBody: head.method === "HEAD" || statusForbidsBody(response.status),
    chunked: !closeDelimited,
  };
}
