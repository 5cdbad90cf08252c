/** The error codes of RFC 9113 §7, carried by RST_STREAM and GOAWAY frames. */
export const ERROR_CODE = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

export type ErrorCodeName = keyof typeof ERROR_CODE;

const NAMES: ReadonlyMap<number, ErrorCodeName> = new Map(
  Object.entries(ERROR_CODE).map(([name, code]) => [code, name as ErrorCodeName]),
);

/** §7: the name of a received code, or null for a code this endpoint does not know (no special behaviour). */
export function errorCodeName(code: number): ErrorCodeName | null {
  return NAMES.get(code) ?? null;
}

/**
 * §5.4.1: an error that makes the whole connection unusable: the endpoint sends GOAWAY with
 * this code and closes the connection.
 */
export interface ConnectionError {
  readonly kind: "connection-error";
  readonly code: ErrorCodeName;
  readonly reason: string;
  /**
   * The peer reads nothing of what we send (its acknowledgements back up): a GOAWAY queued behind
   * them would never reach it, and a lingering close would only read more of its flood. The
   * connection is cut at once (§5.4.1 asks for the close; the GOAWAY is a best effort).
   */
  readonly cut?: true;
}

/**
 * §5.4.2: an error on one stream: the endpoint sends RST_STREAM with this code on streamId;
 * the connection goes on.
 */
export interface StreamError {
  readonly kind: "stream-error";
  readonly code: ErrorCodeName;
  readonly streamId: number;
  readonly reason: string;
}

export function connectionError(code: ErrorCodeName, reason: string): ConnectionError {
  return { kind: "connection-error", code, reason };
}

/** A connection error with a peer that does not read: GOAWAY if it can go, and the connection cut (ConnectionError.cut). */
export function cutConnection(code: ErrorCodeName, reason: string): ConnectionError {
  return { kind: "connection-error", code, reason, cut: true };
}

export function streamError(code: ErrorCodeName, streamId: number, reason: string): StreamError {
  return { kind: "stream-error", code, streamId, reason };
}
