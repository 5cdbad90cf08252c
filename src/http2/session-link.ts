import type { RequestHead } from "../http/parser/request-head.ts";
import type { RequestBody } from "../http/request-body.ts";
import type { HttpResponse } from "../http/response.ts";

/** What the connection lends the session (like websocket's SessionLink). */
export interface Http2Link {
  /** Queues bytes; false: over the high-water mark, wait for drained(). onFlushed: written out. */
  write(bytes: Uint8Array, onFlushed?: () => void): boolean;
  /** Input backpressure: stop and restart reading (the engine's flow control bounds input; kept for the connection's use). */
  pause(): void;
  resume(): void;
  /** Flush what is queued, then close. */
  end(): void;
  /** Cut the connection now. */
  destroy(): void;
}

/** What the session tells the connection. */
export interface Http2Events {
  /** A stream's request head is complete and valid (RFC 9113 §8.3): the connection runs the app on it. */
  request(stream: Http2Stream): void;
  /**
   * A request the session answers without the app, with this status: 431 when its field list
   * is over the limits (its head is then a stand-in: method and target empty), 501 for CONNECT
   * (§8.5: no tunnels here). The connection answers it (stream.respond) with its error page and
   * common fields, as it refuses an HTTP/1.1 request.
   */
  refused(stream: Http2Stream, status: number): void;
  /** Something worth a log line (a connection error sent, a limit hit); never peer-controlled text unescaped. */
  log(message: string): void;
  /** The session is over (GOAWAY sent/received and streams done, or the socket gone). */
  closed(): void;
}

/** One request and its response, as the connection and the app see them. */
export interface Http2Stream {
  readonly id: number;
  /**
   * Version "2.0", host from :authority (or Host), target from :path, method from :method;
   * headers lower-case as received, cookie fields joined by "; " (§8.2.3); fields filled as the
   * HTTP/1.1 parser fills them.
   */
  readonly head: RequestHead;
  /**
   * Null when END_STREAM came with HEADERS; else DATA pulled as the app reads, flow-controlled
   * (WINDOW_UPDATE as it reads), content-length checked (§8.1.1), past maxBodyBytes the read
   * fails with 413.
   */
  readonly body: RequestBody | null;
  /**
   * Sends the response: HEADERS (:status, its fields lower-cased minus connection-specific ones,
   * §8.2.2), then DATA for every body kind, flow-controlled, with END_STREAM; no body for HEAD,
   * 204, 304. `common` are fields every response carries (date, server). Only the first call counts.
   */
  respond(response: HttpResponse, common: ReadonlyArray<readonly [string, string]>, isHead: boolean): void;
  /** Calls fn once if the stream is reset (either side) or the connection goes before the response is complete. */
  onGone(fn: () => void): void;
  /**
   * Calls fn once when the stream is over: `complete` when END_STREAM went out, else it was reset
   * or the connection went; `bodyBytes` the DATA payload sent (for the access log and metrics).
   */
  onDone(fn: (complete: boolean, bodyBytes: number) => void): void;
}
