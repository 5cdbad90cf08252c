import { ABNORMAL, reasonFits, validAppCode } from "../websocket/close.ts";
import {
  CLOSED,
  CLOSING,
  CONNECTING,
  OPEN,
  type ReadyState,
  type SessionEvents,
  type WebSocketSession,
} from "../websocket/session.ts";
import type { WebSocketMessage } from "../websocket/session.ts";
import { arrayBufferOf } from "./websocket.ts";
import { CloseEvent, ErrorEvent } from "./websocket-events.ts";

/** How binary messages reach `message` events (WHATWG: "blob" or "arraybuffer"; Deno's server sockets start with "arraybuffer"). */
export type BinaryType = "arraybuffer" | "blob";

/** What send() takes, as a WHATWG WebSocket's does. */
export type SocketData = string | ArrayBuffer | ArrayBufferView | Blob;

type Handler = ((event: Event) => unknown) | null;
const EVENT_TYPES = ["open", "message", "close", "error"] as const;
type EventType = (typeof EVENT_TYPES)[number];

/**
 * The server's end of a WebSocket in the WHATWG `WebSocket` shape, as Deno's upgradeWebSocket()
 * returns it (upgrade-websocket.ts): an EventTarget with open, message, close and error events
 * (and the onopen, onmessage, onclose, onerror attributes), send(), close(), readyState,
 * binaryType, bufferedAmount, protocol, extensions and url. It is CONNECTING until the
 * server has written the 101 (the app returned the upgrade's response), then over a session
 * (src/websocket/session.ts).
 */
export class UpgradedWebSocket extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  /** "arraybuffer" (Deno's default for server sockets) or "blob". */
  binaryType: BinaryType = "arraybuffer";
  /** No extension is negotiated (permessage-deflate is not implemented). */
  readonly extensions = "";
  /** Deno's server sockets have an empty url; so do these. */
  readonly url = "";
  private session: WebSocketSession | null = null;
  /** close() before the 101 was written: applied when the session starts. */
  private early: { code: number | null; reason: string } | null = null;
  /** Sends waiting for a Blob's bytes, so messages leave in the order they were sent. */
  private queue: Promise<void> | null = null;
  private readonly handlers = new Map<EventType, Handler>();

  constructor(
    /** The subprotocol the 101 names (Sec-WebSocket-Protocol), "" when none. */
    readonly protocol: string,
  ) {
    super();
  }

  get readyState(): ReadyState {
    if (this.session !== null) return this.session.readyState;
    return this.early === null ? CONNECTING : CLOSING;
  }

  /** Bytes queued for the client and not yet written out. */
  get bufferedAmount(): number {
    return this.session?.bufferedAmount ?? 0;
  }

  /**
   * Sends a message: a string as text, bytes or a Blob as binary. Throws InvalidStateError while
   * CONNECTING, as WHATWG's and Deno's do; once closing, what is sent is dropped.
   */
  send(data: SocketData): void {
    if (this.session === null) {
      if (this.early === null) throw new DOMException("'readyState' not OPEN", "InvalidStateError");
      return;
    }
    if (this.queue === null && !(data instanceof Blob)) return this.sendNow(data);
    const bytes = data instanceof Blob ? data.arrayBuffer() : Promise.resolve(data);
    const queue: Promise<void> = (this.queue ?? Promise.resolve())
      .then(() => bytes)
      .then((ready) => this.sendNow(ready), () => {})
      .finally(() => {
        if (this.queue === queue) this.queue = null;
      });
    this.queue = queue;
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2). A code the protocol lets a server send, else
   * InvalidAccessError (Deno sends any code; codes such as 1005 or 999 are not for the wire);
   * a reason of at most 123 bytes of UTF-8, else SyntaxError (WHATWG). No code: an empty close frame.
   */
  close(code?: number, reason?: string): void {
    if (code !== undefined && !validAppCode(code)) {
      throw new DOMException(`${code} is not a close code a server may send`, "InvalidAccessError");
    }
    const why = code === undefined ? "" : reason ?? "";
    if (!reasonFits(why)) throw new DOMException("a close reason is at most 123 bytes of UTF-8", "SyntaxError");
    if (this.session === null) {
      this.early ??= { code: code ?? null, reason: why };
      return;
    }
    this.session.close(code ?? null, why);
  }

  /** The session on the upgraded connection: what it reports becomes this socket's events. */
  attach(session: WebSocketSession): SessionEvents {
    this.session = session;
    const nothing = (): void => {};
    return {
      open: () => this.opened(),
      message: (m) => this.dispatchEvent(new MessageEvent("message", { data: this.dataOf(m) })),
      ping: nothing,
      pong: nothing,
      drain: nothing,
      close: (code, reason) => this.closed(code, reason),
    };
  }

  /** The server did not switch (a version other than 13 got 426): the socket fails as a client's does. */
  refused(): void {
    this.early = { code: null, reason: "" };
    this.closed(ABNORMAL, "");
  }

  private opened(): void {
    const early = this.early;
    if (early !== null) return this.session!.close(early.code, early.reason);
    this.dispatchEvent(new Event("open"));
  }

  /** WHATWG: a connection that ended without the closing handshake fires error, then close (wasClean false, 1006). */
  private closed(code: number, reason: string): void {
    const clean = code !== ABNORMAL;
    if (!clean) this.dispatchEvent(new ErrorEvent("error", { message: "the connection closed without a close frame" }));
    this.dispatchEvent(new CloseEvent("close", { code, reason, wasClean: clean }));
  }

  private sendNow(data: string | ArrayBuffer | ArrayBufferView): void {
    const session = this.session!;
    if (typeof data === "string") session.sendText(data);
    else if (data instanceof ArrayBuffer) session.sendBinary(new Uint8Array(data));
    else session.sendBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  private dataOf(message: WebSocketMessage): string | ArrayBuffer | Blob {
    if (message.kind === "text") return message.text;
    const bytes = message.data;
    if (this.binaryType === "blob") return new Blob([bytes as Uint8Array<ArrayBuffer>]);
    return arrayBufferOf(bytes);
  }

  /** The onopen/onmessage/onclose/onerror attributes: one listener each, calling whatever is set now. */
  private handlerOf(type: EventType): Handler {
    return this.handlers.get(type) ?? null;
  }

  private setHandler(type: EventType, handler: Handler): void {
    if (!this.handlers.has(type)) {
      this.addEventListener(type, (event) => this.handlers.get(type)?.call(this, event));
    }
    this.handlers.set(type, typeof handler === "function" ? handler : null);
  }

  get onopen(): Handler {
    return this.handlerOf("open");
  }
  set onopen(handler: Handler) {
    this.setHandler("open", handler);
  }
  get onmessage(): Handler {
    return this.handlerOf("message");
  }
  set onmessage(handler: Handler) {
    this.setHandler("message", handler);
  }
  get onclose(): Handler {
    return this.handlerOf("close");
  }
  set onclose(handler: Handler) {
    this.setHandler("close", handler);
  }
  get onerror(): Handler {
    return this.handlerOf("error");
  }
  set onerror(handler: Handler) {
    this.setHandler("error", handler);
  }
}
