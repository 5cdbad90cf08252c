import type { Client } from "../app.ts";
import type { Http2Options } from "../http2/limits.ts";
import { type Http2Events, Http2Session } from "../http2/session.ts";
import { answerStream, type Http2Context, type StreamEnv } from "./http2-answer.ts";
import type { TakenOver } from "./phase.ts";

export type { Http2Context } from "./http2-answer.ts";

/** What a connection lends its HTTP/2 session: its output and teardown (like the WebSocket's SessionHost). */
export interface Http2Host {
  write(bytes: Uint8Array, onFlushed?: () => void): boolean;
  pause(): void;
  resume(): void;
  end(): void;
  destroy(): void;
}

/** An HTTP/2 session on a connection, as the connection's phase holds it. */
export interface Http2Connection extends TakenOver {
  /** Streams not closed: 0 when the connection is idle (its idle deadline may run). */
  readonly openStreams: number;
  /** The client's first SETTINGS came (RFC 9113 §3.4): the preface deadline may stop. */
  readonly settingsReceived: boolean;
  start(rest: Uint8Array): void;
}

/**
 * HTTP/2 (RFC 9113) on a connection whose client sent the preface: the session (src/http2/)
 * frames and flow-controls, and each of its streams is answered here by the same app, with the
 * same forwarding, common fields, log, metrics and response deadline as an HTTP/1.1 request
 * (http2-answer.ts).
 */
export function openHttp2(
  host: Http2Host,
  ctx: Http2Context,
  options: Http2Options,
  client: Client,
  common: ReadonlyArray<readonly [string, string]>,
): Http2Connection {
  let requests = 0;
  const env = (): StreamEnv => ({ ctx, client, common, connectionRequests: ++requests });
  const events: Http2Events = {
    request: (stream) => answerStream(stream, null, env()),
    refused: (stream, status) => answerStream(stream, status, env()),
    log: (message) => ctx.logError(message),
    closed: () => {},
  };
  const session = new Http2Session(host, options, events, ctx.clock, ctx.http2Pool);
  return {
    get openStreams() {
      return session.openStreams;
    },
    get settingsReceived() {
      return session.settingsReceived;
    },
    start: (rest) => session.start(rest),
    feed: (chunk) => session.feed(chunk),
    inputEnded: () => session.inputEnded(),
    drained: () => session.drained(),
    gone: () => session.gone(),
    goingAway: () => session.shutdown(),
  };
}
