import { describe, expect, it } from "vitest";
import { FrameReader } from "../../../src/http2/frame-reader.ts";
import { FLAG, type Frame, FRAME_TYPE } from "../../../src/http2/frame.ts";
import { SETTING } from "../../../src/http2/settings.ts";
import { concat, rawFrame, readPieces, u32 } from "./reading.ts";

const T = FRAME_TYPE;
const bytes = (...b: number[]) => Uint8Array.from(b);
const EMPTY = new Uint8Array(0);
/** An open field block on stream 1 (HEADERS without END_HEADERS), for CONTINUATION cases. */
const OPEN_BLOCK = rawFrame(T.HEADERS, 0, 1, [0x82]);
const setting = (id: number, value: number) => [id >> 8, id & 0xff, ...u32(value)];

/** Valid frames of every type and flag combination, each read alone (or after what it needs first). */
const VALID: readonly { name: string; input: Uint8Array; frame: Frame }[] = [
  {
    name: "DATA",
    input: rawFrame(T.DATA, 0, 1, [1, 2, 3]),
    frame: { type: "DATA", streamId: 1, flags: 0, endStream: false, data: bytes(1, 2, 3), flowControlledLength: 3 },
  },
  {
    name: "DATA with END_STREAM, empty",
    input: rawFrame(T.DATA, FLAG.END_STREAM, 3, []),
    frame: { type: "DATA", streamId: 3, flags: 1, endStream: true, data: EMPTY, flowControlledLength: 0 },
  },
  {
    name: "DATA padded: padding removed, counted for flow control",
    input: rawFrame(T.DATA, FLAG.PADDED, 1, [2, 7, 8, 0, 0]),
    frame: { type: "DATA", streamId: 1, flags: 8, endStream: false, data: bytes(7, 8), flowControlledLength: 5 },
  },
  {
    name: "DATA padded with a Pad Length of 0",
    input: rawFrame(T.DATA, FLAG.PADDED, 1, [0, 7]),
    frame: { type: "DATA", streamId: 1, flags: 8, endStream: false, data: bytes(7), flowControlledLength: 2 },
  },
  {
    name: "DATA padded to the full payload (no data)",
    input: rawFrame(T.DATA, FLAG.PADDED, 1, [3, 0, 0, 0]),
    frame: { type: "DATA", streamId: 1, flags: 8, endStream: false, data: EMPTY, flowControlledLength: 4 },
  },
  {
    name: "HEADERS with END_HEADERS and END_STREAM",
    input: rawFrame(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, [0x82, 0x86]),
    frame: {
      type: "HEADERS",
      streamId: 1,
      flags: 5,
      endStream: true,
      endHeaders: true,
      priority: null,
      fragment: bytes(0x82, 0x86),
    },
  },
  {
    name: "HEADERS padded",
    input: rawFrame(T.HEADERS, FLAG.END_HEADERS | FLAG.PADDED, 1, [1, 0x82, 0]),
    frame: {
      type: "HEADERS",
      streamId: 1,
      flags: 12,
      endStream: false,
      endHeaders: true,
      priority: null,
      fragment: bytes(0x82),
    },
  },
  {
    name: "HEADERS with priority, exclusive, weight 256",
    input: rawFrame(T.HEADERS, FLAG.END_HEADERS | FLAG.PRIORITY, 5, [...u32(0x80000003), 255, 0x82]),
    frame: {
      type: "HEADERS",
      streamId: 5,
      flags: 0x24,
      endStream: false,
      endHeaders: true,
      priority: { exclusive: true, dependency: 3, weight: 256 },
      fragment: bytes(0x82),
    },
  },
  {
    name: "HEADERS padded with priority, padding up to the fields",
    input: rawFrame(T.HEADERS, FLAG.END_HEADERS | FLAG.PRIORITY | FLAG.PADDED, 5, [2, ...u32(0), 15, 0, 0]),
    frame: {
      type: "HEADERS",
      streamId: 5,
      flags: 0x2c,
      endStream: false,
      endHeaders: true,
      priority: { exclusive: false, dependency: 0, weight: 16 },
      fragment: EMPTY,
    },
  },
  {
    name: "PRIORITY",
    input: rawFrame(T.PRIORITY, 0, 3, [...u32(1), 0]),
    frame: { type: "PRIORITY", streamId: 3, flags: 0, priority: { exclusive: false, dependency: 1, weight: 1 } },
  },
  {
    name: "RST_STREAM with a code not known (§7)",
    input: rawFrame(T.RST_STREAM, 0, 1, u32(0xdeadbeef)),
    frame: { type: "RST_STREAM", streamId: 1, flags: 0, errorCode: 0xdeadbeef },
  },
  {
    name: "SETTINGS in order, an unknown identifier kept",
    input: rawFrame(T.SETTINGS, 0, 0, [
      ...setting(SETTING.MAX_CONCURRENT_STREAMS, 100),
      ...setting(0xff00, 0xffffffff),
      ...setting(SETTING.MAX_CONCURRENT_STREAMS, 0),
    ]),
    frame: {
      type: "SETTINGS",
      streamId: 0,
      flags: 0,
      ack: false,
      settings: [{ id: 3, value: 100 }, { id: 0xff00, value: 0xffffffff }, { id: 3, value: 0 }],
    },
  },
  {
    name: "SETTINGS at the edges of each range",
    input: rawFrame(T.SETTINGS, 0, 0, [
      ...setting(SETTING.ENABLE_PUSH, 0),
      ...setting(SETTING.ENABLE_PUSH, 1),
      ...setting(SETTING.INITIAL_WINDOW_SIZE, 2 ** 31 - 1),
      ...setting(SETTING.MAX_FRAME_SIZE, 16384),
      ...setting(SETTING.MAX_FRAME_SIZE, 16777215),
      ...setting(SETTING.HEADER_TABLE_SIZE, 0xffffffff),
    ]),
    frame: {
      type: "SETTINGS",
      streamId: 0,
      flags: 0,
      ack: false,
      settings: [
        { id: 2, value: 0 },
        { id: 2, value: 1 },
        { id: 4, value: 2 ** 31 - 1 },
        { id: 5, value: 16384 },
        { id: 5, value: 16777215 },
        { id: 1, value: 0xffffffff },
      ],
    },
  },
  {
    name: "SETTINGS empty, and SETTINGS ACK",
    input: concat([rawFrame(T.SETTINGS, 0, 0), rawFrame(T.SETTINGS, FLAG.ACK, 0)]),
    frame: { type: "SETTINGS", streamId: 0, flags: 1, ack: true, settings: [] },
  },
  {
    name: "PUSH_PROMISE padded, the promised id's reserved bit ignored",
    input: rawFrame(T.PUSH_PROMISE, FLAG.END_HEADERS | FLAG.PADDED, 1, [1, ...u32(0x80000002), 0x82, 0]),
    frame: {
      type: "PUSH_PROMISE",
      streamId: 1,
      flags: 12,
      endHeaders: true,
      promisedStreamId: 2,
      fragment: bytes(0x82),
    },
  },
  {
    name: "PING",
    input: rawFrame(T.PING, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
    frame: { type: "PING", streamId: 0, flags: 0, ack: false, opaqueData: bytes(1, 2, 3, 4, 5, 6, 7, 8) },
  },
  {
    name: "PING ACK",
    input: rawFrame(T.PING, FLAG.ACK, 0, [8, 7, 6, 5, 4, 3, 2, 1]),
    frame: { type: "PING", streamId: 0, flags: 1, ack: true, opaqueData: bytes(8, 7, 6, 5, 4, 3, 2, 1) },
  },
  {
    name: "GOAWAY with debug data, the last stream id's reserved bit ignored",
    input: rawFrame(T.GOAWAY, 0, 0, [...u32(0x80000007), ...u32(0xb), 0x68, 0x69]),
    frame: { type: "GOAWAY", streamId: 0, flags: 0, lastStreamId: 7, errorCode: 11, debugData: bytes(0x68, 0x69) },
  },
  {
    name: "GOAWAY without debug data",
    input: rawFrame(T.GOAWAY, 0, 0, [...u32(0), ...u32(0)]),
    frame: { type: "GOAWAY", streamId: 0, flags: 0, lastStreamId: 0, errorCode: 0, debugData: EMPTY },
  },
  {
    name: "WINDOW_UPDATE on the connection, the reserved bit ignored",
    input: rawFrame(T.WINDOW_UPDATE, 0, 0, u32(0x80000000 + 2 ** 31 - 1)),
    frame: { type: "WINDOW_UPDATE", streamId: 0, flags: 0, increment: 2 ** 31 - 1 },
  },
  {
    name: "WINDOW_UPDATE on a stream",
    input: rawFrame(T.WINDOW_UPDATE, 0, 9, u32(1)),
    frame: { type: "WINDOW_UPDATE", streamId: 9, flags: 0, increment: 1 },
  },
  {
    name: "CONTINUATION ending a field block",
    input: concat([OPEN_BLOCK, rawFrame(T.CONTINUATION, FLAG.END_HEADERS, 1, [0x86])]),
    frame: { type: "CONTINUATION", streamId: 1, flags: 4, endHeaders: true, fragment: bytes(0x86) },
  },
  {
    name: "the stream identifier's reserved bit ignored (§4.1)",
    input: rawFrame(T.RST_STREAM, 0, 5, u32(8), { reserved: true }),
    frame: { type: "RST_STREAM", streamId: 5, flags: 0, errorCode: 8 },
  },
  {
    name: "flags a type does not define kept as received and ignored (§4.1)",
    input: rawFrame(T.DATA, 0xf6, 1, [9]),
    frame: { type: "DATA", streamId: 1, flags: 0xf6, endStream: false, data: bytes(9), flowControlledLength: 1 },
  },
];

describe("FrameReader: the frames of RFC 9113 §6", () => {
  it.each(VALID)("reads $name", ({ input, frame }) => {
    const read = readPieces([input]);
    expect(read.error).toBeNull();
    expect(read.events.at(-1)).toEqual(frame);
  });

  it("ignores frames of unknown types, on any stream, whatever their payload (§4.1, §5.5)", () => {
    const input = concat([
      rawFrame(0x0a, 0xff, 0, [1, 2, 3]),
      rawFrame(0xff, 0, 7, new Uint8Array(16384)),
      rawFrame(0x10, 0, 1, []),
      rawFrame(T.PING, 0, 0, new Uint8Array(8)),
    ]);
    const read = readPieces([input]);
    expect(read.error).toBeNull();
    expect(read.events.map((e) => "type" in e && e.type)).toEqual(["PING"]);
  });

  it("reads a field block: HEADERS, CONTINUATION, CONTINUATION, then other frames again", () => {
    const input = concat([
      OPEN_BLOCK,
      rawFrame(T.CONTINUATION, 0, 1, [1]),
      rawFrame(T.CONTINUATION, FLAG.END_HEADERS, 1, [2]),
      rawFrame(T.DATA, FLAG.END_STREAM, 1, [3]),
    ]);
    const read = readPieces([input]);
    expect(read.error).toBeNull();
    expect(read.events.map((e) => "type" in e && e.type)).toEqual(["HEADERS", "CONTINUATION", "CONTINUATION", "DATA"]);
  });
});

type Expected =
  | { kind: "connection-error"; code: string }
  | { kind: "stream-error"; code: string; streamId: number };
const conn = (code: string): Expected => ({ kind: "connection-error", code });
const stream = (code: string, streamId: number): Expected => ({ kind: "stream-error", code, streamId });

/** Every error the frame layer finds alone, with its RFC 9113 code and whether it is the connection's or a stream's. */
const INVALID: readonly { name: string; input: Uint8Array; error: Expected }[] = [
  // §4.2: over SETTINGS_MAX_FRAME_SIZE, any type.
  {
    name: "DATA over the max frame size",
    input: rawFrame(T.DATA, 0, 1, new Uint8Array(16385)),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "an unknown type over the max frame size",
    input: rawFrame(0x20, 0, 1, new Uint8Array(16385)),
    error: conn("FRAME_SIZE_ERROR"),
  },
  // Stream identifier 0 where a stream is needed, and not 0 where the connection is.
  { name: "DATA on stream 0 (§6.1)", input: rawFrame(T.DATA, 0, 0, [1]), error: conn("PROTOCOL_ERROR") },
  { name: "HEADERS on stream 0 (§6.2)", input: rawFrame(T.HEADERS, 4, 0, [0x82]), error: conn("PROTOCOL_ERROR") },
  {
    name: "PRIORITY on stream 0 (§6.3)",
    input: rawFrame(T.PRIORITY, 0, 0, [0, 0, 0, 1, 0]),
    error: conn("PROTOCOL_ERROR"),
  },
  { name: "RST_STREAM on stream 0 (§6.4)", input: rawFrame(T.RST_STREAM, 0, 0, u32(0)), error: conn("PROTOCOL_ERROR") },
  { name: "SETTINGS on stream 1 (§6.5)", input: rawFrame(T.SETTINGS, 0, 1), error: conn("PROTOCOL_ERROR") },
  {
    name: "PUSH_PROMISE on stream 0 (§6.6)",
    input: rawFrame(T.PUSH_PROMISE, 4, 0, u32(2)),
    error: conn("PROTOCOL_ERROR"),
  },
  { name: "PING on stream 1 (§6.7)", input: rawFrame(T.PING, 0, 1, new Uint8Array(8)), error: conn("PROTOCOL_ERROR") },
  {
    name: "GOAWAY on stream 1 (§6.8)",
    input: rawFrame(T.GOAWAY, 0, 1, new Uint8Array(8)),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "CONTINUATION on stream 0 (§6.10)",
    input: concat([OPEN_BLOCK, rawFrame(T.CONTINUATION, 4, 0, [])]),
    error: conn("PROTOCOL_ERROR"),
  },
  // Fixed and least sizes (§6): the connection's, but DATA's and PRIORITY's are the stream's.
  { name: "PING of 7 bytes (§6.7)", input: rawFrame(T.PING, 0, 0, new Uint8Array(7)), error: conn("FRAME_SIZE_ERROR") },
  { name: "PING of 9 bytes (§6.7)", input: rawFrame(T.PING, 0, 0, new Uint8Array(9)), error: conn("FRAME_SIZE_ERROR") },
  {
    name: "SETTINGS of 5 bytes (§6.5)",
    input: rawFrame(T.SETTINGS, 0, 0, new Uint8Array(5)),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "SETTINGS of 7 bytes (§6.5)",
    input: rawFrame(T.SETTINGS, 0, 0, new Uint8Array(7)),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "SETTINGS ACK with a payload (§6.5)",
    input: rawFrame(T.SETTINGS, FLAG.ACK, 0, new Uint8Array(6)),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "WINDOW_UPDATE of 3 bytes (§6.9)",
    input: rawFrame(T.WINDOW_UPDATE, 0, 0, [0, 0, 1]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "WINDOW_UPDATE of 5 bytes on a stream (§6.9)",
    input: rawFrame(T.WINDOW_UPDATE, 0, 1, [0, 0, 0, 1, 0]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "RST_STREAM of 3 bytes (§6.4)",
    input: rawFrame(T.RST_STREAM, 0, 1, [0, 0, 0]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "RST_STREAM of 5 bytes (§6.4)",
    input: rawFrame(T.RST_STREAM, 0, 1, [0, 0, 0, 0, 0]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "PRIORITY of 4 bytes (§6.3)",
    input: rawFrame(T.PRIORITY, 0, 3, [0, 0, 0, 1]),
    error: stream("FRAME_SIZE_ERROR", 3),
  },
  {
    name: "PRIORITY of 6 bytes (§6.3)",
    input: rawFrame(T.PRIORITY, 0, 3, [0, 0, 0, 1, 0, 0]),
    error: stream("FRAME_SIZE_ERROR", 3),
  },
  {
    name: "GOAWAY of 7 bytes (§6.8)",
    input: rawFrame(T.GOAWAY, 0, 0, new Uint8Array(7)),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "DATA padded without a Pad Length (§4.2)",
    input: rawFrame(T.DATA, FLAG.PADDED, 5, []),
    error: stream("FRAME_SIZE_ERROR", 5),
  },
  {
    name: "HEADERS padded without a Pad Length (§4.2)",
    input: rawFrame(T.HEADERS, FLAG.PADDED | 4, 1, []),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "HEADERS with PRIORITY and 4 bytes (§4.2)",
    input: rawFrame(T.HEADERS, FLAG.PRIORITY | 4, 1, [0, 0, 0, 0]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "HEADERS padded with PRIORITY and 5 bytes (§4.2)",
    input: rawFrame(T.HEADERS, FLAG.PRIORITY | FLAG.PADDED | 4, 1, [0, 0, 0, 0, 0]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "PUSH_PROMISE of 3 bytes (§4.2)",
    input: rawFrame(T.PUSH_PROMISE, 4, 1, [0, 0, 2]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  {
    name: "PUSH_PROMISE padded with 4 bytes (§4.2)",
    input: rawFrame(T.PUSH_PROMISE, FLAG.PADDED | 4, 1, [0, 0, 0, 2]),
    error: conn("FRAME_SIZE_ERROR"),
  },
  // Padding as long as what it pads, or longer (§6.1, §6.2, §6.6).
  {
    name: "DATA whose Pad Length is the payload's length (§6.1)",
    input: rawFrame(T.DATA, FLAG.PADDED, 1, [3, 0, 0]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "DATA whose Pad Length is 255 in a 1-byte payload (§6.1)",
    input: rawFrame(T.DATA, FLAG.PADDED, 1, [255]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "HEADERS whose padding runs into the priority fields (§6.2)",
    input: rawFrame(T.HEADERS, FLAG.PADDED | FLAG.PRIORITY | 4, 1, [1, 0, 0, 0, 0, 0]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "PUSH_PROMISE whose padding runs into the promised stream id (§6.6)",
    input: rawFrame(T.PUSH_PROMISE, FLAG.PADDED | 4, 1, [2, 0, 0, 0, 2]),
    error: conn("PROTOCOL_ERROR"),
  },
  // Values.
  {
    name: "WINDOW_UPDATE of 0 on a stream (§6.9)",
    input: rawFrame(T.WINDOW_UPDATE, 0, 7, u32(0)),
    error: stream("PROTOCOL_ERROR", 7),
  },
  {
    name: "WINDOW_UPDATE of 0 on the connection (§6.9)",
    input: rawFrame(T.WINDOW_UPDATE, 0, 0, u32(0)),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "WINDOW_UPDATE of 0 with the reserved bit set (§6.9)",
    input: rawFrame(T.WINDOW_UPDATE, 0, 0, u32(0x80000000)),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "PRIORITY of a stream on itself (RFC 7540 §5.3.1)",
    input: rawFrame(T.PRIORITY, 0, 3, [...u32(3), 0]),
    error: stream("PROTOCOL_ERROR", 3),
  },
  {
    name: "SETTINGS_ENABLE_PUSH 2 (§6.5.2)",
    input: rawFrame(T.SETTINGS, 0, 0, setting(SETTING.ENABLE_PUSH, 2)),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "SETTINGS_INITIAL_WINDOW_SIZE 2^31 (§6.5.2)",
    input: rawFrame(T.SETTINGS, 0, 0, setting(SETTING.INITIAL_WINDOW_SIZE, 2 ** 31)),
    error: conn("FLOW_CONTROL_ERROR"),
  },
  {
    name: "SETTINGS_MAX_FRAME_SIZE 16383 (§6.5.2)",
    input: rawFrame(T.SETTINGS, 0, 0, setting(SETTING.MAX_FRAME_SIZE, 16383)),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "SETTINGS_MAX_FRAME_SIZE 2^24 (§6.5.2)",
    input: rawFrame(T.SETTINGS, 0, 0, [
      ...setting(SETTING.HEADER_TABLE_SIZE, 0),
      ...setting(SETTING.MAX_FRAME_SIZE, 2 ** 24),
    ]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "SETTINGS_NO_RFC7540_PRIORITIES 2 (RFC 9218 §2.1)",
    input: rawFrame(T.SETTINGS, 0, 0, setting(SETTING.NO_RFC7540_PRIORITIES, 2)),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "SETTINGS_ENABLE_CONNECT_PROTOCOL 2 (RFC 8441 §3)",
    input: rawFrame(T.SETTINGS, 0, 0, setting(SETTING.ENABLE_CONNECT_PROTOCOL, 2)),
    error: conn("PROTOCOL_ERROR"),
  },
  // §6.10: a field block is HEADERS or PUSH_PROMISE, then CONTINUATION on its stream only.
  {
    name: "CONTINUATION with no field block open",
    input: rawFrame(T.CONTINUATION, 4, 1, [1]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "CONTINUATION after a block ended",
    input: concat([rawFrame(T.HEADERS, 4, 1, [0x82]), rawFrame(T.CONTINUATION, 4, 1, [1])]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "DATA inside a field block",
    input: concat([OPEN_BLOCK, rawFrame(T.DATA, 0, 1, [1])]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "PING inside a field block",
    input: concat([OPEN_BLOCK, rawFrame(T.PING, 0, 0, new Uint8Array(8))]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "an unknown type inside a field block (§5.5)",
    input: concat([OPEN_BLOCK, rawFrame(0x42, 0, 1, [])]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "CONTINUATION of another stream",
    input: concat([OPEN_BLOCK, rawFrame(T.CONTINUATION, 4, 3, [1])]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "HEADERS of another stream inside a field block",
    input: concat([OPEN_BLOCK, rawFrame(T.HEADERS, 4, 3, [0x82])]),
    error: conn("PROTOCOL_ERROR"),
  },
  {
    name: "a PUSH_PROMISE's block interrupted",
    input: concat([rawFrame(T.PUSH_PROMISE, 0, 1, u32(2)), rawFrame(T.DATA, 0, 1, [])]),
    error: conn("PROTOCOL_ERROR"),
  },
];

describe("FrameReader: errors, with their code and scope (§5.4.1, §5.4.2)", () => {
  it.each(INVALID)("refuses $name", ({ input, error }) => {
    const read = readPieces([input]);
    const found = read.error ?? read.events.find((e) => "kind" in e);
    expect(found).toMatchObject(error);
  });

  it("reads on after a stream error, and stops at a connection error", () => {
    const read = readPieces([
      concat([
        rawFrame(T.PRIORITY, 0, 3, [0, 0, 0, 1, 0, 0]),
        rawFrame(T.WINDOW_UPDATE, 0, 5, u32(0)),
        rawFrame(T.DATA, FLAG.PADDED, 7, []),
        rawFrame(T.PING, 0, 0, new Uint8Array(8)),
        rawFrame(T.PING, 0, 0, new Uint8Array(7)),
        rawFrame(T.PING, 0, 0, new Uint8Array(8)),
      ]),
    ]);
    expect(read.events.map((e) => "kind" in e ? `${e.kind} ${e.code} ${e.streamId}` : e.type)).toEqual([
      "stream-error FRAME_SIZE_ERROR 3",
      "stream-error PROTOCOL_ERROR 5",
      "stream-error FRAME_SIZE_ERROR 7",
      "PING",
    ]);
    expect(read.error?.code).toBe("FRAME_SIZE_ERROR");
  });

  it("refuses a frame over the max size from its header, before any payload", () => {
    const events: unknown[] = [];
    const reader = new FrameReader((e) => (events.push(e), null));
    expect(reader.feed(rawFrame(T.DATA, 0, 1, [], { length: 16385 }))?.code).toBe("FRAME_SIZE_ERROR");
    expect(reader.feed(new Uint8Array(16385))).toBeNull();
    expect(events).toEqual([]);
  });

  it("takes a larger max frame size once set, up to it and not past it", () => {
    const big = rawFrame(T.DATA, 0, 1, new Uint8Array(20000));
    expect(readPieces([big]).error?.code).toBe("FRAME_SIZE_ERROR");
    expect(readPieces([big], 20000).error).toBeNull();
    expect(readPieces([big], 19999).error?.code).toBe("FRAME_SIZE_ERROR");
    const events: unknown[] = [];
    const reader = new FrameReader((e) => (events.push(e), null));
    reader.setMaxFrameSize(20000);
    expect(reader.feed(big)).toBeNull();
    expect(events).toHaveLength(1);
  });

  it("stops reading when the sink says so, or when it returns a connection error", () => {
    const seen: string[] = [];
    const input = concat([rawFrame(T.PING, 0, 0, new Uint8Array(8)), rawFrame(T.PING, 1, 0, new Uint8Array(8))]);
    const stopping = new FrameReader((e) => (seen.push("type" in e ? e.type : e.kind), "stop"));
    expect(stopping.feed(input)).toBeNull();
    expect(stopping.feed(input)).toBeNull();
    expect(seen).toEqual(["PING"]);
    const refusing = new FrameReader(() => ({ kind: "connection-error", code: "PROTOCOL_ERROR", reason: "push" }));
    expect(refusing.feed(input)?.reason).toBe("push");
  });
});

describe("FrameReader: what it holds", () => {
  it("hands on a frame inside one piece as a view of that piece, uncopied", () => {
    const input = concat([rawFrame(T.DATA, 0, 1, [1, 2, 3]), rawFrame(T.DATA, 0, 1, [4, 5])]);
    const views: Uint8Array[] = [];
    new FrameReader((e) => {
      if ("type" in e && e.type === "DATA") views.push(e.data);
      return null;
    }).feed(input);
    expect(views.map((v) => v.buffer === input.buffer)).toEqual([true, true]);
    expect(views.map((v) => v.byteOffset)).toEqual([9, 21]);
  });

  it("gathers a frame that spans pieces into one allocation of its payload's size, no larger", () => {
    const frame = rawFrame(T.DATA, 0, 1, new Uint8Array(1000).fill(7));
    const seen: Uint8Array[] = [];
    const reader = new FrameReader((e) => {
      if ("type" in e && e.type === "DATA") seen.push(e.data);
      return null;
    });
    for (let at = 0; at < frame.length; at += 100) reader.feed(frame.subarray(at, at + 100));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.buffer.byteLength).toBe(1000);
    expect(seen[0]!.every((b) => b === 7)).toBe(true);
  });

  it("skips an unknown frame's payload as it comes, holding none of it", () => {
    const reader = new FrameReader(() => null);
    const held = () => (reader as unknown as { gathered: Uint8Array | null }).gathered;
    const frame = rawFrame(0x33, 0, 1, new Uint8Array(16384));
    for (let at = 0; at < frame.length; at += 1000) {
      reader.feed(frame.subarray(at, at + 1000));
      expect(held()).toBeNull();
    }
  });
});
