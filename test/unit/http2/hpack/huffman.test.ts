import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EOS, HUFFMAN_CODES } from "../../../../src/http2/hpack/huffman-codes.ts";
import {
  HUFFMAN_EOS,
  HUFFMAN_PADDING_NOT_ONES,
  HUFFMAN_PADDING_TOO_LONG,
  huffmanDecode,
  huffmanDecodedBound,
} from "../../../../src/http2/hpack/huffman-decode.ts";
import { huffmanEncode, huffmanLength } from "../../../../src/http2/hpack/huffman-encode.ts";
import { fromHex, toHex } from "./blocks.ts";

function encode(text: string): string {
  const out = new Uint8Array(huffmanLength(text));
  expect(huffmanEncode(text, out, 0)).toBe(out.length);
  return toHex(out);
}

/** The decoder's result: the decoded octets as hex, or its failure code. */
function decode(bytes: Uint8Array): string | number {
  const out = new Uint8Array(huffmanDecodedBound(bytes.length));
  const n = huffmanDecode(bytes, 0, bytes.length, out);
  return n < 0 ? n : toHex(out.subarray(0, n));
}

/** Bits, most significant first, as octets: the last one padded with `pad` (1s by default). */
function packBits(bits: string, pad = "1"): Uint8Array {
  const padded = bits + pad.repeat((8 - (bits.length % 8)) % 8);
  return Uint8Array.from(padded.match(/.{8}/g) ?? [], (octet) => parseInt(octet, 2));
}

const codeBits = (symbol: number): string => {
  const [code, bits] = HUFFMAN_CODES[symbol]!;
  return code.toString(2).padStart(bits, "0");
};

/** A bit-by-bit reference decoder straight from Appendix B's table, to check the table-driven one against. */
const BY_BITS = new Map(HUFFMAN_CODES.map((_, symbol) => [codeBits(symbol), symbol]));
function referenceDecode(bytes: Uint8Array): string | number {
  const out: number[] = [];
  let pending = "";
  for (const byte of bytes) {
    for (const bit of byte.toString(2).padStart(8, "0")) {
      pending += bit;
      const symbol = BY_BITS.get(pending);
      if (symbol === undefined) continue;
      if (symbol === EOS) return HUFFMAN_EOS;
      out.push(symbol);
      pending = "";
    }
  }
  if (/^1{0,7}$/.test(pending)) return toHex(Uint8Array.from(out));
  return /^1+$/.test(pending) ? HUFFMAN_PADDING_TOO_LONG : HUFFMAN_PADDING_NOT_ONES;
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe("the Huffman code (RFC 7541 §5.2, Appendix B)", () => {
  it("encodes and decodes the strings of Appendix C.4 and C.6", () => {
    const cases: Array<[string, string]> = [
      ["www.example.com", "f1e3c2e5f23a6ba0ab90f4ff"],
      ["no-cache", "a8eb10649cbf"],
      ["custom-key", "25a849e95ba97d7f"],
      ["custom-value", "25a849e95bb8e8b4bf"],
      ["302", "6402"],
      ["private", "aec3771a4b"],
      ["Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff"],
      ["https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3"],
      ["gzip", "9bd9ab"],
      [
        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
        "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
      ],
    ];
    for (const [text, hex] of cases) {
      expect(encode(text)).toBe(hex);
      expect(decode(fromHex(hex))).toBe(toHex(Uint8Array.from(text, (c) => c.charCodeAt(0))));
    }
  });

  it("round-trips any octets, and huffmanLength() is the encoded length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const hex = encode(latin1(bytes));
        expect(hex.length / 2).toBe(huffmanLength(latin1(bytes)));
        expect(decode(fromHex(hex))).toBe(toHex(bytes));
      }),
    );
  });

  it("decodes as a bit-by-bit walk of Appendix B does, valid input or not", () => {
    const codes = fc.array(fc.integer({ min: 0, max: 256 }), { maxLength: 20 }).map((symbols) =>
      symbols.map(codeBits).join("")
    );
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.tuple(codes, fc.constantFrom("", "0", "1", "11111111", "0000000"), fc.constantFrom("1", "0")).map((
        [bits, tail, pad],
      ) => packBits(bits + tail, pad)),
    );
    fc.assert(
      fc.property(input, (bytes) => {
        expect(decode(bytes)).toBe(referenceDecode(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it("decodes the empty string, and a string whose codes end on an octet with no padding", () => {
    expect(decode(new Uint8Array())).toBe("");
    // '0' '1' '2' are 5 bits each, 'a' too (00011): 40 bits, exactly 5 octets.
    expect(decode(packBits(["0", "1", "2", "a", "a", "0", "1", "2"].map((c) => codeBits(c.charCodeAt(0))).join(""))))
      .toBe("3031326161303132");
  });

  it("refuses EOS inside a string, even with valid symbols around it", () => {
    expect(decode(packBits(codeBits(EOS)))).toBe(HUFFMAN_EOS);
    expect(decode(packBits(codeBits(0x61) + codeBits(EOS) + codeBits(0x61)))).toBe(HUFFMAN_EOS);
  });

  it("refuses padding longer than 7 bits: a whole octet of 1s after the last symbol", () => {
    expect(decode(packBits(codeBits(0x61) + "11111111"))).toBe(HUFFMAN_PADDING_TOO_LONG);
    expect(decode(fromHex("ff"))).toBe(HUFFMAN_PADDING_TOO_LONG);
    expect(decode(packBits(codeBits(0x61) + "111"))).toBe("61");
  });

  it("refuses padding that is not all 1s, and a code cut short", () => {
    expect(decode(packBits(codeBits(0x61), "0"))).toBe(HUFFMAN_PADDING_NOT_ONES);
    expect(decode(packBits(codeBits(0x61) + "101"))).toBe(HUFFMAN_PADDING_NOT_ONES);
    // 'a' (5 bits) and the first 3 bits of 'c' (00100, 5 bits): an octet ending inside a code.
    expect(decode(packBits(codeBits(0x61) + codeBits(0x63).slice(0, 3)))).toBe(HUFFMAN_PADDING_NOT_ONES);
  });

  it("decodes within the bound of 8/5 octets per input octet", () => {
    const text = "0".repeat(80);
    expect(huffmanLength(text)).toBe(50);
    expect(huffmanDecodedBound(50)).toBe(80);
  });
});
