import type { HttpError } from "../http/http-error.ts";
import { httpDate } from "../http/http-date.ts";
import type { HttpLimits } from "../http/limits.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import { RequestParser } from "../http/parser/request-parser.ts";
import { headFor, heads } from "../http/head-cache.ts";
import { concatBytes, type FileBody, type PartsBody, type HttpResponse, serializeHead, type StreamBody, utf8 } from "../http/response.ts";
import { frame } from "./framing.ts";
import { sendStream, type StreamHost } from "./send-stream.ts";
import { type OutputEvents, sendFile, sendParts } from "./send-file.ts";
import { ConnectionDeadline, type Wait } from "./deadline.ts";
import { Linger } from "./linger.ts";
import { Output } from "./output.ts";
import type { Clock, Socket } from "../ports.ts";
import { errorResponse } from "../http/error-page.ts";
import type { Client, Handler } from "../app.ts";

export interface ConnectionContext {
  readonly limits: HttpLimits;
  readonly clock: Clock;
  readonly handle: Handler;
  /** Field lines sent with every response (each ending in CRLF). */
  readonly commonHeaders: string;
  readonly logError: (message: string) => void;
  /** True once the server is shutting down: finish the current response, then close. */
  readonly isClosing: () => boolean;
  /** Called once when the connection is gone. */
  readonly onClosed: (connection: HttpConnection) => void;
  /**
   * Read a request body that has not all arrived with its head before answering (with the body
   * deadlines of src/connection/deadline.ts). Off, as in the product today, which reads no
   * bodies: such a request is answered at once, with Connection: close and a lingering close.
   */
  readonly readBodies?: boolean;
}

/**
 * How cheaply the server may close a connection to make room at the connection cap, cheapest
 * first: one already lingering before its close, one idle (fresh or between keep-alive requests),
 * one still receiving a request. A connection answering a request is never evicted.
 */
export type EvictionClass = 0 | 1 | 2;

/** In-memory bodies up to this size leave with their head in one write. */
const SMALL_BODY = 64 * 1024;
/** Unparsed input held while a response is in progress before the socket is paused. */
const MAX_BUFFERED_INPUT = 64 * 1024;


/**
 * One HTTP/1.1 connection: bytes in, parsed requests answered strictly in order (pipelining,
 * RFC 9112 §9.3.2), bytes out, with keep-alive and timeouts. It never throws to its caller:
 * a failing handler becomes a 500, anything worse closes this connection only.
 */
export class HttpConnection {
  private readonly parser: RequestParser;
  private busy = false;
  private done = false;
  private paused = false;
  private inputEnded = false;
  private readonly deadline: ConnectionDeadline;
  /** Writes, and the socket's writability as a level (connection/output.ts). */
  private readonly out: Output;
  /** Ends the body being streamed (server shutdown), or null when none is. */
  private endStream: (() => void) | null = null;
  /** The client may have sent input we will not read (a refused request, an unread body). */
  private unreadInput = false;
  /** Set while the connection reads and discards input before closing (src/connection/linger.ts). */
  private linger: Linger | null = null;
  /** Called once when the connection goes while a body is being streamed. */
  private onGone: (() => void) | null = null;
  /** Requests handed out so far (before the first, the connection is "fresh"). */
  private requests = 0;
  /** When the last input arrived. */
  private lastInputAt: number;
  private readonly client: Client;
  private readonly output: OutputEvents = {
    gone: () => this.done,
    write: (bytes, onFlushed) => this.out.write(bytes, onFlushed),
    waitForOutput: () => this.out.nextEvent(),
    drained: () => this.out.drained(),
    wake: () => this.out.wake(),
  };

  private readonly streamHost: StreamHost = {
    write: (bytes) => this.out.write(bytes),
    gone: () => this.done,
    drained: () => this.out.drained(),
    closing: () => this.ctx.isClosing(),
    finish: () => this.finish(),
    // The same function ends the stream on shutdown (endStream) and when the client goes (onGone).
    setEnd: (end) => {
      this.endStream = end;
      if (end !== null) this.onGone = end;
    },
  };

  constructor(private readonly conn: Socket, private readonly ctx: ConnectionContext) {
    this.parser = new RequestParser(ctx.limits, { readBodies: ctx.readBodies ?? false });
    this.client = { address: clientAddress(conn.remoteAddress) };
    this.lastInputAt = ctx.clock.now();
    // A client that reads nothing for the send timeout while output waits is dropped.
    this.out = new Output(conn, () => this.done, (started) => {
      if (started) this.setTimer("send");
      else if (this.timer === "send") this.setTimer("none");
    });
    conn.onData((chunk) => this.guard(() => this.onData(chunk)));
    conn.onEnd(() => this.guard(() => this.onEnd()));
    conn.onDrain(() => this.out.drain());
    conn.onClose(() => this.onClose());
    this.deadline = new ConnectionDeadline(ctx.clock, ctx.limits, (wait) => this.guard(() => this.onTimeout(wait)));
    this.setTimer("fresh");
  }

  /** The peer's address, as /time's client_ip shows it. */
  get address(): string {
    return this.client.address;
  }

  /** Whether and how cheaply the server may evict this connection (see EvictionClass); null: not at all. */
  get evictionClass(): EvictionClass | null {
    if (this.done || this.busy) return null;
    if (this.linger !== null) return 0;
    return this.parser.inRequest ? 2 : 1;
  }

  /** Within an eviction class, older goes first: when the connection fell idle, else its last input. */
  get quietSince(): number {
    return this.linger === null && !this.parser.inRequest ? this.deadline.since : this.lastInputAt;
  }

  /**
   * Closes to make room for a new connection at the cap (src/server/server.ts): silently when idle or
   * lingering, as an idle timeout would; a request still arriving gets a 408 first. No lingering:
   * the place is needed now.
   */
  evict(): void {
    if (this.done || this.busy) return;
    if (this.linger === null && this.parser.inRequest) {
      this.out.write(this.errorBytes({ status: 408, code: "TIMEOUT", message: "evicted at the connection cap" }));
    }
    this.close();
  }

  /** True when no request is being read or answered (safe to close on shutdown). */
  get idle(): boolean {
    return !this.busy && !this.parser.inRequest;
  }

  /** Closes the connection once the current response (if any) is written. */
  closeWhenIdle(): void {
    if (this.idle) this.finish();
    else this.endStream?.();
  }

  /** Closes at once, dropping anything unsent. */
  destroy(): void {
    this.abort();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.ctx.logError(`connection error: ${describe(error)}`);
      this.abort();
    }
  }

  private onData(chunk: Uint8Array): void {
    if (this.done) return;
    this.lastInputAt = this.ctx.clock.now();
    if (this.linger !== null) return this.linger.discard(chunk);
    this.parser.feed(chunk);
    if (this.busy) {
      if (this.parser.buffered > MAX_BUFFERED_INPUT && !this.paused) {
        this.paused = true;
        this.conn.pause();
      }
      return;
    }
    this.pump();
  }

  /** The client sent all it will send: answer what is complete, then close. */
  private onEnd(): void {
    this.inputEnded = true;
    if (this.linger !== null) return this.close();
    if (!this.busy) this.pump();
  }

  /** Answers every complete request in the buffer, in order, until one needs to wait. */
  private pump(): void {
    while (!this.done && !this.busy && this.linger === null) {
      const result = this.parser.next();
      if (result.kind === "incomplete") {
        this.awaitMore();
        return;
      }
      if (result.kind === "error") {
        this.refuse(result.error);
        return;
      }
      this.busy = true;
      this.requests++;
      this.setTimer("none");
      const pending = this.respond(result.head, result.bodyUnread);
      if (pending !== undefined) {
        pending.then(() => this.afterResponse(), (error) => {
          this.ctx.logError(`response error: ${describe(error)}`);
          this.abort();
        });
        return;
      }
      this.busy = false;
    }
  }

  private afterResponse(): void {
    this.busy = false;
    this.guard(() => this.pump());
  }

  private awaitMore(): void {
    if (this.inputEnded) return this.finish();
    if (this.paused) {
      this.paused = false;
      this.conn.resume();
    }
    if (this.parser.inBody) {
      // A body being read (readBodies): the gap, rate and whole-request deadlines.
      if (this.timer !== "body") this.setTimer("body", this.parser.bodyReceived);
      else this.deadline.progress(this.parser.bodyReceived);
    } else if (this.parser.inRequest) {
      // Started once per request and not extended by later bytes (slow-loris defence).
      if (this.timer !== "header") this.setTimer("header");
    } else {
      // Before its first request, a connection waits only as long as for a head.
      const wait = this.requests === 0 ? "fresh" : "idle";
      if (this.timer !== wait) this.setTimer(wait);
    }
  }

  private setTimer(wait: Wait, received?: number): void {
    if (!this.done) this.deadline.set(wait, received);
  }

  private get timer(): Wait {
    return this.deadline.wait;
  }

  private stopTimer(): void {
    this.deadline.stop();
  }

  private onTimeout(kind: Wait): void {
    // A client that stopped reading our response is dropped (nothing more can be said to it).
    if (kind === "send") return this.abort();
    if (this.done || this.busy) return;
    // RFC 9110 §15.5.9: 408 tells a client that started a request why it is being closed.
    if (kind === "idle" || kind === "fresh") this.finish();
    else this.refuse({ status: 408, code: "TIMEOUT", message: `${kind} timeout` });
  }

  /** Sends an error for a request that cannot be parsed, then closes (RFC 9112 §9.6). */
  private refuse(error: HttpError): void {
    this.out.write(this.errorBytes(error));
    // The rest of the bad request may still be on its way: linger before closing.
    this.unreadInput = true;
    this.finish();
  }

  /** An error page with Connection: close, head and body in one buffer. */
  private errorBytes(error: HttpError): Uint8Array {
    const response = errorResponse(error.status, [], true);
    const head = utf8(serializeHead(response, httpDate(this.ctx.clock.now()), "1.1", false, this.ctx.commonHeaders));
    return concatBytes(head, response.body as Uint8Array);
  }

  private respond(head: RequestHead, bodyUnread: boolean): Promise<void> | undefined {
    let response: HttpResponse | Promise<HttpResponse>;
    try {
      response = this.ctx.handle(head, this.client);
    } catch (error) {
      response = this.internalError(head, error);
    }
    if (response instanceof Promise) {
      return response.then(
        (r) => this.send(head, r, bodyUnread),
        (error) => this.send(head, this.internalError(head, error), bodyUnread),
      );
    }
    return this.send(head, response, bodyUnread);
  }

  private internalError(head: RequestHead, error: unknown): HttpResponse {
    this.ctx.logError(`500 for ${head.method} ${head.target}: ${describe(error)}`);
    return errorResponse(500);
  }

  private send(head: RequestHead, response: HttpResponse, bodyUnread: boolean): Promise<void> | undefined {
    if (this.done) return undefined;
    const { keepAlive, omitBody, chunked } = frame(head, response, {
      bodyUnread,
      // After the client's half-close, the response to its last request says the connection ends.
      lastRequest: this.inputEnded && this.parser.buffered === 0,
      closing: this.ctx.isClosing(),
    });
    // A body we did not read (still on its way, or Expect: 100-continue): linger before closing.
    if (bodyUnread) this.unreadInput = true;
    const body = response.body;
    const headBytes = headFor(response, httpDate(this.ctx.clock.now()), head.version, keepAlive, this.ctx.commonHeaders);
    if (body === null || omitBody) this.out.write(headBytes);
    else if (body instanceof Uint8Array) this.writeWithHead(response, headBytes, body);
    else if (body.kind === "stream") return sendStream(this.streamHost, headBytes, body, keepAlive, chunked);
    else return this.sendFile(headBytes, body, keepAlive);
    if (!keepAlive) this.finish();
    // Output backpressure: answer the next pipelined request only once the client reads.
    else if (this.out.isBlocked) return this.out.drained();
    return undefined;
  }

  /** Small bodies leave with their head in one write; larger ones are not copied for that. */
  private writeWithHead(response: HttpResponse, headBytes: Uint8Array, body: Uint8Array): void {
    if (body.length <= SMALL_BODY) {
      const cached = heads.get(response);
      if (cached?.bytes !== headBytes) this.out.write(concatBytes(headBytes, body));
      else this.out.write(cached.whole ??= concatBytes(headBytes, body));
      return;
    }
    this.out.write(headBytes);
    this.out.write(body);
  }

  /** Streams a file range (src/connection/send-file.ts); a vanished or shrunk file breaks framing, so abort. */
  private async sendFile(headBytes: Uint8Array, body: FileBody | PartsBody, keepAlive: boolean): Promise<void> {
    const result = body.kind === "file"
      ? await sendFile(headBytes, body, this.output)
      : await sendParts(headBytes, body, this.output);
    if (result.kind === "gone" || this.done) return;
    if (result.kind === "failed") return this.abort();
    if (!keepAlive) this.finish();
    else await this.out.drained();
  }

  /** Ends the connection after what is queued: lingering first unless the client has half-closed. */
  private finish(): void {
    if (this.done || this.linger !== null) return;
    this.stopTimer();
    // Linger only where input may be left unread: after a refused request, an unread body, or
    // pipelined bytes already received. After the client's half-close nothing more can arrive.
    if (this.inputEnded || (!this.unreadInput && this.parser.buffered === 0)) return this.close();
    this.linger = new Linger(this.ctx.clock, () => this.guard(() => this.close()));
  }

  /** Flushes what is queued and closes. */
  private close(): void {
    if (!this.done) this.teardown("end");
  }

  /** Closes at once, dropping what is queued. */
  private abort(): void {
    if (!this.done) this.teardown("destroy");
  }

  /** The socket is gone (whichever side closed it). */
  private onClose(): void {
    this.teardown("closed");
    this.ctx.onClosed(this);
  }

  /**
   * The one teardown: no more timers or lingering; the socket ended (after its queue) or
   * destroyed; waiters woken and a producer still writing stopped, so nothing waits on a
   * connection that is gone.
   */
  private teardown(how: "end" | "destroy" | "closed"): void {
    this.done = true;
    this.linger?.cancel();
    this.stopTimer();
    if (how === "end") return this.conn.end();
    if (how === "destroy") this.conn.destroy();
    this.out.wake();
    const stopProducer = this.onGone;
    this.onGone = null;
    stopProducer?.();
  }
}

/** The peer's address as people write it: an IPv4-mapped IPv6 address as plain IPv4. */
export function clientAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
