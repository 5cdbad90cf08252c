import type { Client, RequestContext } from "../app.ts";
import { errorResponse } from "../http/error-page.ts";
import { httpDate } from "../http/http-date.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";
import type { Http2Stream } from "../http2/session.ts";
import type { ConnectionContext } from "./context.ts";
import { describeError } from "./describe-error.ts";
import { type Late, StreamDeadline } from "./http2-deadline.ts";
import { DeadlinePull, TimedRequestBody, withDeadline } from "./http2-timed-bodies.ts";
import { unavailable } from "./unavailable.ts";

/** What answering HTTP/2's streams uses of the server's ConnectionContext. */
export type Http2Context = Pick<
  ConnectionContext,
  "clock" | "limits" | "handle" | "scheme" | "logError" | "observer" | "forwarding" | "streamBodies" | "http2Pool"
>;

/** What one stream's answer needs of its connection. */
export interface StreamEnv {
  readonly ctx: Http2Context;
  /** The peer, or the client a PROXY protocol header named. */
  readonly client: Client;
  /** Fields every response carries (Server, the app's, --header's). */
  readonly common: ReadonlyArray<readonly [string, string]>;
  /** This request's number on its connection (1 for the first), as the access log counts them. */
  readonly connectionRequests: number;
}

/**
 * One stream's request answered as HTTP/1.1's Responder answers one (src/connection/respond.ts):
 * the same app, forwarding and common fields; a handler that throws or rejects is a 500 and a log
 * line; the exchange reported once the stream is over (its status, DATA bytes; 499 when it was
 * reset before a response); and the stream's deadline (StreamDeadline): an app that has not
 * answered in time is stood in for with a 503 (RFC 9110 §15.6.4), its late answer dropped, a
 * pulled body that stalls is reset, and a request body that stops coming while the app waits for
 * it fails the read, with a 408 in the app's place if it has not answered. `refusedWith` answers
 * without the app (431, 501).
 */
export function answerStream(stream: Http2Stream, refusedWith: number | null, env: StreamEnv): void {
  const { ctx } = env;
  const head = stream.head;
  const forwarded = refusedWith === null ? ctx.forwarding?.(env.client, head) ?? null : null;
  const client = forwarded?.client ?? env.client;
  let pull: DeadlinePull | null = null;
  let body: TimedRequestBody | null = null;
  const gone = new GoneCallbacks();
  const limits = { appMs: ctx.limits.responseTimeoutMs, clientMs: ctx.limits.bodyTimeoutMs };
  const deadline = new StreamDeadline(ctx.clock, limits, (late) => expired(late));
  const exchange = reportWhenDone(stream, env, head, client, forwarded?.scheme ?? ctx.scheme ?? "http", deadline);
  let answered = false;
  const send = (response: HttpResponse): void => {
    answered = true;
    deadline.paid();
    const timed = withDeadline(response, deadline);
    if (timed.body instanceof DeadlinePull) pull = timed.body;
    exchange.status = response.status;
    stream.respond(timed, [["date", httpDate(ctx.clock.now())], ...env.common], head.method === "HEAD");
  };
  const expired = (late: Late): void => {
    if (late === "piece") {
      return pull?.stalled(`${describe(head)}: the streamed response stalled past --response-timeout`);
    }
    if (late === "body") body?.timedOut();
    if (answered) return;
    gone.fire();
    // RFC 9110 §15.5.9 for a body that stopped coming; §15.6.4 for an app that did not answer.
    if (late === "body") return send(errorResponse(408));
    ctx.logError(`503 for ${describe(head)}: the app did not answer within --response-timeout`);
    send(unavailable());
  };
  if (refusedWith !== null) return send(errorResponse(refusedWith));
  stream.onGone(() => gone.fire());
  const received = ctx.streamBodies === true ? stream.body : null;
  // An app that reads no bodies (the static site) never takes one: the session gives its window back.
  if (received === null) stream.body?.cancel();
  else body = new TimedRequestBody(received, deadline);
  const response = ask(stream, ctx, { client, forwarded, body, onGone: (fn) => gone.add(fn) });
  if (!(response instanceof Promise)) return send(response);
  deadline.owe("answer");
  const deliver = (late: HttpResponse): void => (answered ? cancelPulled(late) : send(late));
  response.then(deliver, (error: unknown) => {
    if (!answered) send(failed(ctx, head, error));
  });
}

/** The app asked: its answer, or a 500 when it threw. */
function ask(stream: Http2Stream, ctx: Http2Context, context: RequestContext): HttpResponse | Promise<HttpResponse> {
  try {
    return ctx.handle(stream.head, context);
  } catch (error) {
    return failed(ctx, stream.head, error);
  }
}

/** What the observer (access log, metrics) is told once the stream is over; `status` is the response's, once sent. */
function reportWhenDone(
  stream: Http2Stream,
  env: StreamEnv,
  head: RequestHead,
  client: Client,
  scheme: string,
  deadline: StreamDeadline,
): { status: number } {
  // nginx's 499: the client went (reset the stream) before a response began.
  const exchange = { status: 499 };
  const observe = env.ctx.observer?.exchange;
  const startedMs = env.ctx.clock.now();
  stream.onDone((_complete, bodyBytes) => {
    deadline.end();
    observe?.({
      head,
      client,
      status: exchange.status,
      bodyBytes,
      startedMs,
      endedMs: env.ctx.clock.now(),
      connectionRequests: env.connectionRequests,
      scheme,
    });
  });
  return exchange;
}

/** A handler that threw or rejected: a 500 and a log line, as on HTTP/1.1. */
function failed(ctx: Http2Context, head: RequestHead, error: unknown): HttpResponse {
  ctx.logError(`500 for ${describe(head)}: ${describeError(error)}`);
  return errorResponse(500);
}

function describe(head: RequestHead): string {
  return `${head.method} ${head.target}`;
}

/**
 * The request's onGone callbacks (what aborts a fetch app's request.signal), run once: when the
 * stream goes (reset, connection gone), or when the app is given up on at the response deadline.
 */
class GoneCallbacks {
  private fns: Array<() => void> | null = [];

  add(fn: () => void): void {
    if (this.fns === null) fn();
    else this.fns.push(fn);
  }

  fire(): void {
    const fns = this.fns;
    this.fns = null;
    for (const fn of fns ?? []) fn();
  }
}

/** A response that will not be sent: its pulled body's producer is told to stop. */
function cancelPulled(response: HttpResponse): void {
  const body = response.body;
  if (body !== null && !(body instanceof Uint8Array) && body.kind === "pull") body.cancel();
}
