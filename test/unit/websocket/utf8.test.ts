import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUtf8, Utf8Validator } from "../../../src/websocket/utf8.ts";

const fatal = new TextDecoder("utf-8", { fatal: true });
const decodes = (bytes: Uint8Array): boolean => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const hex = (text: string): Uint8Array => new Uint8Array(text.split(" ").map((h) => parseInt(h, 16)));

describe("Utf8Validator", () => {
  it.each([
    ["ascii", "48 65 6c 6c 6f", true],
    ["2-byte", "c2 a9", true],
    ["3-byte", "e2 82 ac", true],
    ["4-byte", "f0 9f 98 80", true],
    ["largest code point", "f4 8f bf bf", true],
    ["overlong 2-byte", "c0 af", false],
    ["overlong 3-byte", "e0 80 af", false],
    ["overlong 4-byte", "f0 80 80 af", false],
    ["surrogate", "ed a0 80", false],
    ["past U+10FFFF", "f4 90 80 80", false],
    ["lone continuation", "80", false],
    ["truncated", "e2 82", false],
    ["f5 lead", "f5 80 80 80", false],
  ])("%s", (_name, bytes, valid) => {
    expect(isUtf8(hex(bytes))).toBe(valid);
  });

  it("fails at the first bad byte, before the rest arrives", () => {
    const v = new Utf8Validator();
    expect(v.push(hex("ce ba e1 bd b9 cf 83 ce bc ce b5"))).toBe(true);
    // Autobahn 6.4.1: the 4th byte of f4 90 80 80 is not needed to know it is ill-formed.
    expect(v.push(hex("f4 90"))).toBe(false);
  });

  it("agrees with a fatal TextDecoder on any bytes, split anywhere", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), (bytes, cut) => {
        const at = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
        const v = new Utf8Validator();
        const whole = v.push(bytes.subarray(0, at)) && v.push(bytes.subarray(at)) && v.complete;
        expect(whole).toBe(decodes(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts any string's UTF-8, split at every byte", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (text) => {
        const bytes = new TextEncoder().encode(text);
        const v = new Utf8Validator();
        for (const byte of bytes) expect(v.push(new Uint8Array([byte]))).toBe(true);
        expect(v.complete).toBe(true);
      }),
    );
  });
});
