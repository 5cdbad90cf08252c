import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FLAG, FRAME_TYPE } from "../../../src/http2/frame.ts";
import { encodeHeaders } from "../../../src/http2/frame-writer.ts";
import { encodeFrameValue, frameArb } from "./frame-arbitraries.ts";
import { bytewise, concat, rawFrame, readPieces, splitAt, u32 } from "./reading.ts";

const T = FRAME_TYPE;

/** One input with a frame of every type, padding, a field block over three frames, unknown types and stream errors. */
const EVERY_KIND = concat([
  rawFrame(T.SETTINGS, 0, 0, [0, 3, ...u32(100), 0, 4, ...u32(1 << 20)]),
  rawFrame(T.SETTINGS, FLAG.ACK, 0),
  rawFrame(T.WINDOW_UPDATE, 0, 0, u32(1 << 24)),
  rawFrame(T.HEADERS, FLAG.PADDED | FLAG.PRIORITY, 1, [2, ...u32(0), 15, 0x82, 0x86, 0, 0]),
  rawFrame(T.CONTINUATION, 0, 1, [0x84]),
  rawFrame(T.CONTINUATION, FLAG.END_HEADERS, 1, [0x41, 0x01, 0x61]),
  rawFrame(T.DATA, FLAG.PADDED, 1, [3, 1, 2, 3, 4, 0, 0, 0]),
  rawFrame(0x0b, 0, 1, new Uint8Array(40)),
  rawFrame(T.DATA, FLAG.END_STREAM, 1, new Uint8Array(300).fill(9)),
  rawFrame(T.PRIORITY, 0, 3, [...u32(1), 255]),
  rawFrame(T.PRIORITY, 0, 5, [0, 0, 0, 1]),
  rawFrame(T.RST_STREAM, 0, 3, u32(8)),
  rawFrame(T.WINDOW_UPDATE, 0, 1, u32(0)),
  rawFrame(T.PUSH_PROMISE, FLAG.END_HEADERS, 1, [...u32(2), 0x82]),
  rawFrame(T.PING, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
  rawFrame(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 3, []),
  rawFrame(T.GOAWAY, 0, 0, [...u32(3), ...u32(0), 0x62, 0x79, 0x65]),
]);

describe("FrameReader: the same frames however the input is cut", () => {
  const whole = readPieces([EVERY_KIND]);

  it("reads the input of every kind whole, as expected", () => {
    expect(whole.error).toBeNull();
    expect(whole.events.map((e) => ("type" in e ? e.type : `${e.kind} ${e.streamId}`))).toEqual([
      "SETTINGS",
      "SETTINGS",
      "WINDOW_UPDATE",
      "HEADERS",
      "CONTINUATION",
      "CONTINUATION",
      "DATA",
      "DATA",
      "PRIORITY",
      "stream-error 5",
      "RST_STREAM",
      "stream-error 1",
      "PUSH_PROMISE",
      "PING",
      "HEADERS",
      "GOAWAY",
    ]);
  });

  it("reads it byte by byte", () => {
    expect(readPieces(bytewise(EVERY_KIND))).toEqual(whole);
  });

  it("reads it cut in two at every byte", () => {
    for (let at = 0; at <= EVERY_KIND.length; at++) {
      expect(readPieces(splitAt(EVERY_KIND, [at]))).toEqual(whole);
    }
  });

  it("reads it cut anywhere, any number of times", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        expect(readPieces(splitAt(EVERY_KIND, cuts))).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it("reads random frame sequences the same whole, cut and byte by byte, failures included", () => {
    const junk = fc
      .record({
        type: fc.integer({ min: 0, max: 12 }),
        flags: fc.integer({ min: 0, max: 255 }),
        streamId: fc.integer({ min: 0, max: 3 }),
        payload: fc.uint8Array({ maxLength: 20 }),
      })
      .map(({ type, flags, streamId, payload }) => rawFrame(type, flags, streamId, payload));
    const block = fc
      .record({ streamId: fc.integer({ min: 1, max: 9 }), block: fc.uint8Array({ maxLength: 40000 }) })
      .map(({ streamId, block }) => encodeHeaders(streamId, block, { endStream: false, maxFrameSize: 16384 }));
    const piece = fc.oneof({ arbitrary: frameArb.map(encodeFrameValue), weight: 4 }, junk, block);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const input = concat(frames);
        const once = readPieces([input]);
        expect(readPieces(splitAt(input, cuts))).toEqual(once);
        if (input.length < 2000) expect(readPieces(bytewise(input))).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary bytes, and cuts change nothing", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        expect(readPieces(splitAt(bytes, cuts))).toEqual(readPieces([bytes]));
      }),
      { numRuns: 1000 },
    );
  });
});
