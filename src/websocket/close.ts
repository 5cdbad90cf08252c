import { failure, type WebSocketFailure } from "./frame.ts";
import { isUtf8 } from "./utf8.ts";

/** A close frame received: its status code (null: none given, 1005 to the app, §7.1.5) and reason. */
export interface CloseReceived {
  readonly kind: "close";
  readonly code: number | null;
  readonly reason: string;
}

/** 1005 (no status received): given to the app, never sent (RFC 6455 §7.4.1). */
export const NO_STATUS = 1005;
/** 1006 (abnormal closure): the connection closed without a close frame; never sent. */
export const ABNORMAL = 1006;

/**
 * Whether a code may appear in a close frame (RFC 6455 §7.4.1, §7.4.2): the defined codes that
 * are not reserved for local use (1004, 1005, 1006, 1015 fail), and 3000-4999 (registered and
 * private). Anything else received fails the connection with 1002.
 */
export function validWireCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

/** Codes the app may close with: those, and 1012-1014 (IANA's service restart, try again later, bad gateway). */
export function validAppCode(code: number): boolean {
  return Number.isInteger(code) && (validWireCode(code) || (code >= 1012 && code <= 1014));
}

const decoder = new TextDecoder();

/** §5.5.1: a close payload is empty, or a 2-byte code then a UTF-8 reason; 1 byte is a protocol error. */
export function parseClosePayload(payload: Uint8Array): CloseReceived | WebSocketFailure {
  if (payload.length === 0) return { kind: "close", code: null, reason: "" };
  if (payload.length === 1) return failure(1002, "close payload of 1 byte");
  const code = (payload[0]! << 8) | payload[1]!;
  if (!validWireCode(code)) return failure(1002, `invalid close code ${code}`);
  const reason = payload.subarray(2);
  // §5.5.1: the reason is UTF-8; §8.1: invalid UTF-8 fails the connection with 1007.
  if (!isUtf8(reason)) return failure(1007, "close reason not UTF-8");
  return { kind: "close", code, reason: decoder.decode(reason) };
}

const encoder = new TextEncoder();

/** The largest reason that fits a control frame's 125 bytes after the 2-byte code (§5.5). */
export const MAX_REASON_BYTES = 123;

/** A close frame's payload: nothing for no code, else the code and the reason (at most 123 bytes of UTF-8). */
export function closePayload(code: number | null, reason = ""): Uint8Array {
  if (code === null) return new Uint8Array(0);
  const text = encoder.encode(reason);
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >> 8;
  payload[1] = code & 0xff;
  payload.set(text, 2);
  return payload;
}

/** Whether a reason fits a close frame. */
export function reasonFits(reason: string): boolean {
  return encoder.encode(reason).length <= MAX_REASON_BYTES;
}
