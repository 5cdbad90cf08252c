import { describe, expect, it } from "vitest";
import { FrameReader } from "../../../src/http2/frame-reader.ts";
import { FLAG, type Frame, FRAME_TYPE } from "../../../src/http2/frame.ts";
import { SETTING } from "../../../src/http2/settings.ts";
import { concat, OPEN_BLOCK, rawFrame, readPieces, setting, u32 } from "./reading.ts";

const T = FRAME_TYPE;
const bytes = (...b: number[]) => Uint8Array.from(b);
const EMPTY = new Uint8Array(0);

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
