import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FLAG, type Frame, FRAME_TYPE } from "../../../src/http2/frame.ts";
import {
  encodeContinuation,
  encodeData,
  encodeDataHeader,
  encodeGoaway,
  encodeHeaders,
  encodePing,
  encodePushPromise,
  encodeRstStream,
  encodeSettings,
  encodeSettingsAck,
  encodeWindowUpdate,
} from "../../../src/http2/frame-writer.ts";
import { HeaderBlockAssembler } from "../../../src/http2/header-block.ts";
import { encodeFrameValue, frameArb } from "./frame-arbitraries.ts";
import { concat, readPieces } from "./reading.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("frame writer: the bytes of RFC 9113 §4.1 and §6", () => {
  it.each([
    ["SETTINGS ACK", encodeSettingsAck(), "000000040100000000"],
    [
      "SETTINGS",
      encodeSettings([{ id: 3, value: 100 }, { id: 4, value: 0x7fffffff }]),
      "00000c040000000000" + "000300000064" + "00047fffffff",
    ],
    ["PING ACK", encodePing(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), true), "000008060100000000" + "0102030405060708"],
    [
      "GOAWAY",
      encodeGoaway(5, "PROTOCOL_ERROR", Uint8Array.of(0x68)),
      "000009070000000000" + "00000005" + "00000001" + "68",
    ],
    ["RST_STREAM", encodeRstStream(3, "CANCEL"), "000004030000000003" + "00000008"],
    ["WINDOW_UPDATE", encodeWindowUpdate(0, 65535), "000004080000000000" + "0000ffff"],
    ["DATA with END_STREAM", encodeData(1, Uint8Array.of(0xab), true), "000001000100000001" + "ab"],
    ["CONTINUATION", encodeContinuation(7, Uint8Array.of(0x82), true), "000001090400000007" + "82"],
    [
      "HEADERS",
      encodeHeaders(1, Uint8Array.of(0x82, 0x86), { endStream: true, maxFrameSize: 16384 }),
      "000002010500000001" + "8286",
    ],
    [
      "HEADERS with priority",
      encodeHeaders(3, Uint8Array.of(0x82), {
        endStream: false,
        maxFrameSize: 16384,
        priority: { exclusive: true, dependency: 1, weight: 16 },
      }),
      "000006012400000003" + "800000010f" + "82",
    ],
    ["PUSH_PROMISE", encodePushPromise(1, 2, Uint8Array.of(0x82), 16384), "000005050400000001" + "00000002" + "82"],
  ])("writes %s", (_name, bytes, expected) => {
    expect(hex(bytes)).toBe(expected);
  });

  it("writes a DATA header apart from its payload, the same bytes as the whole frame", () => {
    const payload = new Uint8Array(1000).fill(3);
    expect(concat([encodeDataHeader(9, payload.length, false), payload])).toEqual(encodeData(9, payload, false));
    expect(encodeDataHeader(9, 16384, true)).toHaveLength(9);
  });

  it("round-trips every frame type through the reader", () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        expect(readPieces([encodeFrameValue(frame)], 16384)).toEqual({ events: [frame], error: null });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("frame writer: a field block cut to the peer's frame size (§4.3, §6.10)", () => {
  const blockArb = fc.record({
    block: fc.integer({ min: 0, max: 70000 }).map((n) => Uint8Array.from({ length: n }, (_, i) => i * 7)),
    maxFrameSize: fc.constantFrom(16384, 16385, 20000),
    endStream: fc.boolean(),
    streamId: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  });

  it("writes HEADERS then CONTINUATION frames no larger than the frame size, END_HEADERS on the last", () => {
    fc.assert(
      fc.property(blockArb, ({ block, maxFrameSize, endStream, streamId }) => {
        const read = readPieces([encodeHeaders(streamId, block, { endStream, maxFrameSize })], maxFrameSize);
        expect(read.error).toBeNull();
        const frames = read.events as Frame[];
        expect(frames.map((f) => f.type)).toEqual([
          "HEADERS",
          ...Array(Math.max(0, Math.ceil(block.length / maxFrameSize) - 1)).fill("CONTINUATION"),
        ]);
        expect(frames.map((f) => "endHeaders" in f && f.endHeaders)).toEqual(
          frames.map((_, i) => i === frames.length - 1),
        );
        expect(frames.every((f) => f.streamId === streamId)).toBe(true);
        expect(frames[0]!.flags & FLAG.END_STREAM).toBe(endStream ? FLAG.END_STREAM : 0);
        const assembler = new HeaderBlockAssembler({ maxContinuations: 8, maxBytes: 1 << 20 });
        const outcomes = frames.map((f) => assembler.take(f as Parameters<HeaderBlockAssembler["take"]>[0]));
        const last = outcomes.at(-1)!;
        // Compared as Buffers: toEqual goes element by element, slow over 70000 bytes.
        expect(last.kind === "header-block" && Buffer.from(last.block).equals(block)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it("leaves room for the priority fields in the first frame", () => {
    const block = new Uint8Array(16384);
    const bytes = encodeHeaders(1, block, {
      endStream: false,
      maxFrameSize: 16384,
      priority: { exclusive: false, dependency: 0, weight: 16 },
    });
    const read = readPieces([bytes]);
    expect(read.error).toBeNull();
    expect(read.events.map((e) => "type" in e && [e.type, e.type === "CONTINUATION" ? e.fragment.length : 0])).toEqual([
      ["HEADERS", 0],
      ["CONTINUATION", 5],
    ]);
    expect(bytes[3]).toBe(FRAME_TYPE.HEADERS);
  });
});
