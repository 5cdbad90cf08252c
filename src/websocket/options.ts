import type { DeflateConfig } from "./deflate-params.ts";

/** What a WebSocket session is held to (Bun's names, in ms where Bun's are seconds; docs/websocket.md). */
export interface WebSocketLimits {
  /** Largest frame and largest message, in bytes; larger ones close with 1009 (Bun's default: 16 MiB). */
  readonly maxPayloadLength: number;
  /** Close a connection that received nothing for this long (Bun's default: 120 s); 0: never. */
  readonly idleTimeoutMs: number;
  /** Bytes queued for the client past which send() drops the message and returns 0 (Bun's default: 16 MiB). */
  readonly backpressureLimit: number;
  /** Close the connection (1008) rather than drop a message over backpressureLimit (Bun's default: false). */
  readonly closeOnBackpressureLimit: boolean;
  /** Ping a connection quiet for half the idle timeout, so a live client's pong keeps it open (Bun's default: true). */
  readonly sendPings: boolean;
  /** How long a close this side began waits for the client's close frame before the TCP connection is cut. */
  readonly closeTimeoutMs: number;
  /** permessage-deflate (RFC 7692) offered to clients that ask for it; null: never (Bun's default: off). */
  readonly perMessageDeflate?: DeflateConfig | null;
}

export const WEBSOCKET_DEFAULTS: WebSocketLimits = {
  maxPayloadLength: 16 * 1024 * 1024,
  idleTimeoutMs: 120_000,
  backpressureLimit: 16 * 1024 * 1024,
  closeOnBackpressureLimit: false,
  sendPings: true,
  closeTimeoutMs: 5_000,
  perMessageDeflate: null,
};
