import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latin1String } from "../../../../src/http2/hpack/latin1.ts";

const reference = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join("");

describe("octets as latin1 strings", () => {
  it("maps each octet to one char, 0x80 to 0x9f included (not windows-1252, not UTF-8)", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(latin1String(bytes, 0, 256)).toBe(reference(bytes));
    expect(latin1String(Uint8Array.of(0x80, 0x9f), 0, 2)).toBe("\u0080\u009f");
    expect(latin1String(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), 0, 4)).toBe("\u00ef\u00bb\u00bfA");
  });

  it("agrees with a char-by-char mapping at every length and offset, short, ASCII or not, past 4096", () => {
    const ascii = fc.uint8Array({ maxLength: 200 }).map((b) => b.map((x) => x & 0x7f));
    const long = fc.integer({ min: 4000, max: 9000 }).map((n) =>
      Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff)
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), ascii, long), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = a % (bytes.length + 1);
        const end = start + (b % (bytes.length - start + 1));
        expect(latin1String(bytes, start, end)).toBe(reference(bytes.subarray(start, end)));
      }),
      { numRuns: 300 },
    );
  });
});
