import { describe, expect, it } from "vitest";
import { crc32 } from "../../../src/archive/crc32.ts";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("crc32", () => {
  it('gives the check value of the CRC-32 catalogue ("123456789" -> 0xCBF43926) and 0 for nothing', () => {
    expect(crc32(bytes("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(bytes("The quick brown fox jumps over the lazy dog"))).toBe(0x414fa339);
  });
  it("runs piece by piece to the same value as in one go", () => {
    const whole = bytes("123456789");
    let running = 0;
    for (let i = 0; i < whole.length; i += 2) running = crc32(whole.subarray(i, i + 2), running);
    expect(running).toBe(0xcbf43926);
  });
  it("agrees with a byte-at-a-time CRC on random lengths and pieces (the 8-byte steps and the tail)", () => {
    const slow = (data: Uint8Array, previous = 0): number => {
      let c = ~previous >>> 0;
      for (const byte of data) {
        c ^= byte;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      return ~c >>> 0;
    };
    for (let length = 0; length < 70; length++) {
      const data = crypto.getRandomValues(new Uint8Array(length * 7 + (length % 5)));
      const cut = Math.floor(data.length / 3);
      expect(crc32(data)).toBe(slow(data));
      expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(slow(data));
    }
  });
});
