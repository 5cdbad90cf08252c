import type { Clock } from "../ports/clock.ts";
import { ABNORMAL, closePayload, type CloseReceived, NO_STATUS } from "./close.ts";
import type { MessageDeflate } from "./deflate.ts";
import { OPCODE, type Opcode, type WebSocketFailure } from "./frame.ts";
import { FrameReader, type FrameVerdict } from "./frame-reader.ts";
import { IdleWatch } from "./idle.ts";
import { InOrder } from "./in-order.ts";
import { type Incoming, MessageAssembler } from "./message.ts";
import type { WebSocketLimits } from "./options.ts";
import { Outgoing } from "./outgoing.ts";

/** The WHATWG and Bun readyState numbers. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
export type ReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED;

/** A data message as the app gets it. */
export type WebSocketMessage =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "binary"; readonly data: Uint8Array };

/** What the session tells the API layer above it (Bun's handler shape, or a WHATWG WebSocket's events). */
export interface SessionEvents {
  open(): void;
  message(message: WebSocketMessage): void;
  ping(data: Uint8Array): void;
  pong(data: Uint8Array): void;
  /** The client read what was queued after send() returned -1. */
  drain(): void;
  /** Once, when the session is over: the code and reason the client sent (1005: none; 1006: no close frame). */
  close(code: number, reason: string): void;
}

/** What the connection lends its session (src/connection/connection.ts). */
export interface SessionLink {
  /** Queues bytes; false past the socket's high-water mark (wait for drained()). onFlushed: written out. */
  write(bytes: Uint8Array, onFlushed: () => void): boolean;
  /** Ends the TCP connection after what is queued; `linger`: read and discard input first (connection/linger.ts). */
  end(linger: boolean): void;
  /** Cuts the connection now. */
  destroy(): void;
  /** Stop reading input until resume() (while a compressed message is inflated). */
  pause?(): void;
  resume?(): void;
  /** A message in (received) or out (sent), for the metrics. */
  counted?(direction: "in" | "out", bytes: number): void;
}

/**
 * One WebSocket connection after its handshake (RFC 6455): frames read and messages assembled
 * (frame-reader.ts, message.ts), pings answered, the closing handshake (§7) in both directions
 * with a timeout, the idle timeout with optional pings, and output backpressure in Bun's terms:
 * send() returns the bytes sent, -1 when they were queued past the socket's high-water mark
 * (drain follows), or 0 when dropped (closed, or over backpressureLimit). With permessage-deflate
 * (`deflate`), inflating and compressing take turns: what comes after a message being inflated
 * waits for it (input paused meanwhile), and frames sent after one being compressed wait for it,
 * so messages keep their order both ways.
 *
 *   CONNECTING ──start()──> OPEN ──close sent or received──> CLOSING ──both, or timeout──> CLOSED
 *
 * and to CLOSED from any state when the socket goes.
 */
export class WebSocketSession {
  private state: ReadyState = CONNECTING;
  private readonly events: SessionEvents;
  private readonly reader: FrameReader;
  private readonly assembler: MessageAssembler;
  private closeSent = false;
  private closed = false;
  private readonly idle: IdleWatch;
  private cancelClose: () => void = () => {};
  /** What the client sent, handled in turn (after a message being inflated). */
  private readonly inbox: InOrder;
  private readonly out: Outgoing;

  constructor(
    private readonly link: SessionLink,
    private readonly clock: Clock,
    private readonly limits: WebSocketLimits,
    events: (session: WebSocketSession) => SessionEvents,
    private readonly logError: (message: string) => void,
    /** permessage-deflate, when the handshake agreed on it (RFC 7692). */
    private readonly deflate: MessageDeflate | null = null,
  ) {
    this.events = events(this);
    this.assembler = new MessageAssembler(limits.maxPayloadLength, (incoming) => this.receive(incoming));
    this.reader = new FrameReader(limits.maxPayloadLength, (event) => this.assembler.take(event), deflate !== null);
    this.idle = new IdleWatch(clock, limits, {
      ping: () => this.out.now(OPCODE.ping, EMPTY),
      idle: () => this.close(1001, "idle timeout"),
      open: () => this.state === OPEN,
    });
    const stepFailed = (error: unknown): void => logError(describe(error));
    this.inbox = new InOrder((held) => (held ? link.pause?.() : link.resume?.()), stepFailed);
    this.out = new Outgoing(
      (bytes, onFlushed) => link.write(bytes, onFlushed),
      deflate,
      (f) => this.fail(f),
      stepFailed,
    );
  }

  get readyState(): ReadyState {
    return this.state;
  }

  /** Bytes queued for the client and not yet written out. */
  get bufferedAmount(): number {
    return this.out.bufferedAmount;
  }

  /** The handshake is sent: open, then whatever input came with the handshake. */
  start(rest: Uint8Array): void {
    this.state = OPEN;
    this.idle.arm();
    this.call(() => this.events.open());
    if (rest.length > 0 && !this.closed) this.feed(rest);
  }

  /** Input from the client. */
  feed(chunk: Uint8Array): void {
    if (this.state === CLOSED) return;
    this.idle.input();
    const failed = this.reader.feed(chunk);
    if (failed !== null) this.inbox.run(() => this.fail(failed));
  }

  /**
   * Sends a text message (RFC 6455 §5.6): the bytes sent, -1 queued under backpressure, 0
   * dropped. With permessage-deflate on, `compress` true compresses it, false does not, and
   * undefined compresses it from COMPRESS_FROM bytes on (outgoing.ts).
   */
  sendText(text: string, compress?: boolean): number {
    return this.sendData(OPCODE.text, encoder.encode(text), compress);
  }

  /** Sends a binary message, as sendText. */
  sendBinary(data: Uint8Array, compress?: boolean): number {
    return this.sendData(OPCODE.binary, data, compress);
  }

  /** A ping (§5.5.2) or unsolicited pong (§5.5.3), at most 125 bytes. */
  control(opcode: typeof OPCODE.ping | typeof OPCODE.pong, data: Uint8Array): number {
    if (this.state !== OPEN) return 0;
    if (data.length > 125) throw new RangeError("a ping or pong carries at most 125 bytes");
    return this.out.now(opcode, data);
  }

  /** The app closes (§7.1.2): a close frame, then the client's is waited for, at most closeTimeoutMs. */
  close(code: number | null, reason = ""): void {
    if (this.state !== OPEN) return;
    this.sendClose(code, reason);
    this.cancelClose = this.clock.after(this.limits.closeTimeoutMs, () => this.abandon());
  }

  /** The server shuts down: close 1001 ("going away", RFC 6455 §7.4.1). */
  goingAway(): void {
    this.close(1001, "server shutting down");
  }

  /** Cuts the connection without a closing handshake (Bun's terminate()). */
  terminate(): void {
    if (this.state === CLOSED) return;
    this.link.destroy();
    this.ended(ABNORMAL, "");
  }

  /** The socket took what was queued below its high-water mark. */
  drained(): void {
    if (!this.out.drained() || this.state === CLOSED) return;
    this.call(() => this.events.drain());
  }

  /** The client half-closed without a close frame: the session ends abnormally (§7.1.5: 1006). */
  inputEnded(): void {
    if (this.state === CLOSED) return;
    this.ended(ABNORMAL, "");
    this.link.end(false);
  }

  /** The socket is gone, whichever side closed it. */
  gone(): void {
    this.ended(ABNORMAL, "");
  }

  private sendData(opcode: Opcode, payload: Uint8Array, compress: boolean | undefined): number {
    if (this.state !== OPEN) return 0;
    // Over the limit while the socket refuses more: the client is not keeping up (a socket that
    // still takes bytes is not, even with a tick's worth of writes awaiting their callbacks).
    if (this.out.over(this.limits.backpressureLimit)) {
      if (this.limits.closeOnBackpressureLimit) this.close(1008, "backpressure limit");
      return 0;
    }
    this.link.counted?.("out", payload.length);
    return this.out.data(opcode, payload, compress);
  }

  /** What the client sent, in its turn; a close stops the reader at once (nothing after it counts, §5.5.1). */
  private receive(incoming: Incoming): FrameVerdict {
    if (incoming.kind === "close") {
      this.inbox.run(() => this.closeReceived(incoming.code, incoming.reason));
      return "stop";
    }
    this.inbox.run(() => this.handle(incoming));
    return null;
  }

  private handle(incoming: Exclude<Incoming, CloseReceived>): void | Promise<void> {
    switch (incoming.kind) {
      case "text":
        return this.deliver({ kind: "text", text: incoming.text }, incoming.bytes);
      case "binary":
        return this.deliver(incoming, incoming.data.length);
      case "compressed":
        return this.inflate(incoming.data, incoming.text);
      case "ping":
        // §5.5.2: a ping is answered with a pong of the same payload, unless a close was sent.
        if (this.state === OPEN) this.out.now(OPCODE.pong, incoming.data);
        return this.call(() => this.events.ping(incoming.data));
      case "pong":
        return this.call(() => this.events.pong(incoming.data));
    }
  }

  /** RFC 7692 §6.2: a compressed message inflated (held to maxPayloadLength as it inflates), then delivered. */
  private async inflate(compressed: Uint8Array, text: boolean): Promise<void> {
    if (this.closed) return;
    const inflated = await this.deflate!.inflate(compressed, text, this.limits.maxPayloadLength);
    if (this.state === CLOSED) return;
    if (inflated.kind === "failed") return this.fail(inflated);
    const data = inflated.data;
    this.deliver(text ? { kind: "text", text: decoder.decode(data) } : { kind: "binary", data }, data.length);
  }

  /** A data message: to the app while open; after this side sent a close, dropped (§7.1.2 leaves it to us). */
  private deliver(message: WebSocketMessage, bytes: number): void {
    if (this.state !== OPEN) return;
    this.link.counted?.("in", bytes);
    this.call(() => this.events.message(message));
  }

  /**
   * §5.5.1: a close received is answered with one (echoing its code and reason, as Bun and Deno do) unless one was sent; then
   * the server closes the TCP connection first (§7.1.1).
   */
  private closeReceived(code: number | null, reason: string): void {
    if (this.state === CLOSED) return;
    if (!this.closeSent) this.sendClose(code, reason);
    this.ended(code ?? NO_STATUS, reason);
    this.out.then(() => this.link.end(false));
  }

  /** §7.1.7: fail the connection: a close frame with the code, then the TCP connection ends (input discarded first). */
  private fail(failure: WebSocketFailure): void {
    if (this.state === CLOSED) return;
    if (!this.closeSent) this.sendClose(failure.code, failure.reason);
    this.ended(failure.code, failure.reason);
    this.out.then(() => this.link.end(true));
  }

  /** The close frame, after the messages sent before it (those being compressed too). */
  private sendClose(code: number | null, reason: string): void {
    this.closeSent = true;
    this.state = CLOSING;
    this.out.inTurn(OPCODE.close, closePayload(code, reason));
  }

  /** The client did not answer a close in time: the connection is cut (1006). */
  private abandon(): void {
    if (this.state === CLOSED) return;
    this.link.destroy();
    this.ended(ABNORMAL, "");
  }

  private ended(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.state = CLOSED;
    this.idle.stop();
    this.cancelClose();
    // The zlib streams go once what is being inflated and compressed is done with them.
    const deflate = this.deflate;
    if (deflate !== null) this.out.then(() => this.inbox.run(() => deflate.close()));
    this.call(() => this.events.close(code, reason));
  }

  /** Runs an app callback: what it throws or rejects with is logged, and the session goes on. */
  private call(fn: () => unknown): undefined {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((error: unknown) => this.logError(describe(error)));
    } catch (error) {
      this.logError(describe(error));
    }
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

function describe(error: unknown): string {
  return `websocket handler error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
