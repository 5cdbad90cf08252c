import { type ConnectionError, connectionError, type StreamError, streamError } from "./error.ts";
import { dependsOnItself, FLAG, type Frame, FRAME_TYPE, type FrameHeader, type Priority } from "./frame.ts";
import { checkSetting, type SettingPair } from "./settings.ts";

/**
 * A known frame's payload parsed by its type (§6), its header already checked (frame-rules.ts):
 * the frame, or what its payload breaks. Byte fields are views of `payload`, never copies.
 */
export function parsePayload(h: FrameHeader, payload: Uint8Array): Frame | StreamError | ConnectionError {
  const { streamId, flags } = h;
  switch (h.type) {
    case FRAME_TYPE.DATA:
      return parseData(h, payload);
    case FRAME_TYPE.HEADERS:
      return parseHeaders(h, payload);
    case FRAME_TYPE.PRIORITY:
      return parsePriorityFrame(h, payload);
    case FRAME_TYPE.RST_STREAM:
      return { type: "RST_STREAM", streamId, flags, errorCode: u32(payload, 0) };
    case FRAME_TYPE.SETTINGS:
      return parseSettings(h, payload);
    case FRAME_TYPE.PUSH_PROMISE:
      return parsePushPromise(h, payload);
    case FRAME_TYPE.PING:
      return { type: "PING", streamId, flags, ack: (flags & FLAG.ACK) !== 0, opaqueData: payload };
    case FRAME_TYPE.GOAWAY:
      return {
        type: "GOAWAY",
        streamId,
        flags,
        lastStreamId: u32(payload, 0) & 0x7fffffff,
        errorCode: u32(payload, 4),
        debugData: payload.subarray(8),
      };
    case FRAME_TYPE.WINDOW_UPDATE:
      return parseWindowUpdate(h, payload);
    default: // FRAME_TYPE.CONTINUATION, the last known type: checkHeader skips the unknown ones
      return { type: "CONTINUATION", streamId, flags, endHeaders: (flags & FLAG.END_HEADERS) !== 0, fragment: payload };
  }
}

/** §6.1: padding removed; flow control still counts the whole payload (§6.9.1). */
function parseData(h: FrameHeader, payload: Uint8Array): Frame | ConnectionError {
  const content = unpad(h, payload, 0);
  if (content === null) return tooMuchPadding(h);
  return {
    type: "DATA",
    streamId: h.streamId,
    flags: h.flags,
    endStream: (h.flags & FLAG.END_STREAM) !== 0,
    data: content,
    flowControlledLength: payload.length,
  };
}

/** §6.2: [Pad Length] [E, Stream Dependency, Weight] Field Block Fragment [Padding]. */
function parseHeaders(h: FrameHeader, payload: Uint8Array): Frame | ConnectionError {
  const hasPriority = (h.flags & FLAG.PRIORITY) !== 0;
  const at = (h.flags & FLAG.PADDED) !== 0 ? 1 : 0;
  const content = unpad(h, payload, hasPriority ? 5 : 0);
  if (content === null) return tooMuchPadding(h);
  return {
    type: "HEADERS",
    streamId: h.streamId,
    flags: h.flags,
    endStream: (h.flags & FLAG.END_STREAM) !== 0,
    endHeaders: (h.flags & FLAG.END_HEADERS) !== 0,
    priority: hasPriority ? readPriority(payload, at) : null,
    fragment: hasPriority ? content.subarray(5) : content,
  };
}

/** §6.3; RFC 7540 §5.3.1: depending on itself is a stream PROTOCOL_ERROR. */
function parsePriorityFrame(h: FrameHeader, payload: Uint8Array): Frame | StreamError {
  const priority = readPriority(payload, 0);
  if (dependsOnItself(h.streamId, priority)) {
    return streamError("PROTOCOL_ERROR", h.streamId, `stream ${h.streamId} depends on itself`);
  }
  return { type: "PRIORITY", streamId: h.streamId, flags: h.flags, priority };
}

/** §6.5.1: 6-byte pairs, each value checked for its identifier (§6.5.2). */
function parseSettings(h: FrameHeader, payload: Uint8Array): Frame | ConnectionError {
  const settings: SettingPair[] = [];
  for (let at = 0; at < payload.length; at += 6) {
    const setting = { id: (payload[at]! << 8) | payload[at + 1]!, value: u32(payload, at + 2) };
    const bad = checkSetting(setting);
    if (bad !== null) return bad;
    settings.push(setting);
  }
  return { type: "SETTINGS", streamId: h.streamId, flags: h.flags, ack: (h.flags & FLAG.ACK) !== 0, settings };
}

/** §6.6: [Pad Length] R, Promised Stream ID, Field Block Fragment [Padding]. */
function parsePushPromise(h: FrameHeader, payload: Uint8Array): Frame | ConnectionError {
  const content = unpad(h, payload, 4);
  if (content === null) return tooMuchPadding(h);
  return {
    type: "PUSH_PROMISE",
    streamId: h.streamId,
    flags: h.flags,
    endHeaders: (h.flags & FLAG.END_HEADERS) !== 0,
    promisedStreamId: u32(content, 0) & 0x7fffffff,
    fragment: content.subarray(4),
  };
}

/**
 * §6.9: an increment of 0 is a PROTOCOL_ERROR, of the stream it names or, on stream 0, of
 * the connection. The reserved bit is ignored.
 */
function parseWindowUpdate(h: FrameHeader, payload: Uint8Array): Frame | StreamError | ConnectionError {
  const increment = u32(payload, 0) & 0x7fffffff;
  if (increment === 0) {
    return h.streamId === 0
      ? connectionError("PROTOCOL_ERROR", "WINDOW_UPDATE of 0 on the connection")
      : streamError("PROTOCOL_ERROR", h.streamId, `WINDOW_UPDATE of 0 on stream ${h.streamId}`);
  }
  return { type: "WINDOW_UPDATE", streamId: h.streamId, flags: h.flags, increment };
}

/**
 * The payload between the Pad Length byte (when PADDED) and the padding, its first `fixed`
 * bytes included; null when the padding is longer than what follows the fixed fields (§6.1,
 * §6.2, §6.6). The header check made sure the Pad Length byte and fixed fields are there.
 */
function unpad(h: FrameHeader, payload: Uint8Array, fixed: number): Uint8Array | null {
  if ((h.flags & FLAG.PADDED) === 0) return payload;
  const padLength = payload[0]!;
  if (padLength > payload.length - 1 - fixed) return null;
  return payload.subarray(1, payload.length - padLength);
}

/** §6.1, §6.2, §6.6: padding as long as the payload or longer is a connection PROTOCOL_ERROR. */
function tooMuchPadding(h: FrameHeader): ConnectionError {
  return connectionError("PROTOCOL_ERROR", `padding longer than the payload of a frame of type ${h.type}`);
}

/** §6.3: E (1 bit), Stream Dependency (31 bits), Weight (8 bits, one less than the weight). */
function readPriority(b: Uint8Array, at: number): Priority {
  const word = u32(b, at);
  return { exclusive: word >= 0x80000000, dependency: word & 0x7fffffff, weight: b[at + 4]! + 1 };
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
