import type { WebSocketAccept } from "../websocket/accept.ts";
import { reasonFits, validAppCode } from "../websocket/close.ts";
import { deflateOption } from "../websocket/deflate-params.ts";
import { OPCODE } from "../websocket/frame.ts";
import { WEBSOCKET_DEFAULTS, type WebSocketLimits } from "../websocket/options.ts";
import type { ReadyState, SessionEvents, WebSocketSession } from "../websocket/session.ts";
import type { Topics, WebSocketData } from "./topics.ts";

/** Bun's ServerWebSocketSendStatus: bytes sent, -1 queued under backpressure, 0 dropped. */
export type SendStatus = number;

/** Bun's `websocket` option of serve(): the handlers and limits of every WebSocket the app upgrades. */
export interface WebSocketHandler<T = unknown> {
  message(ws: ServerWebSocket<T>, message: string | Uint8Array): void | Promise<void>;
  open?(ws: ServerWebSocket<T>): void | Promise<void>;
  close?(ws: ServerWebSocket<T>, code: number, reason: string): void | Promise<void>;
  drain?(ws: ServerWebSocket<T>): void | Promise<void>;
  ping?(ws: ServerWebSocket<T>, data: Uint8Array): void | Promise<void>;
  pong?(ws: ServerWebSocket<T>, data: Uint8Array): void | Promise<void>;
  /** Largest frame and message in bytes, else close 1009 (default 16 MiB). */
  maxPayloadLength?: number;
  /** Seconds without input before the connection closes (default 120; 0: never). */
  idleTimeout?: number;
  /** Bytes queued for a client past which send() drops and returns 0 (default 16 MiB). */
  backpressureLimit?: number;
  /** Close (1008) instead of dropping past backpressureLimit (default false). */
  closeOnBackpressureLimit?: boolean;
  /** Ping a client quiet for half the idle timeout (default true). */
  sendPings?: boolean;
  /** ws.publish() reaches the publisher too (default false). */
  publishToSelf?: boolean;
  /**
   * permessage-deflate (RFC 7692) for clients that offer it (default false). true: no window kept
   * between messages either way (Bun's "shared"); { compress, decompress } with "dedicated" keeps one.
   */
  perMessageDeflate?: boolean | { compress?: boolean | string; decompress?: boolean | string };
}

/** upgrade()'s options: the socket's `data`, and fields for the 101. */
export interface UpgradeOptions<T = unknown> {
  readonly data?: T;
  readonly headers?: ConstructorParameters<typeof Headers>[0];
}

/** The limits a handler asks for, over the defaults (Bun's idleTimeout is in seconds); a perMessageDeflate refused at start is off. */
export function limitsOf(handler: WebSocketHandler<never>): WebSocketLimits {
  const deflate = deflateOption(handler.perMessageDeflate);
  return {
    maxPayloadLength: handler.maxPayloadLength ?? WEBSOCKET_DEFAULTS.maxPayloadLength,
    idleTimeoutMs: handler.idleTimeout === undefined ? WEBSOCKET_DEFAULTS.idleTimeoutMs : handler.idleTimeout * 1000,
    backpressureLimit: handler.backpressureLimit ?? WEBSOCKET_DEFAULTS.backpressureLimit,
    closeOnBackpressureLimit: handler.closeOnBackpressureLimit ?? WEBSOCKET_DEFAULTS.closeOnBackpressureLimit,
    sendPings: handler.sendPings ?? WEBSOCKET_DEFAULTS.sendPings,
    closeTimeoutMs: WEBSOCKET_DEFAULTS.closeTimeoutMs,
    perMessageDeflate: deflate.kind === "ok" ? deflate.config : null,
  };
}

const encoder = new TextEncoder();

function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

function payloadOf(data: WebSocketData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return typeof data === "string" ? encoder.encode(data) : bytesOf(data);
}

/** The message's bytes as an ArrayBuffer of their own (the message's own buffer when it is all of it). */
export function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : new Uint8Array(bytes).buffer) as ArrayBuffer;
}

/** Bun's ServerWebSocket over a session (src/websocket/session.ts). */
export class ServerWebSocket<T = unknown> {
  /** What upgrade() was given as `data`; the app may change it. */
  data: T;
  /** How binary messages reach `message`: Uint8Array (Bun's default is a Node Buffer, a Uint8Array too) or ArrayBuffer. */
  binaryType: "uint8array" | "arraybuffer" = "uint8array";

  constructor(
    private readonly session: WebSocketSession,
    data: T,
    /** The client's address (its IP). */
    readonly remoteAddress: string,
    private readonly topics: Topics,
    private readonly publishToSelf: boolean,
  ) {
    this.data = data;
  }

  get readyState(): ReadyState {
    return this.session.readyState;
  }

  /** A string is sent as text, anything else as binary. */
  /** A string is sent as text, anything else as binary; `compress` with permessage-deflate on (undefined: from 1 KiB). */
  send(data: WebSocketData, compress?: boolean): SendStatus {
    return typeof data === "string"
      ? this.session.sendText(data, compress)
      : this.session.sendBinary(bytesOf(data), compress);
  }

  sendText(text: string, compress?: boolean): SendStatus {
    return this.session.sendText(text, compress);
  }

  sendBinary(data: ArrayBuffer | ArrayBufferView, compress?: boolean): SendStatus {
    return this.session.sendBinary(bytesOf(data), compress);
  }

  ping(data?: WebSocketData): SendStatus {
    return this.session.control(OPCODE.ping, payloadOf(data));
  }

  pong(data?: WebSocketData): SendStatus {
    return this.session.control(OPCODE.pong, payloadOf(data));
  }

  /** Starts the closing handshake (RFC 6455 §7.1.2): 1000 unless a code is given; the reason at most 123 bytes. */
  close(code = 1000, reason = ""): void {
    if (!validAppCode(code)) throw new RangeError(`invalid WebSocket close code ${code}`);
    if (!reasonFits(reason)) throw new RangeError("a close reason is at most 123 bytes of UTF-8");
    this.session.close(code, reason);
  }

  /** Cuts the connection without a closing handshake. */
  terminate(): void {
    this.session.terminate();
  }

  getBufferedAmount(): number {
    return this.session.bufferedAmount;
  }

  /** Runs fn (writes already leave as they are made: there is nothing to cork). */
  cork<R>(fn: (ws: ServerWebSocket<T>) => R): R {
    return fn(this);
  }

  subscribe(topic: string): void {
    this.topics.subscribe(topic, this);
  }

  unsubscribe(topic: string): void {
    this.topics.unsubscribe(topic, this);
  }

  isSubscribed(topic: string): boolean {
    return this.topics.isSubscribed(topic, this);
  }

  get subscriptions(): string[] {
    return this.topics.of(this);
  }

  /** Sends to every subscriber of topic but this one (unless publishToSelf); the bytes sent, 0 if none took it. */
  publish(topic: string, data: WebSocketData, _compress?: boolean): SendStatus {
    return this.topics.publish(topic, data, this.publishToSelf ? null : this);
  }

  publishText(topic: string, text: string): SendStatus {
    return this.publish(topic, text);
  }

  publishBinary(topic: string, data: ArrayBuffer | ArrayBufferView): SendStatus {
    return this.publish(topic, data);
  }
}

/** The accept upgrade() hands the connection: Bun's handler called with a ServerWebSocket. */
export function bunAccept<T>(
  handler: WebSocketHandler<T>,
  limits: WebSocketLimits,
  options: UpgradeOptions<T> | undefined,
  remoteAddress: string,
  topics: Topics,
): WebSocketAccept {
  const headers = options?.headers === undefined ? [] : [...new Headers(options.headers).entries()];
  return {
    headers,
    limits,
    events: (session): SessionEvents => {
      const ws = new ServerWebSocket<T>(
        session,
        options?.data as T,
        remoteAddress,
        topics,
        handler.publishToSelf === true,
      );
      return {
        open: () => handler.open?.(ws),
        message: (m) =>
          handler.message(
            ws,
            m.kind === "text" ? m.text : ws.binaryType === "arraybuffer" ? (arrayBufferOf(m.data) as never) : m.data,
          ),
        ping: (data) => handler.ping?.(ws, data),
        pong: (data) => handler.pong?.(ws, data),
        drain: () => handler.drain?.(ws),
        close: (code, reason) => {
          topics.leaveAll(ws);
          return handler.close?.(ws, code, reason);
        },
      };
    },
  };
}
