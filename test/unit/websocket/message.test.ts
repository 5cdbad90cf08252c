import { describe, expect, it } from "vitest";
import { clientFrame, closeBody } from "../../support/websocket-frames.ts";
import { readPieces } from "./reading.ts";

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe("MessageAssembler (RFC 6455 §5.4, §5.5, §8.1)", () => {
  it("joins fragments, answering control frames between them", () => {
    const read = readPieces([
      clientFrame(0x1, "Hel", { fin: false }),
      clientFrame(0x9, "ping!"),
      clientFrame(0x0, "lo ", { fin: false }),
      clientFrame(0xa, "pong"),
      clientFrame(0x0, "world"),
    ]);
    expect(read.failure).toBeNull();
    expect(read.incoming.map((m) => m.kind)).toEqual(["ping", "pong", "text"]);
    expect(read.incoming[2]).toEqual({ kind: "text", text: "Hello world", bytes: 11 });
  });

  it("refuses a continuation with nothing to continue, and a new message inside one (1002)", () => {
    expect(readPieces([clientFrame(0x0, "x")]).failure?.code).toBe(1002);
    expect(readPieces([clientFrame(0x1, "a", { fin: false }), clientFrame(0x2, "b")]).failure?.code).toBe(1002);
  });

  it("checks UTF-8 across fragments, failing at the bad byte (1007)", () => {
    // € split over two fragments is fine.
    const ok = readPieces([clientFrame(0x1, bytes(0xe2, 0x82), { fin: false }), clientFrame(0x0, bytes(0xac))]);
    expect(ok.incoming).toEqual([{ kind: "text", text: "€", bytes: 3 }]);
    // The second fragment's first byte cannot continue the sequence: failed before the message ends.
    const bad = readPieces([
      clientFrame(0x1, bytes(0xe2, 0x82), { fin: false }),
      clientFrame(0x0, bytes(0x41), { fin: false }),
    ]);
    expect(bad.failure?.code).toBe(1007);
    // A message that ends inside a sequence.
    expect(readPieces([clientFrame(0x1, bytes(0xe2, 0x82))]).failure?.code).toBe(1007);
    // Binary is not checked.
    expect(readPieces([clientFrame(0x2, bytes(0xff))]).failure).toBeNull();
  });

  it("refuses a message over maxPayloadLength in total (1009), frames each under it", () => {
    const read = readPieces([
      clientFrame(0x2, new Uint8Array(60), { fin: false }),
      clientFrame(0x0, new Uint8Array(60)),
    ], 100);
    expect(read.failure?.code).toBe(1009);
  });

  it("reads close frames: code and reason, none, or refused", () => {
    expect(readPieces([clientFrame(0x8, closeBody(1000, "bye"))]).incoming).toEqual([
      { kind: "close", code: 1000, reason: "bye" },
    ]);
    expect(readPieces([clientFrame(0x8, "")]).incoming).toEqual([{ kind: "close", code: null, reason: "" }]);
    expect(readPieces([clientFrame(0x8, bytes(0x03))]).failure?.code).toBe(1002);
    for (const code of [0, 999, 1004, 1005, 1006, 1012, 1015, 1016, 2999, 5000, 65535]) {
      expect(readPieces([clientFrame(0x8, closeBody(code))]).failure?.code).toBe(1002);
    }
    for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999]) {
      expect(readPieces([clientFrame(0x8, closeBody(code))]).failure).toBeNull();
    }
    const badReason = new Uint8Array([
      0x03,
      0xe8,
      0xce,
      0xba,
      0xe1,
      0xbd,
      0xb9,
      0xcf,
      0x83,
      0xce,
      0xbc,
      0xce,
      0xb5,
      0xed,
      0xa0,
      0x80,
    ]);
    expect(readPieces([clientFrame(0x8, badReason)]).failure?.code).toBe(1007);
  });

  it("stops reading after a close (what follows is not read)", () => {
    const read = readPieces([concat2(clientFrame(0x8, closeBody(1000)), clientFrame(0x1, "late"))]);
    expect(read.incoming).toEqual([{ kind: "close", code: 1000, reason: "" }]);
  });
});

function concat2(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
