import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../../../../src/http2/hpack/byte-writer.ts";
import {
  decodeInteger,
  encodeInteger,
  INTEGER_TOO_LARGE,
  INTEGER_TRUNCATED,
  MAX_INTEGER,
} from "../../../../src/http2/hpack/integer.ts";
import { fromHex, toHex } from "./blocks.ts";

function encoded(value: number, prefixBits: number, high = 0): string {
  const out = new ByteWriter();
  encodeInteger(out, value, prefixBits, high);
  return toHex(out.take());
}

function decoded(hex: string, prefixBits: number): { value: number; pos: number } {
  const cursor = { pos: 0 };
  const value = decodeInteger(fromHex(hex), cursor, prefixBits);
  return { value, pos: cursor.pos };
}

describe("integers with an N-bit prefix (RFC 7541 §5.1)", () => {
  it("C.1.1: 10 on a 5-bit prefix is one octet", () => {
    expect(encoded(10, 5)).toBe("0a");
    expect(decoded("0a", 5)).toEqual({ value: 10, pos: 1 });
  });

  it("C.1.2: 1337 on a 5-bit prefix is 31, then 1306 in 7-bit groups, least significant first", () => {
    expect(encoded(1337, 5)).toBe("1f9a0a");
    expect(decoded("1f9a0a", 5)).toEqual({ value: 1337, pos: 3 });
  });

  it("C.1.3: 42 starting at an octet boundary (an 8-bit prefix)", () => {
    expect(encoded(42, 8)).toBe("2a");
    expect(decoded("2a", 8)).toEqual({ value: 42, pos: 1 });
  });

  it("keeps the representation's bits above the prefix and ignores them when reading", () => {
    expect(encoded(2, 7, 0x80)).toBe("82");
    expect(encoded(4096, 5, 0x20)).toBe("3fe11f");
    expect(decoded("3fe11f", 5).value).toBe(4096);
    expect(decoded("ff00", 7).value).toBe(127);
  });

  it("round-trips every value up to 2^31-1 on every prefix", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_INTEGER }), fc.integer({ min: 1, max: 8 }), (value, prefix) => {
        const hex = encoded(value, prefix);
        expect(decoded(hex, prefix)).toEqual({ value, pos: hex.length / 2 });
      }),
    );
  });

  it("says when the block ends inside the integer", () => {
    expect(decoded("1f", 5).value).toBe(INTEGER_TRUNCATED);
    expect(decoded("1f9a", 5).value).toBe(INTEGER_TRUNCATED);
    expect(decoded("ffffff", 7).value).toBe(INTEGER_TRUNCATED);
  });

  it("refuses a value past 2^31-1, and more than 5 continuation octets even of zeros", () => {
    expect(decoded(encoded(MAX_INTEGER, 5), 5).value).toBe(MAX_INTEGER);
    expect(decoded(encoded(MAX_INTEGER + 1, 5), 5).value).toBe(INTEGER_TOO_LARGE);
    expect(decoded("1fffffffff7f", 5).value).toBe(INTEGER_TOO_LARGE);
    expect(decoded("1f8080808000", 5)).toEqual({ value: 31, pos: 6 });
    expect(decoded("1f808080808000", 5).value).toBe(INTEGER_TOO_LARGE);
    expect(decoded("1f8080808080808080808001", 5).value).toBe(INTEGER_TOO_LARGE);
  });
});
