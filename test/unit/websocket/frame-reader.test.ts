import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameReader } from "../../../src/websocket/frame-reader.ts";
import { clientFrame } from "../../support/websocket-frames.ts";
import { concat, readPieces, splitAt } from "./reading.ts";

const failureOf = (bytes: Uint8Array, max = 1024) => readPieces([bytes], max).failure;

describe("FrameReader rules (RFC 6455 §5)", () => {
  it("reads a masked text frame, unmasked", () => {
    const read = readPieces([clientFrame(0x1, "Hello")]);
    expect(read).toEqual({ incoming: [{ kind: "text", text: "Hello", bytes: 5 }], failure: null });
  });

  it("refuses an unmasked client frame with 1002 (§5.1)", () => {
    expect(failureOf(clientFrame(0x1, "Hello", { masked: false }))?.code).toBe(1002);
  });

  it.each([1, 2, 4, 7])("refuses RSV bits %i without an extension (§5.2)", (rsv) => {
    expect(failureOf(clientFrame(0x1, "x", { rsv }))?.code).toBe(1002);
  });

  it.each([0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf])("refuses reserved opcode %i (§5.2)", (opcode) => {
    expect(failureOf(clientFrame(opcode, ""))?.code).toBe(1002);
  });

  it("refuses a control frame over 125 bytes and a fragmented one (§5.5)", () => {
    expect(failureOf(clientFrame(0x9, new Uint8Array(126)))?.code).toBe(1002);
    expect(failureOf(clientFrame(0x9, "x", { fin: false }))?.code).toBe(1002);
  });

  it("refuses a 64-bit length whose most significant bit is set", () => {
    const frame = clientFrame(0x2, "", { announcedLength: 70000 });
    frame[2] = 0x80;
    expect(failureOf(frame)?.code).toBe(1002);
  });

  it("refuses a frame over maxPayloadLength with 1009 before reading its payload", () => {
    const events: string[] = [];
    const reader = new FrameReader(100, (e) => {
      events.push(e.kind);
      return null;
    });
    // Only the header: the payload never comes, and the refusal does not wait for it.
    const header = clientFrame(0x2, "", { announcedLength: 101 });
    expect(reader.feed(header)?.code).toBe(1009);
    expect(events).toEqual([]);
    expect(failureOf(clientFrame(0x2, new Uint8Array(100)), 100)).toBeNull();
  });

  it("reads the 16- and 64-bit length forms", () => {
    for (const size of [125, 126, 65535, 65536, 70000]) {
      const read = readPieces([clientFrame(0x2, new Uint8Array(size).fill(7))], 1 << 20);
      expect(read.failure).toBeNull();
      const message = read.incoming[0]!;
      expect(message.kind === "binary" && message.data.length).toBe(size);
    }
  });

  it("hands payload on as it comes, keeping no more than a header", () => {
    const pieces: number[] = [];
    const reader = new FrameReader(1 << 20, (e) => {
      if (e.kind === "data") pieces.push(e.bytes.length);
      return null;
    });
    const frame = clientFrame(0x2, new Uint8Array(3000));
    for (let at = 0; at < frame.length; at += 1000) reader.feed(frame.subarray(at, at + 1000));
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(pieces.length).toBeGreaterThan(1);
  });
});

/** A frame sequence a client may send, valid or not. */
const frameArb = fc.oneof(
  fc.record({ opcode: fc.constantFrom(0x1, 0x2, 0x0), fin: fc.boolean(), data: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ opcode: fc.constantFrom(0x9, 0xa), fin: fc.constant(true), data: fc.uint8Array({ maxLength: 125 }) }),
  fc.record({
    opcode: fc.constant(0x1),
    fin: fc.boolean(),
    data: fc.string({ maxLength: 40 }).map((s) => new TextEncoder().encode(s)),
  }),
  fc.record({ opcode: fc.integer({ min: 0, max: 15 }), fin: fc.boolean(), data: fc.uint8Array({ maxLength: 20 }) }),
);

describe("FrameReader and MessageAssembler, split anywhere", () => {
  it("give the same messages and the same failure however the input is cut", () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 512 }),
        (frames, cuts, max) => {
          const bytes = concat(frames.map((f) => clientFrame(f.opcode, f.data, { fin: f.fin })));
          const whole = readPieces([bytes], max);
          expect(readPieces(splitAt(bytes, cuts), max)).toEqual(whole);
          // Byte by byte too.
          const bytewise = [...bytes].map((b) => new Uint8Array([b]));
          expect(readPieces(bytewise, max)).toEqual(whole);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        expect(readPieces(splitAt(bytes, cuts), 256)).toEqual(readPieces([bytes], 256));
      }),
      { numRuns: 1000 },
    );
  });
});
