import type { SettingPair } from "./settings.ts";

/** The frame types of RFC 9113 §6 (§11.2); any other type is unknown and ignored (§4.1, §5.5). */
export const FRAME_TYPE = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export type FrameTypeName = keyof typeof FRAME_TYPE;

/** The names of the known types, indexed by type code. */
export const FRAME_TYPE_NAMES: readonly FrameTypeName[] = Object.keys(FRAME_TYPE) as FrameTypeName[];

/** The flags of §6, by the bit each sets; a flag a type does not define is ignored (§4.1). */
export const FLAG = {
  /** DATA, HEADERS: the last frame the sender sends on this stream (§6.1, §6.2). */
  END_STREAM: 0x1,
  /** SETTINGS, PING: an acknowledgement (§6.5, §6.7). */
  ACK: 0x1,
  /** HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends here (§6.2, §6.6, §6.10). */
  END_HEADERS: 0x4,
  /** DATA, HEADERS, PUSH_PROMISE: a Pad Length byte and padding (§6.1). */
  PADDED: 0x8,
  /** HEADERS: the deprecated priority fields are present (§6.2). */
  PRIORITY: 0x20,
} as const;

/** §4.1: every frame starts with a 9-byte header. */
export const FRAME_HEADER_LENGTH = 9;

/** §4.1: the frame header: a 24-bit length, type, flags, a reserved bit and a 31-bit stream identifier. */
export interface FrameHeader {
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  /** The reserved bit is ignored (§4.1). */
  readonly streamId: number;
}

/**
 * The priority fields of HEADERS and PRIORITY (§6.2, §6.3), deprecated by §5.3.2 but still
 * parsed: `weight` is the wire byte plus one (1..256).
 */
export interface Priority {
  readonly exclusive: boolean;
  readonly dependency: number;
  readonly weight: number;
}

/**
 * The frames as the reader hands them on. Byte fields (data, fragment, opaque data, debug
 * data) may be views of the input piece they came in, valid as long as that piece is: the
 * Socket's chunk, only during the call (copy what you keep). `flags` is the byte as received.
 */
export type Frame =
  | DataFrame
  | HeadersFrame
  | PriorityFrame
  | RstStreamFrame
  | SettingsFrame
  | PushPromiseFrame
  | PingFrame
  | GoawayFrame
  | WindowUpdateFrame
  | ContinuationFrame;

interface FrameBase {
  readonly streamId: number;
  readonly flags: number;
}

/** §6.1: padding removed; the whole payload's length kept, since flow control counts it (§6.9.1). */
export interface DataFrame extends FrameBase {
  readonly type: "DATA";
  readonly endStream: boolean;
  readonly data: Uint8Array;
  readonly flowControlledLength: number;
}

/**
 * §6.2: padding removed, priority fields parsed when the PRIORITY flag is set. A HEADERS that
 * depends on itself is a stream error (dependsOnItself) the connection layer finds once its
 * block is decoded: the reader hands it on, since HPACK must still decode the block (§4.3).
 */
export interface HeadersFrame extends FrameBase {
  readonly type: "HEADERS";
  readonly endStream: boolean;
  readonly endHeaders: boolean;
  readonly priority: Priority | null;
  readonly fragment: Uint8Array;
}

/** §6.3 */
export interface PriorityFrame extends FrameBase {
  readonly type: "PRIORITY";
  readonly priority: Priority;
}

/** §6.4: the code as received; a code this endpoint does not know is still a code (§7). */
export interface RstStreamFrame extends FrameBase {
  readonly type: "RST_STREAM";
  readonly errorCode: number;
}

/** §6.5: the pairs in the order received (§6.5.3 applies them in that order). */
export interface SettingsFrame extends FrameBase {
  readonly type: "SETTINGS";
  readonly ack: boolean;
  readonly settings: readonly SettingPair[];
}

/** §6.6: a client never sends one (§8.4); the connection layer refuses it. */
export interface PushPromiseFrame extends FrameBase {
  readonly type: "PUSH_PROMISE";
  readonly endHeaders: boolean;
  readonly promisedStreamId: number;
  readonly fragment: Uint8Array;
}

/** §6.7: 8 bytes of opaque data. */
export interface PingFrame extends FrameBase {
  readonly type: "PING";
  readonly ack: boolean;
  readonly opaqueData: Uint8Array;
}

/** §6.8 */
export interface GoawayFrame extends FrameBase {
  readonly type: "GOAWAY";
  readonly lastStreamId: number;
  readonly errorCode: number;
  readonly debugData: Uint8Array;
}

/** §6.9: 1..2^31-1 (an increment of 0 never reaches here: the reader refuses it). */
export interface WindowUpdateFrame extends FrameBase {
  readonly type: "WINDOW_UPDATE";
  readonly increment: number;
}

/** §6.10 */
export interface ContinuationFrame extends FrameBase {
  readonly type: "CONTINUATION";
  readonly endHeaders: boolean;
  readonly fragment: Uint8Array;
}

/**
 * RFC 7540 §5.3.1: a stream cannot depend on itself, a stream error PROTOCOL_ERROR (RFC 9113
 * §5.3.2 deprecates the priority scheme but keeps its fields, and h2spec still checks this).
 */
export function dependsOnItself(streamId: number, priority: Priority): boolean {
  return priority.dependency === streamId;
}
