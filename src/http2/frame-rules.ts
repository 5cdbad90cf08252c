import { type ConnectionError, connectionError, type StreamError, streamError } from "./error.ts";
import { FLAG, FRAME_TYPE, FRAME_TYPE_NAMES, type FrameHeader } from "./frame.ts";

/**
 * What a frame's header alone decides: read the payload and parse it, skip it (an unknown
 * type, §5.5; or a stream error, handed on and the frame's bytes discarded), or fail the
 * connection before any of its payload is read.
 */
export type HeaderVerdict =
  | { readonly kind: "read" }
  | { readonly kind: "skip" }
  | StreamError
  | ConnectionError;

const READ = { kind: "read" } as const;
const SKIP = { kind: "skip" } as const;

/**
 * The rules a frame header can be checked against, in order: the field block's sequence
 * (§6.10), the size limit (§4.2), the stream identifier (§6), each type's fixed or least size
 * (§6). `continuing` is the stream whose field block is open (0: none).
 */
export function checkHeader(h: FrameHeader, maxFrameSize: number, continuing: number): HeaderVerdict {
  return checkSequence(h, continuing) ?? checkLength(h, maxFrameSize) ?? checkStreamId(h) ?? checkSize(h) ??
    (h.type < FRAME_TYPE_NAMES.length ? READ : SKIP);
}

/**
 * §6.10: a field block without END_HEADERS continues with CONTINUATION frames on the same
 * stream and nothing else between; a CONTINUATION without one open is out of place (§6.10),
 * and so is any other frame inside one, an unknown type included (§5.5). All PROTOCOL_ERROR.
 */
function checkSequence(h: FrameHeader, continuing: number): ConnectionError | null {
  const isContinuation = h.type === FRAME_TYPE.CONTINUATION;
  if (continuing === 0) {
    return isContinuation ? connectionError("PROTOCOL_ERROR", "CONTINUATION without a field block to continue") : null;
  }
  if (!isContinuation) {
    return connectionError("PROTOCOL_ERROR", `frame type ${h.type} inside the field block of stream ${continuing}`);
  }
  return h.streamId === continuing ? null : connectionError(
    "PROTOCOL_ERROR",
    `CONTINUATION on stream ${h.streamId} inside stream ${continuing}'s field block`,
  );
}

/**
 * §4.2: a frame longer than SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR. Always a connection
 * error here, though a DATA frame's could be a stream's: its bytes are then never read.
 */
function checkLength(h: FrameHeader, maxFrameSize: number): ConnectionError | null {
  return h.length <= maxFrameSize
    ? null
    : connectionError("FRAME_SIZE_ERROR", `frame of ${h.length} bytes over SETTINGS_MAX_FRAME_SIZE ${maxFrameSize}`);
}

/** Which stream identifiers each known type takes: a stream (not 0), the connection (0), or either. */
const STREAM_ID_RULE: readonly ("stream" | "connection" | "either")[] = [
  "stream", // DATA §6.1
  "stream", // HEADERS §6.2
  "stream", // PRIORITY §6.3
  "stream", // RST_STREAM §6.4
  "connection", // SETTINGS §6.5
  "stream", // PUSH_PROMISE §6.6
  "connection", // PING §6.7
  "connection", // GOAWAY §6.8
  "either", // WINDOW_UPDATE §6.9
  "stream", // CONTINUATION §6.10
];

/** §6.1-§6.10: a frame on the wrong kind of identifier is a connection PROTOCOL_ERROR. */
function checkStreamId(h: FrameHeader): ConnectionError | null {
  const rule = STREAM_ID_RULE[h.type];
  const name = FRAME_TYPE_NAMES[h.type];
  if (rule === "stream" && h.streamId === 0) return connectionError("PROTOCOL_ERROR", `${name} on stream 0`);
  if (rule === "connection" && h.streamId !== 0) {
    return connectionError("PROTOCOL_ERROR", `${name} on stream ${h.streamId}, not 0`);
  }
  return null;
}

/**
 * §4.2, §6: a payload too short for its mandatory fields, or not the fixed size, is a
 * FRAME_SIZE_ERROR: of the connection when the frame carries a field block, is SETTINGS or is
 * on stream 0, or where §6 says so; of the stream for DATA (§4.2 lets it) and PRIORITY (§6.3).
 */
function checkSize(h: FrameHeader): StreamError | ConnectionError | null {
  const padded = (h.flags & FLAG.PADDED) !== 0 ? 1 : 0;
  switch (h.type) {
    case FRAME_TYPE.DATA:
      return h.length >= padded
        ? null
        : streamError("FRAME_SIZE_ERROR", h.streamId, "padded DATA without a Pad Length");
    case FRAME_TYPE.HEADERS:
      return least(h, padded + ((h.flags & FLAG.PRIORITY) !== 0 ? 5 : 0));
    case FRAME_TYPE.PRIORITY:
      return h.length === 5
        ? null
        : streamError("FRAME_SIZE_ERROR", h.streamId, `PRIORITY of ${h.length} bytes, not 5`);
    case FRAME_TYPE.RST_STREAM:
      return exactly(h, 4);
    case FRAME_TYPE.SETTINGS:
      return checkSettingsSize(h);
    case FRAME_TYPE.PUSH_PROMISE:
      return least(h, padded + 4);
    case FRAME_TYPE.PING:
      return exactly(h, 8);
    case FRAME_TYPE.GOAWAY:
      return least(h, 8);
    case FRAME_TYPE.WINDOW_UPDATE:
      return exactly(h, 4);
    default:
      return null;
  }
}

/** §6.5: SETTINGS carries whole 6-byte pairs, and nothing with ACK; both connection errors. */
function checkSettingsSize(h: FrameHeader): ConnectionError | null {
  if ((h.flags & FLAG.ACK) !== 0 && h.length !== 0) {
    return connectionError("FRAME_SIZE_ERROR", `SETTINGS ACK with a payload of ${h.length} bytes`);
  }
  return h.length % 6 === 0
    ? null
    : connectionError("FRAME_SIZE_ERROR", `SETTINGS of ${h.length} bytes, not a multiple of 6`);
}

function exactly(h: FrameHeader, size: number): ConnectionError | null {
  return h.length === size
    ? null
    : connectionError("FRAME_SIZE_ERROR", `${FRAME_TYPE_NAMES[h.type]} of ${h.length} bytes, not ${size}`);
}

function least(h: FrameHeader, size: number): ConnectionError | null {
  return h.length >= size
    ? null
    : connectionError("FRAME_SIZE_ERROR", `${FRAME_TYPE_NAMES[h.type]} of ${h.length} bytes, under ${size}`);
}
