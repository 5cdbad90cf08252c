import { describe, expect, it } from "vitest";
import { HpackDecoder } from "../../../../src/http2/hpack/decoder.ts";
import { compressionReason, decodeFields, fromHex, pairs } from "./blocks.ts";

const failureOf = (hex: string, options = {}) => compressionReason(new HpackDecoder(options), fromHex(hex));

describe("HpackDecoder's compression errors (RFC 7541 §2.3.3, §4.2, §5, §6; RFC 9113 §4.3)", () => {
  it("refuses index 0 (§6.1), and in a literal's name there it means a literal name instead", () => {
    expect(failureOf("80")).toMatch(/index 0/);
    expect(pairs(decodeFields(new HpackDecoder(), fromHex("0001610162")))).toEqual([["a", "b"]]);
  });

  it("refuses an index past the static and dynamic tables (§2.3.3), indexed or as a name", () => {
    expect(failureOf("be")).toMatch(/index 62 past the tables/);
    expect(failureOf("7e0162")).toMatch(/index 62 past the tables/);
    expect(failureOf("0f2f0162")).toMatch(/index 62 past the tables/);
    const decoder = new HpackDecoder();
    decodeFields(decoder, fromHex("4001610162")); // (a, b) joins the table: 62 is it
    expect(pairs(decodeFields(decoder, fromHex("be")))).toEqual([["a", "b"]]);
    expect(compressionReason(decoder, fromHex("bf"))).toMatch(/index 63 past the tables \(61 static and 1 dynamic/);
  });

  it("refuses a size update over SETTINGS_HEADER_TABLE_SIZE (§6.3)", () => {
    expect(failureOf("3fe21f")).toMatch(/4097 over SETTINGS_HEADER_TABLE_SIZE 4096/);
    expect(failureOf("3f45", { maxTableSize: 99 })).toMatch(/100 over/);
    expect(pairs(decodeFields(new HpackDecoder(), fromHex("3fe11f82")))).toEqual([[":method", "GET"]]);
  });

  it("takes size updates only at the start of a block, several of them there (§4.2)", () => {
    expect(failureOf("8220")).toMatch(/size update after a field/);
    const decoder = new HpackDecoder();
    expect(pairs(decodeFields(decoder, fromHex("203fe11f82")))).toEqual([[":method", "GET"]]);
    expect(decoder.dynamicTable.maxSize).toBe(4096);
    expect(decodeFields(decoder, fromHex("20"))).toEqual([]);
    expect(decoder.dynamicTable.maxSize).toBe(0);
  });

  it("requires a size update at most the new setting after it went below the table's size (§4.2)", () => {
    const decoder = new HpackDecoder();
    decoder.setMaxTableSize(100);
    expect(compressionReason(decoder, fromHex("82"))).toMatch(/does not start with the dynamic table size update/);
    // A compression error is final: the connection is closing.
    expect(compressionReason(decoder, fromHex("3f4582"))).toMatch(/does not start/);

    const next = new HpackDecoder();
    next.setMaxTableSize(100);
    expect(pairs(decodeFields(next, fromHex("3f4582")))).toEqual([[":method", "GET"]]);
    expect(next.dynamicTable.maxSize).toBe(100);
    expect(decodeFields(next, fromHex("82")).length).toBe(1);
  });

  it("requires the smallest of several settings first, and an empty block is no excuse", () => {
    const lowered = new HpackDecoder();
    lowered.setMaxTableSize(100);
    lowered.setMaxTableSize(4096);
    expect(compressionReason(lowered, fromHex("3fe11f82"))).toMatch(/at most 100/);
    const both = new HpackDecoder();
    both.setMaxTableSize(100);
    both.setMaxTableSize(4096);
    expect(decodeFields(both, fromHex("3f453fe11f82")).length).toBe(1);
    expect(both.dynamicTable.maxSize).toBe(4096);
    const empty = new HpackDecoder();
    empty.setMaxTableSize(0);
    expect(compressionReason(empty, new Uint8Array())).toMatch(/does not start/);
  });

  it("needs no update when the setting goes up", () => {
    const decoder = new HpackDecoder({ maxTableSize: 100 });
    decoder.setMaxTableSize(8192);
    expect(decodeFields(decoder, fromHex("82")).length).toBe(1);
    expect(decodeFields(decoder, fromHex("3fe13f82")).length).toBe(1);
    expect(decoder.dynamicTable.maxSize).toBe(8192);
  });

  it("refuses Huffman strings with EOS, long padding or padding not all 1s (§5.2)", () => {
    // 00: a literal with a new name; 81 1f: a 1-octet Huffman string, 00011 ('a') and 111.
    expect(pairs(decodeFields(new HpackDecoder(), fromHex("00811f811f")))).toEqual([["a", "a"]]);
    expect(failureOf("0081ff0162")).toMatch(/padding longer than 7 bits/);
    expect(failureOf("0081180162")).toMatch(/padding not all 1s/);
    expect(failureOf("0084fffffffc0162")).toMatch(/holds EOS/);
    expect(failureOf("00011184fffffffc")).toMatch(/holds EOS/);
  });

  it("refuses a block that ends inside an integer or a string (§5.1, §5.2)", () => {
    expect(failureOf("ff")).toMatch(/ends inside an index/);
    expect(failureOf("3f")).toMatch(/ends inside a dynamic table size update/);
    expect(failureOf("0f")).toMatch(/ends inside a name's index/);
    expect(failureOf("40")).toMatch(/ends before a string literal/);
    expect(failureOf("41")).toMatch(/ends before a string literal/);
    expect(failureOf("40056162")).toMatch(/runs past the block's end/);
    expect(failureOf("40016105")).toMatch(/runs past the block's end/);
    expect(failureOf("407f")).toMatch(/ends inside a string length/);
  });

  it("refuses integers over 2^31-1 or with more than 5 continuation octets (§5.1)", () => {
    expect(failureOf("ffffffffff0f")).toMatch(/an index over 2\^31-1/);
    expect(failureOf("ff808080808000")).toMatch(/longer than 5 continuation octets/);
    expect(failureOf("407fffffffff0f")).toMatch(/a string length over/);
    expect(failureOf("3fffffffff0f")).toMatch(/size update over/);
  });

  it("never throws, whatever the bytes", () => {
    const decoder = new HpackDecoder();
    for (let seed = 1; seed < 2000; seed++) {
      const bytes = Uint8Array.from({ length: seed % 40 }, (_, i) => (seed * 7919 + i * 104729) % 256);
      expect(["fields", "compression-error", "too-large"]).toContain(new HpackDecoder().decode(bytes).kind);
      decoder.decode(bytes);
    }
  });
});
