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
});
