import { describe, expect, it } from "vitest";
import { HpackDecoder } from "../../../../src/http2/hpack/decoder.ts";
import { HpackEncoder } from "../../../../src/http2/hpack/encoder.ts";
import { decodeFields, fromHex, pairs } from "./blocks.ts";

const field = (name: string, value: string) => ({ name, value });

describe("HpackDecoder's limits on a field list (RFC 9113 §8.2.1, §10.5.1)", () => {
  it("takes a list exactly at maxHeaderListSize, each field counted as name + value + 32 (§4.1)", () => {
    const decoder = new HpackDecoder({ maxHeaderListSize: 2 * 35 });
    const encoder = new HpackEncoder();
    expect(decodeFields(decoder, encoder.encode([field("a", "12"), field("b", "34")])).length).toBe(2);
  });

  it("refuses a list one octet over it, and stays in step with the peer's table", () => {
    const decoder = new HpackDecoder({ maxHeaderListSize: 106 });
    const encoder = new HpackEncoder();
    const result = decoder.decode(encoder.encode([field("x-one", "a".repeat(30)), field("x-three", "c")]));
    expect(result).toEqual({ kind: "too-large", limit: "max-header-list-size", listSize: 67 + 40, fieldCount: 2 });
    // Both joined both tables, the second after the limit was passed: the next blocks refer to them.
    expect(decoder.dynamicTable.entries()).toEqual(encoder.dynamicTable.entries());
    const next = encoder.encode([field("x-three", "c")]);
    expect(next).toEqual(Uint8Array.of(0xbe));
    expect(pairs(decodeFields(decoder, next))).toEqual([["x-three", "c"]]);
    expect(pairs(decodeFields(decoder, encoder.encode([field("x-one", "a".repeat(30))])))).toEqual([
      ["x-one", "a".repeat(30)],
    ]);
  });

  it("refuses more than maxFields fields (100 by default), decoding them all", () => {
    const encoder = new HpackEncoder();
    const fields = Array.from({ length: 101 }, (_, i) => field(`x-${i % 7}`, String(i)));
    const decoder = new HpackDecoder();
    const result = decoder.decode(encoder.encode(fields));
    expect(result).toMatchObject({ kind: "too-large", limit: "max-fields", fieldCount: 101 });
    expect(decoder.dynamicTable.entries()).toEqual(encoder.dynamicTable.entries());
    expect(decodeFields(decoder, encoder.encode(fields.slice(0, 100))).length).toBe(100);
  });

  it("holds nothing for a block that repeats one large entry (an HPACK bomb)", () => {
    const decoder = new HpackDecoder();
    // One 4000-octet value joins the table, then 10,000 one-octet references to it (40 MB of list).
    const entry = [0x40, 0x01, 0x61, 0x7f, ...[4000 - 127].flatMap((n) => [0x80 | (n & 0x7f), n >> 7])];
    const block = Uint8Array.from([...entry, ...new Array<number>(4000).fill(0x62), ...new Array(10_000).fill(0xbe)]);
    const result = decoder.decode(block);
    expect(result).toMatchObject({ kind: "too-large", limit: "max-header-list-size", fieldCount: 10_001 });
    expect(decodeFields(decoder, fromHex("82"))).toEqual([{ name: ":method", value: "GET", sensitive: false }]);
  });

  it("marks never-indexed literals sensitive, and only those (§6.2.3)", () => {
    const decoder = new HpackDecoder();
    // never indexed, without indexing, with indexing: all with the name authorization (static 23).
    const fields = decodeFields(decoder, fromHex("1f080173" + "0f080174" + "570175"));
    expect(fields.map((f) => [f.value, f.sensitive])).toEqual([["s", true], ["t", false], ["u", false]]);
  });

  it("gives names and values exactly as sent: octets as latin1, no case change, no checks (RFC 9113 §8.2 is the stream's)", () => {
    const decoder = new HpackDecoder();
    // A name "X-Ä" with upper case and 0xc4, a value of 0x80 0x00 0xff 0xc3 0xa9 (not UTF-8 decoded).
    const fields = decodeFields(decoder, fromHex("0003582dc40580" + "00ffc3a9"));
    expect(fields).toEqual([{ name: "X-\u00c4", value: "\u0080\u0000\u00ff\u00c3\u00a9", sensitive: false }]);
    const huffman = new HpackEncoder({ huffman: "always" }).encode([field("X-\u00c4", "\u0080\u0000\u00ff")]);
    expect(pairs(decodeFields(new HpackDecoder(), huffman))).toEqual([["X-\u00c4", "\u0080\u0000\u00ff"]]);
  });
});
