import type { Client, RequestContext } from "../app.ts";
import { errorResponse } from "../http/error-page.ts";
import { httpDate } from "../http/http-date.ts";
import type { HttpResponse } from "../http/response.ts";
import type { Http2Options } from "../http2/limits.ts";
import { type Http2Events, Http2Session, type Http2Stream } from "../http2/session.ts";
import type { ConnectionContext } from "./context.ts";
import { describeError } from "./describe-error.ts";
import type { TakenOver } from "./phase.ts";

/** What a connection lends its HTTP/2 session: its output and teardown (like the WebSocket's SessionHost). */
export interface Http2Host {
  write(bytes: Uint8Array, onFlushed?: () => void): boolean;
  pause(): void;
  resume(): void;
  end(): void;
  destroy(): void;
}

/** What answering HTTP/2's streams uses of the server's ConnectionContext. */
export type Http2Context = Pick<
  ConnectionContext,
  "clock" | "handle" | "scheme" | "logError" | "observer" | "forwarding" | "streamBodies" | "http2Pool"
>;

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
 * same forwarding, common fields, log and metrics as an HTTP/1.1 request. A handler that throws or
 * rejects is a 500 and a log line, as on HTTP/1.1.
 */
export function openHttp2(
  host: Http2Host,
  ctx: Http2Context,
  options: Http2Options,
  client: Client,
  common: ReadonlyArray<readonly [string, string]>,
): Http2Connection {
  let requests = 0;
  const answer = (stream: Http2Stream, refusedWith: number | null): void => {
    requests++;
    const head = stream.head;
    const forwarded = refusedWith === null ? ctx.forwarding?.(client, head) ?? null : null;
    const who = forwarded?.client ?? client;
    const scheme = forwarded?.scheme ?? ctx.scheme ?? "http";
    const startedMs = ctx.clock.now();
    let status = 499;
    const observe = ctx.observer?.exchange;
    if (observe !== undefined) {
      const connectionRequests = requests;
      stream.onDone((_complete, bodyBytes) =>
        observe({
          head,
          client: who,
          status,
          bodyBytes,
          startedMs,
          endedMs: ctx.clock.now(),
          connectionRequests,
          scheme,
        })
      );
    }
    const send = (response: HttpResponse): void => {
      status = response.status;
      stream.respond(response, [["date", httpDate(ctx.clock.now())], ...common], head.method === "HEAD");
    };
    if (refusedWith !== null) return send(errorResponse(refusedWith));
    // An app that reads no bodies (the static site) never takes one: the session gives its window back.
    const body = ctx.streamBodies === true ? stream.body : null;
    if (body === null) stream.body?.cancel();
    const context: RequestContext = { client: who, forwarded, body, onGone: (fn) => stream.onGone(fn) };
    const failed = (error: unknown): HttpResponse => {
      ctx.logError(`500 for ${head.method} ${head.target}: ${describeError(error)}`);
      return errorResponse(500);
    };
    let response: HttpResponse | Promise<HttpResponse>;
    try {
      response = ctx.handle(head, context);
    } catch (error) {
      response = failed(error);
    }
    if (response instanceof Promise) response.then(send, (error: unknown) => send(failed(error)));
    else send(response);
  };
  const events: Http2Events = {
    request: (stream) => answer(stream, null),
    refused: (stream, status) => answer(stream, status),
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
