import { type HttpError, httpError } from "../http/http-error.ts";
import { RequestParser } from "../http/parser/request-parser.ts";
import type { Socket } from "../ports/socket.ts";
import type { ConnectionContext } from "./context.ts";
import { ConnectionDeadline, type Expiry, type Wait } from "./deadline.ts";
import { describeError } from "./describe-error.ts";
import { InputFlow } from "./input-flow.ts";
import { Linger } from "./linger.ts";
import { SocketOutput } from "./socket-output.ts";
import {
  type Answering,
  answering,
  type AnswerTurn,
  CLOSED,
  type EvictionClass,
  evictionClass,
  FRESH,
  NEWCOMER_MS,
  type Phase,
  READING,
  whenGone,
} from "./phase.ts";
import { clientAddress } from "../http/client-address.ts";
import { BodyChannel } from "./body-channel.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { StreamResult } from "../http/parser/request-parser.ts";
import { refusalBytes } from "../http/refusal.ts";
import { Responder } from "./respond.ts";
import { ProxyHeaderReader } from "./proxy-header.ts";
import { unavailable, unavailableBytes } from "./unavailable.ts";
import { openSession } from "./upgrade.ts";
import { type Http2Connection, openHttp2 } from "./http2.ts";
import { PrefaceMatcher } from "../http2/preface.ts";
import type { WebSocketAccept } from "../websocket/accept.ts";
import type { DeflateAgreed } from "../websocket/extensions.ts";
import type { Exchange } from "./observer.ts";

export type { ConnectionContext } from "./context.ts";

const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");

/**
 * After the client's half-close, how long its app may still take to answer: a FIN usually means
 * the client left (nginx then ends the request as 499), but a client such as `nc -N` half-closes
 * and waits; one that answers this soon is still heard.
 */
const HALF_CLOSED_GRACE_MS = 2_000;

/**
 * One HTTP/1.1 connection: bytes in, parsed requests answered strictly in order (pipelining,
 * RFC 9112 §9.3.2), bytes out, with keep-alive and timeouts. It never throws to its caller:
 * a failing handler becomes a 500, anything worse closes this connection only.
 *
 * This file keeps the connection's phase (src/connection/phase.ts) and the moves between phases;
 * answering a request is respond.ts, the timeouts deadline.ts, the output socket-output.ts.
 */
export class HttpConnection {
  /** Where the connection is in its life: the one value its lifecycle is kept in (phase.ts). */
  private phase: Phase = FRESH;
  private readonly parser: RequestParser<boolean>;
  private readonly deadline: ConnectionDeadline;
  /** Writes, and the socket's writability as a level (connection/socket-output.ts). */
  private readonly out: SocketOutput;
  /** Pauses the socket while too much input waits (connection/input-flow.ts). */
  private readonly input: InputFlow;
  private readonly responder: Responder;
  /** The peer, or the client a PROXY protocol header named (set before the first request). */
  private readonly client: { address: string; port: number };
  /** Reads a PROXY protocol header first, for a peer allowed to send one; null once read, or for others. */
  private proxyHeader: ProxyHeaderReader | null;
  /**
   * The client half-closed (sent all it will send). Not part of the phase: it can come in every
   * phase, and changes what each does next (answer what is complete, then close, not lingering).
   */
  private inputEnded = false;
  /**
   * The client was timed out for slowness (a body, head or request deadline): the lingering close
   * then waits for quiet only, not for the rest of a body it declared (Linger's `owed`).
   */
  private timedOut = false;
  /** When the last input arrived (a time, not a state: how quiet a connection is, for eviction). */
  private lastInputAt: number;
  /**
   * Matches HTTP/2's client preface (RFC 9113 §3.4) in the first bytes, where HTTP/2 is on: prior
   * knowledge on plain TCP, or after ALPN "h2" on TLS; null once decided, or where HTTP/2 is off.
   */
  private preface: PrefaceMatcher | null;
  /** The HTTP/2 session once the preface came; null for HTTP/1.1. */
  private h2: Http2Connection | null = null;

  constructor(private readonly socket: Socket, private readonly ctx: ConnectionContext<HttpConnection>) {
    this.parser = new RequestParser<boolean>(ctx.limits, {
      readBodies: ctx.readBodies ?? false,
      streamBodies: ctx.streamBodies ?? false,
    });
    this.client = { address: clientAddress(socket.remoteAddress), port: socket.remotePort };
    this.proxyHeader = ctx.acceptsProxyHeader?.(this.client.address) === true ? new ProxyHeaderReader() : null;
    const h2 = ctx.http2 !== undefined && (socket.alpnProtocol === "h2" || ctx.scheme !== "https");
    this.preface = h2 ? new PrefaceMatcher() : null;
    this.lastInputAt = ctx.clock.now();
    // A client that reads nothing for the send timeout while output waits is dropped.
    this.out = new SocketOutput(socket, () => this.phase.kind === "closed", (started) => {
      if (started) this.setTimer("send");
      else if (this.deadline.wait === "send") this.setTimer("none");
    });
    this.input = new InputFlow(socket);
    this.responder = new Responder(ctx, this.client, this.out, {
      gone: () => this.phase.kind === "closed",
      lastRequest: () => this.inputEnded && this.parser.buffered === 0,
      finish: () => this.finish(),
      abort: () => this.abort(),
      setStreamEnd: (end) => {
        if (this.phase.kind === "answering") this.phase.endStream = end;
      },
      onGone: (fn) => whenGone(this.phase, "gone", fn),
      onAbort: (fn) => whenGone(this.phase, this.inputEnded ? "now" : "abort", fn),
      awaitApp: (waiting) => this.awaitApp(waiting),
      upgrade: (accept, exchangeAt, deflate) => this.upgrade(accept, exchangeAt, deflate),
    });
    socket.onData((chunk) => this.guard(() => this.onData(chunk)));
    socket.onEnd(() => this.guard(() => this.onEnd()));
    socket.onDrain(() => this.drained());
    socket.onClose(() => this.onClose());
    this.deadline = new ConnectionDeadline(ctx.clock, ctx.limits, (wait) => this.guard(() => this.onTimeout(wait)));
    this.setTimer("fresh");
  }

  /** The peer's address, as /time's client_ip shows it. */
  get address(): string {
    return this.client.address;
  }

  /** Whether and how cheaply the server may evict this connection (see EvictionClass); null: not at all. */
  get evictionClass(): EvictionClass | null {
    const newcomer = this.phase === FRESH && this.ctx.clock.now() - this.deadline.since < NEWCOMER_MS;
    return evictionClass(this.phase, this.parser.inRequest, this.turn(), newcomer);
  }

  /** While answering, whose turn it is (phase.ts AnswerTurn). */
  private turn(): AnswerTurn {
    if (this.phase.kind === "answering" && this.phase.channel?.waiting === true) return "client";
    return this.responder.awaitingApp ? "app" : "sending";
  }

  /** Within an eviction class, older goes first: when the connection fell idle, else its last input. */
  get quietSince(): number {
    return this.phase.kind !== "lingering" && !this.parser.inRequest ? this.deadline.since : this.lastInputAt;
  }

  /**
   * Closes to make room for a new connection at the cap (src/server/eviction.ts): silently when idle or
   * lingering, as an idle timeout would; a request still arriving gets a 408 first. No lingering:
   * the place is needed now.
   */
  evict(): void {
    const phase = this.phase;
    if (phase.kind === "closed" || phase.kind === "upgraded") return;
    if (phase.kind === "answering") return this.evictAnswering(phase);
    if (phase.kind === "reading" && this.parser.inRequest) {
      this.out.write(refusalBytes(408, this.ctx.clock.now(), this.ctx.commonHeaders));
    }
    this.close();
  }

  /**
   * Evicts a connection whose request is with its app: a body still arriving too slowly is
   * refused with 408, an app that has not answered is stood in for with a 503 (RFC 9110 §15.6.4);
   * the app's signal aborts and its body read fails. One already sending its response stays.
   */
  private evictAnswering(phase: Answering): void {
    const turn = this.turn();
    if (turn === "sending") return;
    const status = turn === "client" ? 408 : 503;
    const now = this.ctx.clock.now();
    const common = this.ctx.commonHeaders;
    const bytes = status === 503 ? unavailableBytes(now, common) : refusalBytes(status, now, common);
    this.out.write(bytes);
    this.responder.answeredElsewhere(status, bytes.length);
    for (const fn of phase.onAbort.splice(0)) fn();
    this.close();
  }

  /** True when no request is being read or answered (safe to close on shutdown). */
  get idle(): boolean {
    return this.phase.kind !== "answering" && this.phase.kind !== "upgraded" && !this.parser.inRequest;
  }

  /** Closes the connection once the current response (if any) is written; a WebSocket is closed with 1001 (going away). */
  closeWhenIdle(): void {
    if (this.phase.kind === "upgraded") this.phase.session.goingAway();
    else if (this.idle) this.finish();
    else if (this.phase.kind === "answering") this.phase.endStream?.();
  }

  /** Closes at once, dropping anything unsent. */
  destroy(): void {
    this.abort();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.ctx.logError(`connection error: ${describeError(error)}`);
      this.abort();
    }
  }

  private onData(chunk: Uint8Array): void {
    const phase = this.phase;
    if (phase.kind === "closed") return;
    this.lastInputAt = this.ctx.clock.now();
    if (phase.kind === "lingering") return phase.linger.discard(chunk);
    if (phase.kind === "upgraded") {
      phase.session.feed(chunk);
      return this.http2Wait();
    }
    if (this.proxyHeader !== null) return this.readProxyHeader(this.proxyHeader, chunk);
    if (this.preface !== null) return this.readPreface(this.preface, chunk);
    this.parser.feed(chunk);
    // While answering, input waits for the next request or the app's body read (and pauses the
    // socket past a limit).
    if (phase.kind === "answering") {
      phase.channel?.onInput();
      return this.input.held(this.parser.buffered);
    }
    this.pump();
  }

  /** The first bytes of a peer that may send a PROXY protocol header: the header, then HTTP. */
  private readProxyHeader(reader: ProxyHeaderReader, chunk: Uint8Array): void {
    const step = reader.feed(chunk);
    if (step.kind === "more") return;
    this.proxyHeader = null;
    if (step.kind === "failed") {
      return this.refuse(httpError("INVALID_PROXY_HEADER", step.message));
    }
    if (step.source !== null) {
      this.client.address = clientAddress(step.source.address);
      this.client.port = step.source.port;
    }
    if (step.rest.length > 0) this.onData(step.rest);
  }

  /** The first bytes where HTTP/2 is on: its preface starts the session; anything else is HTTP/1.1's. */
  private readPreface(matcher: PrefaceMatcher, chunk: Uint8Array): void {
    const step = matcher.feed(chunk);
    if (step.kind === "incomplete") return;
    this.preface = null;
    if (step.kind === "preface") return this.startHttp2(step.rest);
    // ALPN agreed on h2, so the client must open with the preface (RFC 9113 §3.4): it did not.
    if (this.socket.alpnProtocol === "h2") return this.abort();
    this.onData(step.bytes);
  }

  /**
   * The socket is the HTTP/2 session's (src/connection/http2.ts) from here, with the frames that
   * came with the preface. The connection keeps its output, the send timeout, the drain (GOAWAY)
   * and the deadlines: the preface's until the client's SETTINGS, then the idle one (http2Wait).
   */
  private startHttp2(rest: Uint8Array): void {
    const h2 = openHttp2(
      {
        write: (bytes, onFlushed) => {
          const flowing = this.out.write(bytes, onFlushed);
          if (!flowing && this.deadline.wait !== "send") this.setTimer("send");
          return flowing;
        },
        pause: () => this.input.pause(),
        resume: () => this.input.resume(),
        // Lingering (§6.8 GOAWAY, then the close): a client still sending when the session ends
        // would otherwise get a reset that can drop the GOAWAY before it reads it.
        end: () => this.guard(() => this.finish(true)),
        destroy: () => this.abort(),
      },
      this.ctx,
      this.ctx.http2!,
      this.client,
      this.ctx.commonFields ?? [],
    );
    this.h2 = h2;
    this.phase = { kind: "upgraded", session: h2 };
    this.ctx.observer?.http2Connection?.(true);
    this.guard(() => h2.start(rest));
    this.http2Wait();
    if (this.ctx.isClosing()) h2.goingAway();
  }

  /**
   * HTTP/2's deadline after each input: "fresh" until the client's SETTINGS (§3.4), then "idle",
   * moved on by every input; at the idle deadline a connection with open streams waits again,
   * an idle one gets GOAWAY (onTimeout).
   */
  private http2Wait(): void {
    const h2 = this.h2;
    if (h2 === null || this.phase.kind !== "upgraded" || this.deadline.wait === "send") return;
    if (h2.settingsReceived) this.setTimer("idle");
  }

  /** The client sent all it will send: answer what is complete, then close. */
  private onEnd(): void {
    this.inputEnded = true;
    if (this.phase.kind === "lingering") return this.close();
    if (this.phase.kind === "upgraded") return this.phase.session.inputEnded();
    if (this.phase.kind === "answering") {
      this.phase.channel?.onInput();
      for (const fn of this.phase.onAbort.splice(0)) fn();
      // The client may have left: its app gets a short grace to answer (HALF_CLOSED_GRACE_MS).
      if (this.responder.awaitingApp) this.deadline.dueWithin(HALF_CLOSED_GRACE_MS);
    }
    if (this.phase.kind === "reading") this.pump();
  }

  /** Answers every complete request in the buffer, in order, until one needs to wait. */
  private pump(): void {
    for (let phase = this.phase; phase.kind === "reading"; phase = this.phase) {
      const result = this.parser.next();
      if (result.kind === "incomplete") return this.awaitMore(phase.fresh);
      if (result.kind === "failed") return this.refuse(result.error, result.head ?? null);
      if (result.kind !== "request") {
        return this.refuse(httpError("INVALID_BODY", "body outside a request"));
      }
      const channel = (result as StreamResult & { kind: "request" }).body === "stream"
        ? this.bodyChannel(result.head)
        : null;
      // A body the app reads has its clocks from here, paused until the app reads (deadline.ts).
      if (channel !== null) this.deadline.holdBody(this.parser.bodyReceived);
      else this.setTimer("none");
      const current = answering(result.bodyUnread, channel);
      this.phase = current;
      const pending = this.responder.respond(result.head, result.bodyUnread, channel);
      if (pending !== undefined) {
        pending.then(() => this.guard(() => this.answered(current)), (error) => {
          this.ctx.logError(`response error: ${describeError(error)}`);
          this.abort();
        });
        return;
      }
      if (this.phase === current) this.phase = READING;
    }
  }

  /** The body of a request the app reads, taken from the parser as the app asks (body-channel.ts). */
  private bodyChannel(head: RequestHead): BodyChannel {
    const framing = head.body;
    return new BodyChannel(framing.kind === "length" ? framing.length : null, {
      next: (maxPiece) => this.parser.next(maxPiece) as StreamResult,
      // The client's turn: the body deadlines run, the app's response deadline waits.
      waitForInput: () => {
        this.input.resume();
        if (this.phase.kind === "closed") return;
        this.deadline.responded();
        this.deadline.awaitBody(this.parser.bodyReceived);
      },
      // The app's turn again: the body's clocks pause, its response deadline starts over.
      stopWaiting: () => {
        if (this.phase.kind === "closed") return;
        this.deadline.pauseBody();
        if (this.responder.awaitingApp) this.awaitApp(true);
      },
      inputEnded: () => this.inputEnded,
      // RFC 9110 §15.2.1: an interim response, only before the final one and only to HTTP/1.1.
      sendContinue: () => {
        if (!this.responder.started && head.version === "1.1") this.out.write(CONTINUE);
      },
    }, head.expectContinue);
  }

  /** The socket is below its high-water mark again: output waiting goes on, a WebSocket's send timeout stops. */
  private drained(): void {
    this.out.drain();
    if (this.phase.kind !== "upgraded") return;
    if (this.deadline.wait === "send") this.setTimer("none");
    this.phase.session.drained();
  }

  /**
   * The 101 is written (respond.ts): the socket is the WebSocket session's from here, with the
   * input that came after the handshake. The connection keeps what it shares with it: the send
   * timeout while the client does not read, the drain at shutdown (close 1001), the lingering close.
   */
  private upgrade(
    accept: WebSocketAccept,
    exchangeAt: (endedMs: number, bodyBytes: number) => Exchange,
    deflate: DeflateAgreed | null,
  ): void {
    if (this.phase.kind !== "answering") return;
    const rest = this.parser.takeRest();
    this.setTimer("none");
    const session = openSession(
      {
        clock: this.ctx.clock,
        observer: this.ctx.observer,
        logError: this.ctx.logError,
        compressor: this.ctx.compressor,
        pause: () => this.input.pause(),
        resume: () => this.input.resume(),
        write: (bytes, onFlushed) => {
          const flowing = this.out.write(bytes, onFlushed);
          if (!flowing && this.deadline.wait !== "send") this.setTimer("send");
          return flowing;
        },
        written: () => this.out.written,
        end: (linger) => this.guard(() => this.finish(linger)),
        destroy: () => this.abort(),
      },
      accept,
      exchangeAt,
      deflate,
    );
    this.phase = { kind: "upgraded", session };
    this.input.resume();
    this.guard(() => session.start(rest));
    if (this.ctx.isClosing()) session.goingAway();
  }

  /** A response is written: unless it ended the connection, the next request may be read. */
  private answered(current: Answering): void {
    if (this.phase !== current) return;
    this.phase = READING;
    // Shutting down: a response whose head went out before the drain began said keep-alive; the
    // connection still ends here, once it is written (the drain waits for it).
    if (this.ctx.isClosing() && this.parser.buffered === 0) return this.finish();
    this.pump();
  }

  /** Nothing complete in the buffer: resume input and wait for more, with the timeout that applies. */
  private awaitMore(fresh: boolean): void {
    if (this.inputEnded) return this.finish();
    this.input.resume();
    if (this.parser.inBody) {
      // A body being read (readBodies): the gap, rate and whole-request deadlines.
      this.deadline.awaitBody(this.parser.bodyReceived);
    } else if (this.parser.inRequest) {
      // Started once per request and not extended by later bytes (slow-loris defence).
      if (this.deadline.wait !== "header") this.setTimer("header");
    } else {
      // Before its first request, a connection waits only as long as for a head.
      const wait = fresh ? "fresh" : "idle";
      if (this.deadline.wait !== wait) this.setTimer(wait);
    }
  }

  private setTimer(wait: Wait): void {
    if (this.phase.kind !== "closed") this.deadline.set(wait);
  }

  /** The app has the request, or owes a streamed body's next piece: the response deadline runs (responseTimeoutMs; 0: none). */
  private awaitApp(waiting: boolean): void {
    if (!waiting || this.phase.kind === "closed") return this.deadline.responded();
    const limit = this.ctx.limits.responseTimeoutMs;
    if (limit > 0) this.deadline.awaitResponse(limit);
    if (this.inputEnded && !this.responder.started) this.deadline.dueWithin(HALF_CLOSED_GRACE_MS);
  }

  /**
   * The app did not answer in time: a 503 in its place if nothing was sent yet, else the
   * connection closes (a streamed body that stalled cannot be completed). Its signal aborts.
   */
  private responseTimedOut(): void {
    if (this.phase.kind !== "answering") return;
    for (const fn of this.phase.onAbort.splice(0)) fn();
    if (this.responder.standIn(unavailable())) {
      this.ctx.logError(`503 for ${this.responder.request}: the app did not answer within --response-timeout`);
      return;
    }
    this.ctx.logError(
      `${this.responder.request}: the streamed response stalled past --response-timeout; connection closed`,
    );
    this.abort();
  }

  private onTimeout(kind: Expiry): void {
    if (kind === "response") return this.responseTimedOut();
    this.timedOut = true;
    // A client that stopped reading our response is dropped (nothing more can be said to it).
    if (kind === "send") return this.abort();
    if (this.phase.kind === "upgraded" && this.h2 !== null) return this.http2TimedOut(this.h2, kind);
    // A body the app waits for came too slowly: its read fails, and the client gets a 408.
    if (this.phase.kind === "answering" && kind === "body") {
      return this.phase.channel?.timeOut(httpError("TIMEOUT", "body timeout"));
    }
    // Only "send" and "body" run outside the reading phase: answering suspends the deadline, finishing stops it.
    if (this.phase.kind !== "reading") return;
    // RFC 9110 §15.5.9: 408 tells a client that started a request why it is being closed.
    if (kind === "idle" || kind === "fresh") this.finish();
    else this.refuse(httpError("TIMEOUT", `${kind} timeout`));
  }

  /** HTTP/2: no SETTINGS after the preface in time closes; idle with no stream open is GOAWAY (§6.8). */
  private http2TimedOut(h2: Http2Connection, kind: Expiry): void {
    if (kind !== "idle") return this.abort();
    if (h2.openStreams > 0) return this.setTimer("idle");
    h2.goingAway();
  }

  /** Sends an error for a request that cannot be parsed, then closes (RFC 9112 §9.6). */
  private refuse(error: HttpError, head: RequestHead | null = null): void {
    const bytes = refusalBytes(error.status, this.ctx.clock.now(), this.ctx.commonHeaders);
    this.out.write(bytes);
    this.responder.refused(error.status, bytes.length, head);
    // The rest of the bad request may still be on its way: linger before closing.
    this.finish(true);
  }

  /**
   * Ends the connection after what is queued: lingering first where input may be left unread,
   * after a refused request, an unread body, or pipelined bytes already received. After the
   * client's half-close nothing more can arrive.
   */
  private finish(refused = false): void {
    const phase = this.phase;
    if (phase.kind === "lingering" || phase.kind === "closed") return;
    this.deadline.stop();
    const unread = refused || this.parser.buffered > 0 ||
      (phase.kind === "answering" && (phase.body === "unread" || (phase.channel !== null && !phase.channel.ended)));
    if (this.inputEnded || !unread) return this.close();
    const linger = new Linger(
      this.ctx.clock,
      () => this.guard(() => this.close()),
      this.timedOut ? 0 : this.parser.bodyOwed,
    );
    this.phase = { kind: "lingering", linger };
    // Input paused while answering must flow again, or the linger would discard nothing and
    // close with the client's bytes unread (the reset the lingering close exists to avoid).
    this.input.resume();
  }

  /** Flushes what is queued and closes. */
  private close(): void {
    if (this.phase.kind !== "closed") this.teardown("end");
  }

  /** Closes at once, dropping what is queued. */
  private abort(): void {
    if (this.phase.kind !== "closed") this.teardown("destroy");
  }

  /** The socket is gone (whichever side closed it). */
  private onClose(): void {
    this.teardown("closed");
    this.ctx.onClosed(this);
  }

  /**
   * The one teardown: no more timers or lingering; the socket ended (after its queue; its close
   * follows and wakes what waits) or destroyed; waiters woken and a producer still writing
   * stopped, so nothing waits on a connection that is gone.
   */
  private teardown(how: "end" | "destroy" | "closed"): void {
    const phase = this.phase;
    this.phase = CLOSED;
    if (phase.kind === "lingering") phase.linger.cancel();
    // The session learns its socket is gone (a session that ended it knows already).
    if (phase.kind === "upgraded") {
      phase.session.gone();
      if (phase.session === this.h2) this.ctx.observer?.http2Connection?.(false);
    }
    this.deadline.stop();
    if (how === "end") this.socket.end();
    else {
      if (how === "destroy") this.socket.destroy();
      this.out.wake();
    }
    if (phase.kind === "answering") {
      phase.endStream?.();
      phase.channel?.gone();
      // An end while answering comes after the response is complete: the client is not gone.
      if (how !== "end") { for (const fn of [...phase.onGone.splice(0), ...phase.onAbort.splice(0)]) fn(); }
    }
  }
}
