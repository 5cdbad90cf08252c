import type { Clock } from "../ports/clock.ts";
import { ABNORMAL, closePayload, NO_STATUS } from "./close.ts";
import { OPCODE, type Opcode, type WebSocketFailure } from "./frame.ts";
import { FrameReader, type FrameVerdict } from "./frame-reader.ts";
import { encodeFrame } from "./frame-writer.ts";
import { type Incoming, MessageAssembler } from "./message.ts";
import type { WebSocketLimits } from "./options.ts";

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
  /** A message in (received) or out (sent), for the metrics. */
  counted?(direction: "in" | "out", bytes: number): void;
}

/**
 * One WebSocket connection after its handshake (RFC 6455): frames read and messages assembled
 * (frame-reader.ts, message.ts), pings answered, the closing handshake (§7) in both directions
 * with a timeout, the idle timeout with optional pings, and output backpressure in Bun's terms:
 * send() returns the bytes sent, -1 when they were queued past the socket's high-water mark
 * (drain follows), or 0 when dropped (closed, or over backpressureLimit).
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
  /** Bytes written and not yet flushed by the socket. */
  private buffered = 0;
  private blocked = false;
  /** send() returned -1: the app is told when the socket drains. */
  private owesDrain = false;
  private closeSent = false;
  private closed = false;
  private lastInputAt: number;
  private pinged = false;
  private cancelIdle: () => void = () => {};
  private cancelClose: () => void = () => {};

  constructor(
    private readonly link: SessionLink,
    private readonly clock: Clock,
    private readonly limits: WebSocketLimits,
    events: (session: WebSocketSession) => SessionEvents,
    private readonly logError: (message: string) => void,
  ) {
    this.events = events(this);
    this.assembler = new MessageAssembler(limits.maxPayloadLength, (incoming) => this.receive(incoming));
    this.reader = new FrameReader(limits.maxPayloadLength, (event) => this.assembler.take(event));
    this.lastInputAt = clock.now();
  }

  get readyState(): ReadyState {
    return this.state;
  }

  /** Bytes queued for the client and not yet written out. */
  get bufferedAmount(): number {
    return this.buffered;
  }

  /** The handshake is sent: open, then whatever input came with the handshake. */
  start(rest: Uint8Array): void {
    this.state = OPEN;
    this.armIdle();
    this.call(() => this.events.open());
    if (rest.length > 0 && !this.closed) this.feed(rest);
  }

  /** Input from the client. */
  feed(chunk: Uint8Array): void {
    if (this.state === CLOSED) return;
    this.lastInputAt = this.clock.now();
    this.pinged = false;
    const failed = this.reader.feed(chunk);
    if (failed !== null) this.fail(failed);
  }

  /** Sends a text message (RFC 6455 §5.6): the bytes sent, -1 queued under backpressure, 0 dropped. */
  sendText(text: string): number {
    return this.sendData(OPCODE.text, encoder.encode(text));
  }

  /** Sends a binary message, as sendText. */
  sendBinary(data: Uint8Array): number {
    return this.sendData(OPCODE.binary, data);
  }

  /** A ping (§5.5.2) or unsolicited pong (§5.5.3), at most 125 bytes. */
  control(opcode: typeof OPCODE.ping | typeof OPCODE.pong, data: Uint8Array): number {
    if (this.state !== OPEN) return 0;
    if (data.length > 125) throw new RangeError("a ping or pong carries at most 125 bytes");
    return this.write(opcode, data);
  }

  /** The app closes (§7.1.2): a close frame, then the client's is waited for, at most closeTimeoutMs. */
  close(code: number | null, reason = ""): void {
    if (this.state !== OPEN) return;
    this.sendClose(code, reason);
    this.cancelClose = this.clock.after(this.limits.closeTimeoutMs, () => this.abandon());
  }

  /** Cuts the connection without a closing handshake (Bun's terminate()). */
  terminate(): void {
    if (this.state === CLOSED) return;
    this.link.destroy();
    this.ended(ABNORMAL, "");
  }

  /** The socket took what was queued below its high-water mark. */
  drained(): void {
    this.blocked = false;
    if (!this.owesDrain || this.state === CLOSED) return;
    this.owesDrain = false;
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

  private sendData(opcode: Opcode, payload: Uint8Array): number {
    if (this.state !== OPEN) return 0;
    // Over the limit while the socket refuses more: the client is not keeping up (a socket that
    // still takes bytes is not, even with a tick's worth of writes awaiting their callbacks).
    if (this.blocked && this.buffered > this.limits.backpressureLimit) {
      if (this.limits.closeOnBackpressureLimit) this.close(1008, "backpressure limit");
      return 0;
    }
    const sent = this.write(opcode, payload);
    this.link.counted?.("out", payload.length);
    return sent;
  }

  private write(opcode: Opcode, payload: Uint8Array): number {
    const frame = encodeFrame(opcode, payload);
    this.buffered += frame.length;
    const flowing = this.link.write(frame, () => (this.buffered -= frame.length));
    if (flowing && !this.blocked) return payload.length;
    this.blocked = true;
    this.owesDrain = true;
    return -1;
  }

  private receive(incoming: Incoming): FrameVerdict {
    switch (incoming.kind) {
      case "text":
        return this.deliver({ kind: "text", text: incoming.text }, incoming.bytes);
      case "binary":
        return this.deliver(incoming, incoming.data.length);
      case "ping":
        // §5.5.2: a ping is answered with a pong of the same payload, unless a close was sent.
        if (this.state === OPEN) this.write(OPCODE.pong, incoming.data);
        this.call(() => this.events.ping(incoming.data));
        return null;
      case "pong":
        this.call(() => this.events.pong(incoming.data));
        return null;
      case "close":
        this.closeReceived(incoming.code, incoming.reason);
        return "stop";
    }
  }

  /** A data message: to the app while open; after this side sent a close, dropped (§7.1.2 leaves it to us). */
  private deliver(message: WebSocketMessage, bytes: number): FrameVerdict {
    if (this.state !== OPEN) return null;
    this.link.counted?.("in", bytes);
    this.call(() => this.events.message(message));
    return null;
  }

  /**
   * §5.5.1: a close received is answered with one (echoing its code and reason, as Bun and Deno do) unless one was sent; then
   * the server closes the TCP connection first (§7.1.1).
   */
  private closeReceived(code: number | null, reason: string): void {
    if (!this.closeSent) this.sendClose(code, reason);
    this.ended(code ?? NO_STATUS, reason);
    this.link.end(false);
  }

  /** §7.1.7: fail the connection: a close frame with the code, then the TCP connection ends (input discarded first). */
  private fail(failure: WebSocketFailure): void {
    if (!this.closeSent) this.sendClose(failure.code, failure.reason);
    this.ended(failure.code, failure.reason);
    this.link.end(true);
  }

  private sendClose(code: number | null, reason: string): void {
    this.closeSent = true;
    this.state = CLOSING;
    this.write(OPCODE.close, closePayload(code, reason));
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
    this.cancelIdle();
    this.cancelClose();
    this.call(() => this.events.close(code, reason));
  }

  /**
   * The idle timeout (Bun's idleTimeout): with sendPings, a connection quiet for half of it is
   * pinged, and its pong (any input) keeps it; quiet for all of it, it is closed with 1001.
   */
  private armIdle(): void {
    const limit = this.limits.idleTimeoutMs;
    if (limit <= 0) return;
    const pingAt = this.limits.sendPings && !this.pinged ? this.lastInputAt + limit / 2 : Number.POSITIVE_INFINITY;
    const due = Math.min(pingAt, this.lastInputAt + limit);
    this.cancelIdle = this.clock.after(Math.max(1, due - this.clock.now()), () => this.idleCheck());
  }

  private idleCheck(): void {
    if (this.state !== OPEN) return;
    const limit = this.limits.idleTimeoutMs;
    const quiet = this.clock.now() - this.lastInputAt;
    if (quiet >= limit) return this.close(1001, "idle timeout");
    if (this.limits.sendPings && !this.pinged && quiet >= limit / 2) {
      this.pinged = true;
      this.write(OPCODE.ping, EMPTY);
    }
    this.armIdle();
  }

  /** Runs an app callback: what it throws or rejects with is logged, and the session goes on. */
  private call(fn: () => unknown): void {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((error: unknown) => this.logError(describe(error)));
    } catch (error) {
      this.logError(describe(error));
    }
  }
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

function describe(error: unknown): string {
  return `websocket handler error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
