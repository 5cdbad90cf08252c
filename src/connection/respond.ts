import type { Client, Handler, RequestContext } from "../app.ts";
import { errorResponse } from "../http/error-page.ts";
import { headFor, heads } from "../http/head-cache.ts";
import { httpDate } from "../http/http-date.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import {
  concatBytes,
  type FileBody,
  type HttpResponse,
  type PartsBody,
  type PullBody,
  type StreamBody,
} from "../http/response.ts";
import type { Clock } from "../ports/clock.ts";
import type { Compressor } from "../ports/compress.ts";
import type { BodyChannel } from "./body-channel.ts";
import { describeError } from "./describe-error.ts";
import type { ForwardingLookup, ServerObserver } from "./observer.ts";
import { frame } from "./framing.ts";
import type { SocketOutput } from "./socket-output.ts";
import { type OutputEvents, sendFile, sendParts } from "./send-file.ts";
import { type PullDeps, sendPull } from "./send-pull.ts";
import { sendStream, type StreamDeps } from "./send-stream.ts";
import { type PendingUpgrade, upgradeFor } from "./upgrade.ts";
import { acceptValue, switchingHead, wrongVersion } from "../websocket/handshake.ts";
import type { WebSocketAccept } from "../websocket/accept.ts";
import type { DeflateAgreed } from "../websocket/extensions.ts";
import type { Exchange } from "./observer.ts";

/** In-memory bodies up to this size leave with their head in one write. */
const SMALL_BODY = 64 * 1024;

/** What answering uses of the server's ConnectionContext (src/connection/context.ts). */
export interface ResponseContext {
  readonly clock: Clock;
  readonly handle: Handler;
  /** "https" on a TLS listener; absent: "http". */
  readonly scheme?: string;
  /** Field lines sent with every response (each ending in CRLF). */
  readonly commonHeaders: string;
  readonly logError: (message: string) => void;
  /** True once the server is shutting down: finish the current response, then close. */
  readonly isClosing: () => boolean;
  /** Who watches exchanges and event streams (the access log, the metrics); none: nothing is measured. */
  readonly observer?: ServerObserver;
  /** What a trusted proxy says of a request (--trust-proxy); none: no proxy is trusted. */
  readonly forwarding?: ForwardingLookup;
  /** The runtime's compressor: permessage-deflate is negotiated only with its raw streams. */
  readonly compressor?: Compressor;
}

/** What the connection lends the answering of its requests. */
export interface ResponseDeps {
  /** True once the connection is gone: nothing more is written or waited for. */
  gone(): boolean;
  /** The client half-closed and nothing more is buffered: this answers its last request. */
  lastRequest(): boolean;
  /** Ends the connection after what is queued (lingering first where input was left unread). */
  finish(): void;
  /** Closes at once, dropping what is queued. */
  abort(): void;
  /** Registers how to end the body being streamed now (shutdown, client gone); null once it ended. */
  setStreamEnd(end: (() => void) | null): void;
  /** Calls fn once if the connection goes before the current response is written. */
  onGone(fn: () => void): void;
  /** Calls fn once if the client goes or half-closes before the current response is written. */
  onAbort(fn: () => void): void;
  /** The app has the request or owes a streamed body's next piece (true), or has given it (false): the response deadline. */
  awaitApp(waiting: boolean): void;
  /** The 101 is written: the connection becomes the app's WebSocket; exchangeAt reports its end. */
  upgrade(
    accept: WebSocketAccept,
    exchangeAt: (endedMs: number, bodyBytes: number) => Exchange,
    deflate: DeflateAgreed | null,
  ): void;
}

/**
 * Answers one request at a time for one connection: asks the app, frames its response
 * (src/connection/framing.ts) and writes it, in-memory bodies with their head, files and ranges
 * through send-file.ts, event streams through send-stream.ts. A failing app becomes a 500.
 */
export class Responder {
  private readonly fileOutput: OutputEvents;
  private readonly streamHost: StreamDeps;
  private readonly pullHost: PullDeps;
  /** The current response's head is written (so a 100 Continue would come too late). */
  private headSent = false;
  /** Requests answered on this connection, the current one included. */
  private requests = 0;
  /** The current response's status, and where its body began in the connection's output. */
  private status = 0;
  private bodyFrom = 0;
  /**
   * While an asynchronous app has not answered: answers the request for it (a 503 at the response
   * deadline, see standIn). Null once it answered, or when it answered at once.
   */
  private stand: ((response: HttpResponse) => void) | null = null;
  /** The current request's exchange was reported already (evicted): its end is not reported again. */
  private reported = false;
  /** The request being answered. */
  private current: RequestHead | null = null;
  /** What the current request's upgrade() left to do (connection/upgrade.ts); null: nothing. */
  private pending: PendingUpgrade | null = null;
  /** The current response is a 101: what follows it is no body of it. */
  private switched = false;
  /** Made once, not per request: what the request context's upgrade() notes, and its onGone. */
  private readonly notePending = (pending: PendingUpgrade): void => void (this.pending = pending);
  private readonly onGone = (fn: () => void): void => this.host.onAbort(fn);
  /** Who asked the current request, by which scheme, since when (for the exchange of its WebSocket). */
  private asked: { readonly client: Client; readonly scheme: string; readonly startedMs: number } | null = null;

  constructor(
    private readonly ctx: ResponseContext,
    private readonly client: Client,
    private readonly out: SocketOutput,
    private readonly host: ResponseDeps,
  ) {
    this.fileOutput = {
      gone: () => host.gone(),
      write: (bytes, onFlushed) => out.write(bytes, onFlushed),
      waitForOutput: () => out.nextEvent(),
      drained: () => out.drained(),
      wake: () => out.wake(),
    };
    this.streamHost = {
      write: (bytes) => out.write(bytes),
      gone: () => host.gone(),
      drained: () => out.drained(),
      closing: () => ctx.isClosing(),
      finish: () => host.finish(),
      // The same function ends the stream on shutdown and when the client goes.
      setEnd: (end) => host.setStreamEnd(end),
    };
    this.pullHost = {
      write: (bytes, onFlushed) => out.write(bytes, onFlushed),
      gone: () => host.gone(),
      drained: () => out.drained(),
      waitForOutput: () => out.nextEvent(),
      wake: () => out.wake(),
      finish: () => host.finish(),
      abort: (reason) => {
        ctx.logError(reason);
        host.abort();
      },
      awaitProducer: (waiting) => host.awaitApp(waiting),
    };
  }

  /**
   * A request the connection refused (400, 408, 413, 431), as the observer sees it: with its head
   * when it had one (a declared body over --max-body), so the log names the request.
   */
  refused(status: number, bytes: number, head: RequestHead | null = null): void {
    this.reportNow(head, status, bytes, this.requests + 1);
  }

  /** An answer the connection wrote by itself, reported at once (no app was asked, or it was not waited for). */
  private reportNow(head: RequestHead | null, status: number, bytes: number, connectionRequests: number): void {
    const now = this.ctx.clock.now();
    this.ctx.observer?.exchange?.({
      head,
      client: this.client,
      status,
      bodyBytes: bytes,
      startedMs: now,
      endedMs: now,
      connectionRequests,
      scheme: this.ctx.scheme ?? "http",
    });
  }

  /** The request being answered, as the error log names it ("GET /path"). */
  get request(): string {
    return this.current === null ? "-" : `${this.current.method} ${this.current.target}`;
  }

  /** Whether the head of the response in progress is written. */
  get started(): boolean {
    return this.headSent;
  }

  /** The app has the current request and has not answered (nothing is sent yet). */
  get awaitingApp(): boolean {
    return this.stand !== null;
  }

  /**
   * The response deadline passed (or the connection is evicted) while the app has not answered:
   * the request is answered with `response` in its place (a 503), and what the app says later is
   * dropped. False when the app already answered: then there is nothing to stand in for.
   */
  standIn(response: HttpResponse): boolean {
    const stand = this.stand;
    if (stand === null) return false;
    this.stand = null;
    stand(response);
    return true;
  }

  /** The current request was answered by the connection itself (evicted at the cap): it is reported once, now. */
  answeredElsewhere(status: number, bytes: number): void {
    this.stand = null;
    this.reported = true;
    // The request was counted when it reached the app, and is logged with its own request line.
    this.reportNow(this.current, status, bytes, this.requests);
  }

  /**
   * Answers a request; a promise while the response is not all written (an asynchronous app, a
   * file, a stream, or output the client has not taken yet: backpressure), else undefined.
   */
  respond(head: RequestHead, bodyUnread: boolean, body: BodyChannel | null = null): Promise<void> | undefined {
    this.headSent = false;
    this.reported = false;
    this.switched = false;
    this.pending = null;
    this.current = head;
    this.requests++;
    const forwarded = this.ctx.forwarding?.(this.client, head) ?? null;
    const client = forwarded?.client ?? this.client;
    const upgrade = upgradeFor(head, this.notePending, this.ctx.compressor);
    const context: RequestContext = { client, forwarded, body, onGone: this.onGone, upgrade };
    const observe = this.ctx.observer?.exchange;
    const startedMs = observe === undefined ? 0 : this.ctx.clock.now();
    this.asked = { client, scheme: forwarded?.scheme ?? this.ctx.scheme ?? "http", startedMs };
    let response: HttpResponse | Promise<HttpResponse>;
    try {
      response = this.ctx.handle(head, context);
    } catch (error) {
      response = this.internalError(head, error, body);
    }
    const sent = response instanceof Promise
      ? this.awaitAnswer(response, head, body).then((r) => this.send(head, r, bodyUnread, body))
      : this.send(head, response, bodyUnread, body);
    if (observe === undefined) return sent;
    const scheme = forwarded?.scheme ?? this.ctx.scheme ?? "http";
    if (sent === undefined) return void this.report(observe, head, client, startedMs, scheme);
    return sent.finally(() => this.report(observe, head, client, startedMs, scheme));
  }

  /**
   * An asynchronous app's answer, or what stands in for it (standIn): whichever comes first. A
   * late answer's pulled body is cancelled, so its producer stops.
   */
  private awaitAnswer(
    response: Promise<HttpResponse>,
    head: RequestHead,
    body: BodyChannel | null,
  ): Promise<HttpResponse> {
    this.host.awaitApp(true);
    let settle: (response: HttpResponse) => void = () => {};
    const standIn = new Promise<HttpResponse>((resolve) => (settle = resolve));
    this.stand = settle;
    const deliver = (r: HttpResponse): void => {
      // Answered in its place already (this request's stand is gone): the late answer is dropped.
      if (this.stand !== settle) return cancelPulled(r);
      settle(r);
    };
    response.then(deliver, (error: unknown) => deliver(this.internalError(head, error, body)));
    return standIn;
  }

  /** The exchange as the observer sees it, once its response is written (or the connection went). */
  private report(
    observe: NonNullable<ServerObserver["exchange"]>,
    head: RequestHead,
    client: Client,
    startedMs: number,
    scheme: string,
  ): void {
    if (this.reported) return;
    const bodyBytes = this.headSent && !this.switched ? this.out.written - this.bodyFrom : 0;
    // nginx's 499: the client closed the connection before the response began.
    const status = this.headSent ? this.status : 499;
    observe({
      head,
      client,
      status,
      bodyBytes,
      startedMs,
      endedMs: this.ctx.clock.now(),
      connectionRequests: this.requests,
      scheme,
    });
  }

  /** A failing app is a 500 and a log entry; one that failed because its body was refused gets that refusal. */
  private internalError(head: RequestHead, error: unknown, body: BodyChannel | null): HttpResponse {
    const refused = body?.error ?? null;
    if (refused !== null) return errorResponse(refused.status, [], true);
    // The app failed because its client left mid-body: nobody is told, and it is no bug (the log says 499).
    if (body?.abandoned !== true && !this.host.gone()) {
      this.ctx.logError(`500 for ${head.method} ${head.target}: ${describeError(error)}`);
    }
    return errorResponse(500);
  }

  private send(
    head: RequestHead,
    answer: HttpResponse,
    bodyUnread: boolean,
    requestBody: BodyChannel | null,
  ): Promise<void> | undefined {
    this.stand = null;
    this.host.awaitApp(false);
    if (this.host.gone()) {
      cancelPulled(answer);
      return undefined;
    }
    let response = answer;
    const pending = this.pending;
    if (pending !== null) {
      // The app took the handshake (what it answered is not sent), or it was of another version: 426.
      this.pending = null;
      cancelPulled(answer);
      if (pending.kind === "take") return this.switchProtocols(head, pending);
      response = wrongVersion();
    }
    if (requestBody !== null) {
      // A body refused while the app read it (413, 400, 408): the client is told that, whatever the app said.
      const refused = requestBody.error;
      if (refused !== null && refused.status !== response.status) {
        cancelPulled(response);
        response = errorResponse(refused.status, [], true);
      }
      bodyUnread = !requestBody.settle();
    }
    this.headSent = true;
    const { keepAlive, omitBody, chunked } = frame(head, response, {
      bodyUnread,
      // After the client's half-close, the response to its last request says the connection ends.
      lastRequest: this.host.lastRequest(),
      closing: this.ctx.isClosing(),
    });
    const body = response.body;
    const headBytes = headFor(
      response,
      httpDate(this.ctx.clock.now()),
      head.version,
      keepAlive,
      this.ctx.commonHeaders,
    );
    this.status = response.status;
    this.bodyFrom = this.out.written + headBytes.length;
    if (body === null || omitBody) {
      cancelPulled(response);
      this.out.write(headBytes);
    } else if (body instanceof Uint8Array) this.writeWithHead(response, headBytes, body);
    else if (body.kind === "stream") return this.sendStream(headBytes, body, keepAlive, chunked);
    else if (body.kind === "pull") return this.sendPull(headBytes, body, keepAlive, chunked);
    else return this.sendFile(headBytes, body, keepAlive);
    if (!keepAlive) this.host.finish();
    // Output backpressure: answer the next pipelined request only once the client reads.
    else if (this.out.isBlocked) return this.out.drained();
    return undefined;
  }

  /** RFC 6455 §4.2.2: the 101 with its accept value, then the connection is the app's WebSocket. */
  private async switchProtocols(head: RequestHead, pending: PendingUpgrade & { kind: "take" }): Promise<void> {
    const accept = await acceptValue(pending.key);
    if (this.host.gone()) return;
    const now = this.ctx.clock.now();
    const extensions = pending.deflate?.answer ?? null;
    const bytes = switchingHead(accept, pending.accept.headers, httpDate(now), this.ctx.commonHeaders, extensions);
    this.headSent = true;
    this.switched = true;
    this.status = 101;
    this.out.write(bytes);
    const asked = this.asked!;
    const requests = this.requests;
    this.host.upgrade(pending.accept, (endedMs, bodyBytes) => ({
      head,
      client: asked.client,
      status: 101,
      bodyBytes,
      startedMs: asked.startedMs === 0 ? now : asked.startedMs,
      endedMs,
      connectionRequests: requests,
      scheme: asked.scheme,
    }), pending.deflate);
  }

  /** Small bodies leave with their head in one write; larger ones are not copied for that. */
  private writeWithHead(response: HttpResponse, headBytes: Uint8Array, body: Uint8Array): void {
    if (body.length <= SMALL_BODY) {
      const cached = response.once === true ? undefined : heads.get(response);
      if (cached?.bytes !== headBytes) this.out.write(concatBytes(headBytes, body));
      else this.out.write(cached.whole ??= concatBytes(headBytes, body));
      return;
    }
    this.out.write(headBytes);
    this.out.write(body);
  }

  /** An event stream (send-stream.ts), counted open while it runs. */
  private sendStream(headBytes: Uint8Array, body: StreamBody, keepAlive: boolean, chunked: boolean): Promise<void> {
    const watch = this.ctx.observer?.stream;
    if (watch === undefined) return sendStream(this.streamHost, headBytes, body, keepAlive, chunked);
    watch(true);
    return sendStream(this.streamHost, headBytes, body, keepAlive, chunked).finally(() => watch(false));
  }

  /** A body pulled from the app's stream (send-pull.ts), waiting for the client between pieces. */
  private async sendPull(headBytes: Uint8Array, body: PullBody, keepAlive: boolean, chunked: boolean): Promise<void> {
    this.host.onGone(() => body.cancel());
    const whole = await sendPull(this.pullHost, headBytes, body, chunked);
    if (!whole || this.host.gone()) return;
    if (!keepAlive) this.host.finish();
    else await this.out.drained();
  }

  /** Streams a file range (src/connection/send-file.ts); a vanished or shrunk file breaks framing, so abort. */
  private async sendFile(headBytes: Uint8Array, body: FileBody | PartsBody, keepAlive: boolean): Promise<void> {
    const result = body.kind === "file"
      ? await sendFile(headBytes, body, this.fileOutput)
      : await sendParts(headBytes, body, this.fileOutput);
    if (result.kind === "gone" || this.host.gone()) return;
    if (result.kind === "failed") return this.host.abort();
    if (!keepAlive) this.host.finish();
    else await this.out.drained();
  }
}

/** A pulled body that will not be sent: its producer is told to stop. */
function cancelPulled(response: HttpResponse): void {
  const body = response.body;
  if (body !== null && !(body instanceof Uint8Array) && body.kind === "pull") body.cancel();
}
