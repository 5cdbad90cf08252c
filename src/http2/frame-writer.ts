import { ERROR_CODE, type ErrorCodeName } from "./error.ts";
import { FLAG, FRAME_HEADER_LENGTH, FRAME_TYPE, type Priority } from "./frame.ts";
import type { SettingPair } from "./settings.ts";

/**
 * Writes a frame header (RFC 9113 §4.1) into out at `at`: Length (24), Type, Flags, the
 * reserved bit 0 and the Stream Identifier (31).
 */
export function writeFrameHeader(
  out: Uint8Array,
  at: number,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): void {
  out[at] = length >>> 16;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = length & 0xff;
  out[at + 3] = type;
  out[at + 4] = flags;
  writeU32(out, at + 5, streamId & 0x7fffffff);
}

/** A frame of any type in one allocation: header and payload. */
export function encodeFrame(type: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH + payload.length);
  writeFrameHeader(out, 0, payload.length, type, flags, streamId);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

/**
 * A DATA frame's 9-byte header alone (§6.1), never padded: the caller writes its `length`
 * bytes of payload after it (a file's chunk, uncopied).
 */
export function encodeDataHeader(streamId: number, length: number, endStream: boolean): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH);
  writeFrameHeader(out, 0, length, FRAME_TYPE.DATA, endStream ? FLAG.END_STREAM : 0, streamId);
  return out;
}

/** A DATA frame (§6.1), never padded, header and payload in one allocation. */
export function encodeData(streamId: number, data: Uint8Array, endStream: boolean): Uint8Array {
  return encodeFrame(FRAME_TYPE.DATA, endStream ? FLAG.END_STREAM : 0, streamId, data);
}

/** Options of a HEADERS frame: END_STREAM, the peer's SETTINGS_MAX_FRAME_SIZE, and priority fields (§6.2). */
export interface HeadersOptions {
  readonly endStream: boolean;
  readonly maxFrameSize: number;
  readonly priority?: Priority;
}

/**
 * A field block as HEADERS (§6.2) then as many CONTINUATION frames (§6.10) as the peer's
 * frame size needs, END_HEADERS on the last, all in one allocation: they must leave back to
 * back anyway (§6.10: nothing may come between them).
 */
export function encodeHeaders(streamId: number, block: Uint8Array, options: HeadersOptions): Uint8Array {
  const fields = options.priority === undefined ? null : priorityBytes(options.priority);
  const flags = (options.endStream ? FLAG.END_STREAM : 0) | (fields === null ? 0 : FLAG.PRIORITY);
  return encodeFieldBlock(
    FRAME_TYPE.HEADERS,
    flags,
    streamId,
    fields ?? new Uint8Array(0),
    block,
    options.maxFrameSize,
  );
}

/** A PUSH_PROMISE (§6.6) and its CONTINUATION frames, as encodeHeaders; never padded. */
export function encodePushPromise(
  streamId: number,
  promisedStreamId: number,
  block: Uint8Array,
  maxFrameSize: number,
): Uint8Array {
  const fields = new Uint8Array(4);
  writeU32(fields, 0, promisedStreamId & 0x7fffffff);
  return encodeFieldBlock(FRAME_TYPE.PUSH_PROMISE, 0, streamId, fields, block, maxFrameSize);
}

/** One CONTINUATION frame (§6.10). */
export function encodeContinuation(streamId: number, fragment: Uint8Array, endHeaders: boolean): Uint8Array {
  return encodeFrame(FRAME_TYPE.CONTINUATION, endHeaders ? FLAG.END_HEADERS : 0, streamId, fragment);
}

/**
 * The first frame's fixed fields then the block, cut into frames of at most maxFrameSize
 * payload bytes: the first of `type`, the rest CONTINUATION, END_HEADERS on the last.
 */
function encodeFieldBlock(
  type: number,
  flags: number,
  streamId: number,
  fixed: Uint8Array,
  block: Uint8Array,
  maxFrameSize: number,
): Uint8Array {
  const firstTake = Math.min(block.length, maxFrameSize - fixed.length);
  const rest = block.length - firstTake;
  const continuations = Math.ceil(rest / maxFrameSize);
  const out = new Uint8Array(FRAME_HEADER_LENGTH * (1 + continuations) + fixed.length + block.length);
  const firstFlags = flags | (continuations === 0 ? FLAG.END_HEADERS : 0);
  writeFrameHeader(out, 0, fixed.length + firstTake, type, firstFlags, streamId);
  out.set(fixed, FRAME_HEADER_LENGTH);
  out.set(block.subarray(0, firstTake), FRAME_HEADER_LENGTH + fixed.length);
  let at = FRAME_HEADER_LENGTH + fixed.length + firstTake;
  for (let from = firstTake; from < block.length; from += maxFrameSize) {
    const piece = block.subarray(from, from + maxFrameSize);
    const last = from + piece.length === block.length;
    writeFrameHeader(out, at, piece.length, FRAME_TYPE.CONTINUATION, last ? FLAG.END_HEADERS : 0, streamId);
    out.set(piece, at + FRAME_HEADER_LENGTH);
    at += FRAME_HEADER_LENGTH + piece.length;
  }
  return out;
}

/** A PRIORITY frame (§6.3). */
export function encodePriority(streamId: number, priority: Priority): Uint8Array {
  return encodeFrame(FRAME_TYPE.PRIORITY, 0, streamId, priorityBytes(priority));
}

/** A RST_STREAM frame (§6.4). */
export function encodeRstStream(streamId: number, code: ErrorCodeName | number): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH + 4);
  writeFrameHeader(out, 0, 4, FRAME_TYPE.RST_STREAM, 0, streamId);
  writeU32(out, FRAME_HEADER_LENGTH, codeOf(code));
  return out;
}

/** A SETTINGS frame (§6.5) announcing the pairs in order, on stream 0. */
export function encodeSettings(settings: readonly SettingPair[]): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH + 6 * settings.length);
  writeFrameHeader(out, 0, 6 * settings.length, FRAME_TYPE.SETTINGS, 0, 0);
  let at = FRAME_HEADER_LENGTH;
  for (const { id, value } of settings) {
    out[at] = id >>> 8;
    out[at + 1] = id & 0xff;
    writeU32(out, at + 2, value);
    at += 6;
  }
  return out;
}

/** §6.5.3: the acknowledgement of the peer's SETTINGS: ACK and no payload. */
export function encodeSettingsAck(): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH);
  writeFrameHeader(out, 0, 0, FRAME_TYPE.SETTINGS, FLAG.ACK, 0);
  return out;
}

/** A PING (§6.7) with its 8 bytes of opaque data; `ack` answers one, with the same data. */
export function encodePing(opaqueData: Uint8Array, ack: boolean): Uint8Array {
  return encodeFrame(FRAME_TYPE.PING, ack ? FLAG.ACK : 0, 0, opaqueData);
}

/** A GOAWAY frame (§6.8): the last stream this endpoint acted on, the code, optional debug data. */
export function encodeGoaway(
  lastStreamId: number,
  code: ErrorCodeName | number,
  debugData: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH + 8 + debugData.length);
  writeFrameHeader(out, 0, 8 + debugData.length, FRAME_TYPE.GOAWAY, 0, 0);
  writeU32(out, FRAME_HEADER_LENGTH, lastStreamId & 0x7fffffff);
  writeU32(out, FRAME_HEADER_LENGTH + 4, codeOf(code));
  out.set(debugData, FRAME_HEADER_LENGTH + 8);
  return out;
}

/** A WINDOW_UPDATE frame (§6.9): an increment of 1..2^31-1, on a stream or the connection (0). */
export function encodeWindowUpdate(streamId: number, increment: number): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH + 4);
  writeFrameHeader(out, 0, 4, FRAME_TYPE.WINDOW_UPDATE, 0, streamId);
  writeU32(out, FRAME_HEADER_LENGTH, increment & 0x7fffffff);
  return out;
}

/** §6.3: E, Stream Dependency (31 bits), Weight - 1. */
function priorityBytes(priority: Priority): Uint8Array {
  const out = new Uint8Array(5);
  writeU32(out, 0, ((priority.exclusive ? 0x80000000 : 0) | (priority.dependency & 0x7fffffff)) >>> 0);
  out[4] = priority.weight - 1;
  return out;
}

function codeOf(code: ErrorCodeName | number): number {
  return typeof code === "number" ? code : ERROR_CODE[code];
}

function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}
