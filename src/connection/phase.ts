import type { BodyChannel } from "./body-channel.ts";
import type { Linger } from "./linger.ts";

/**
 * Where a connection is in its life, as one value: it cannot be answering and lingering, or
 * lingering with nothing to linger on, because no such value can be written down. Each phase
 * holds what only it has. The moves (src/connection/connection.ts):
 *
 *   reading ──a request──> answering ──its response sent, keep-alive──> reading
 *      |                       |
 *      | refused, timed out,   | its response sent, not keep-alive
 *      | half-closed, evicted  v
 *      +-----------------> lingering ──quiet, or the limits──> closed
 *                       (or straight to closed when no input can be left unread)
 *
 * and from every phase to closed when the socket closes, a send times out or something fails.
 * A request answered with a WebSocket handshake (101) leaves answering for upgraded, where
 * the session has the socket until it ends it (lingering or closed); a connection that opens with
 * HTTP/2's preface (RFC 9113 §3.4) goes from reading (fresh) to upgraded, its session HTTP/2's.
 */
export type Phase = Reading | Answering | Upgraded | Lingering | Closed;

/** Waiting for a request or receiving one (the parser knows how far it has come). */
export interface Reading {
  readonly kind: "reading";
  /** No request yet: the connection waits only as long as for a head ("fresh", deadline.ts). */
  readonly fresh: boolean;
}

/**
 * A request is with the app, or its response is being written. Input that arrives meanwhile is
 * buffered for the next request (pipelining, RFC 9112 §9.3.2) until the input flow pauses it.
 *
 * For an app that reads bodies, `channel` is the body still arriving for it: input then goes to
 * the parser for the channel to take as the app reads (body-channel.ts).
 */
export interface Answering {
  readonly kind: "answering";
  /**
   * "read": the request had no body, or it was read (and discarded) before answering.
   * "unread": its body was not read (still on its way, or Expect: 100-continue), so the
   * response closes the connection (framing.ts) and the close lingers first (linger.ts).
   */
  readonly body: "read" | "unread";
  /** Ends the body being streamed now (server shutdown, client gone); null when none is. */
  endStream: (() => void) | null;
  /** The request body the app reads, or null (no body, or an app that reads none). */
  readonly channel: BodyChannel | null;
  /** Called once if the connection goes before the response is written (a pulled body's cancel). */
  readonly onGone: Array<() => void>;
  /** Called once if the client goes or half-closes before the response is written (an app's abort signal). */
  readonly onAbort: Array<() => void>;
}

/**
 * A protocol that has the socket: a WebSocket session (src/websocket/session.ts) or an HTTP/2 one
 * (src/connection/http2.ts over src/http2/session.ts). The connection keeps its output, deadlines,
 * drain and teardown, and hands the session its input.
 */
export interface TakenOver {
  feed(chunk: Uint8Array): void;
  /** The peer half-closed. */
  inputEnded(): void;
  /** The socket is below its high-water mark again. */
  drained(): void;
  /** The socket is gone. */
  gone(): void;
  /** The server shuts down: WebSocket's close 1001, HTTP/2's GOAWAY (in-flight streams finish). */
  goingAway(): void;
}

/** Another protocol has the connection: input goes to its session. */
export interface Upgraded {
  readonly kind: "upgraded";
  readonly session: TakenOver;
}

/** The response is out; reading and discarding input until the client falls quiet (linger.ts). */
export interface Lingering {
  readonly kind: "lingering";
  readonly linger: Linger;
}

/** The socket is ended or destroyed: nothing more is read, written or waited for. */
export interface Closed {
  readonly kind: "closed";
}

export const FRESH: Reading = { kind: "reading", fresh: true };
export const READING: Reading = { kind: "reading", fresh: false };
export const CLOSED: Closed = { kind: "closed" };

/** The phase of a request just handed to the app. */
export function answering(bodyUnread: boolean, channel: BodyChannel | null = null): Answering {
  return { kind: "answering", body: bodyUnread ? "unread" : "read", endStream: null, channel, onGone: [], onAbort: [] };
}

/**
 * How cheaply the server may close a connection to make room at the connection cap, cheapest
 * first: one already lingering before its close, one idle (fresh or between keep-alive requests),
 * one still receiving a request (its head, or a body the app waits for), one whose app has not
 * answered yet (it gets a 503), and last one that has only just connected (it has not had the
 * time to send its request: under a flood of requests the app is slow to answer, newcomers would
 * otherwise evict each other before any could ask). A connection whose response is being written
 * is never evicted (the send timeout bounds it).
 */
export type EvictionClass = 0 | 1 | 2 | 3 | 4;

/** How long a new connection that has sent nothing yet counts as "only just connected" (EvictionClass 4). */
export const NEWCOMER_MS = 1_000;

/** While answering, whose turn it is: the client's (a body read waits), the app's, or the response is being sent. */
export type AnswerTurn = "client" | "app" | "sending";

/** A phase's eviction class (see EvictionClass); null: not to be evicted. */
export function evictionClass(
  phase: Phase,
  inRequest: boolean,
  turn: AnswerTurn,
  newcomer: boolean,
): EvictionClass | null {
  switch (phase.kind) {
    case "answering":
      return turn === "client" ? 2 : turn === "app" ? 3 : null;
    case "closed":
    case "upgraded":
      return null;
    case "lingering":
      return 0;
    case "reading":
      return inRequest ? 2 : phase.fresh && newcomer ? 4 : 1;
  }
}

/**
 * Registers fn for when the request being answered loses its client: "gone" (the connection
 * closed), "abort" (closed or half-closed); "now" runs it at once. After the answer, nothing runs.
 */
export function whenGone(phase: Phase, on: "gone" | "abort" | "now", fn: () => void): void {
  if (phase.kind === "closed" || (on === "now" && phase.kind === "answering")) fn();
  else if (phase.kind === "answering") (on === "gone" ? phase.onGone : phase.onAbort).push(fn);
}
