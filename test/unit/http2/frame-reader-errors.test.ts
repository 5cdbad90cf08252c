import { describe, expect, it } from "vitest";
import { FrameReader } from "../../../src/http2/frame-reader.ts";
import { FLAG, FRAME_TYPE } from "../../../src/http2/frame.ts";
import { SETTING } from "../../../src/http2/settings.ts";
import { concat, OPEN_BLOCK, rawFrame, readPieces, setting, u32 } from "./reading.ts";

const T = FRAME_TYPE;

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
