import type { Client, Forwarding } from "../app.ts";
import type { RequestHead } from "../http/parser/request-head.ts";

/** One request and its response, once the response is written (or the connection went first). */
export interface Exchange {
  /** The parsed head; null for a request refused before it had one (400, 408, 413, 431 from the parser). */
  readonly head: RequestHead | null;
  /** Who asked: the peer, or the client a trusted proxy named (src/proxy/). */
  readonly client: Client;
  readonly status: number;
  /** Bytes sent after the head (chunked framing included): nginx's $body_bytes_sent. */
  readonly bodyBytes: number;
  /** When the head was complete, and when the last byte was queued (ms, Clock.now()). */
  readonly startedMs: number;
  readonly endedMs: number;
  /** 1 for a connection's first request, 2 for the next (keep-alive), ... */
  readonly connectionRequests: number;
  /** "https" on a TLS listener (or as a trusted proxy said: X-Forwarded-Proto), else "http". */
  readonly scheme: string;
}

/** A WebSocket's life as the log and metrics see it (src/websocket/): opened, a message, closed. */
export type WebSocketEvent =
  | { readonly kind: "opened" }
  | { readonly kind: "message"; readonly direction: "in" | "out"; readonly bytes: number }
  | {
    readonly kind: "closed";
    /** The upgrade's exchange (status 101), its endedMs when the session ended. */
    readonly exchange: Exchange;
    /** The close code the app was given (1005: none sent, 1006: no close frame). */
    readonly code: number;
    readonly messagesIn: number;
    readonly messagesOut: number;
  };

/**
 * What the server tells whoever watches it (the access log, the metrics): each exchange, and
 * connections and event streams opening and closing. Every method is optional and cheap to
 * leave out: without an observer nothing is measured.
 */
export interface ServerObserver {
  exchange?(exchange: Exchange): void;
  connection?(open: boolean): void;
  /** A connection began speaking HTTP/2 (after the client preface, RFC 9113 §3.4), or one that did closed. */
  http2Connection?(open: boolean): void;
  stream?(open: boolean): void;
  websocket?(event: WebSocketEvent): void;
}

/** Finds what a trusted proxy said of a request, or null when nothing (an untrusted peer, no fields). */
export type ForwardingLookup = (peer: Client, head: RequestHead) => Forwarding | null;
