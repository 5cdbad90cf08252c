/** The opcodes of RFC 6455 §5.2 (§11.8); the rest are reserved and fail the connection. */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export type Opcode = (typeof OPCODE)[keyof typeof OPCODE];

/** A frame's header as read (RFC 6455 §5.2), its payload following as "data" pieces. */
export interface FrameHead {
  readonly fin: boolean;
  readonly opcode: Opcode;
  /** RSV1: with permessage-deflate, the first frame of a compressed message (RFC 7692 §6). */
  readonly rsv1: boolean;
  /** The payload's length in bytes. */
  readonly length: number;
}

/** §5.5: control frames are the opcodes with the high bit set. */
export function isControl(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** Why the connection is failed (RFC 6455 §7.1.7), with the close code it is failed with (§7.4.1). */
export interface WebSocketFailure {
  readonly kind: "failed";
  /** 1002 protocol error, 1007 invalid payload data, 1009 message too big, 1011 the server failed (compressing). */
  readonly code: 1002 | 1007 | 1009 | 1011;
  readonly reason: string;
}

export function failure(code: WebSocketFailure["code"], reason: string): WebSocketFailure {
  return { kind: "failed", code, reason };
}
