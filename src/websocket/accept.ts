import type { WebSocketLimits } from "./options.ts";
import type { SessionEvents, WebSocketSession } from "./session.ts";

/**
 * What an app gives to take a request's connection as a WebSocket (RequestContext.upgrade):
 * the fields for its 101, the session's limits, and, once the 101 is written, the events of the
 * session (Bun's handler, or a WHATWG-shaped socket, is built over the session here).
 */
export interface WebSocketAccept {
  /** Extra fields for the 101 (Sec-WebSocket-Protocol, Set-Cookie); those the server sets are dropped. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly limits: WebSocketLimits;
  readonly events: (session: WebSocketSession) => SessionEvents;
}

/**
 * RequestContext.upgrade: true when the request is a valid opening handshake and the connection
 * is taken (what the app answers is then not sent); false when it is not one, so the app answers
 * it. A handshake of another version than 13 is answered 426 by the connection (RFC 6455 §4.4),
 * whatever the app answers, as Bun's server does; upgrade() is false for it.
 */
export type Upgrade = (accept: WebSocketAccept) => boolean;
