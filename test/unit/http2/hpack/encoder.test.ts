import { describe, expect, it } from "vitest";
import { HpackDecoder } from "../../../../src/http2/hpack/decoder.ts";
import { HpackEncoder } from "../../../../src/http2/hpack/encoder.ts";
import { decodeFields, toHex } from "./blocks.ts";

const field = (name: string, value: string, sensitive?: boolean) => ({ name, value, sensitive });
const hexOf = (encoder: HpackEncoder, ...fields: ReturnType<typeof field>[]) => toHex(encoder.encode(fields));

describe("HpackEncoder's choices (RFC 7541 §6)", () => {
  it("sends :status 200, 204, 206, 304, 400, 404 and 500 as static entries 8 to 14 (§6.1)", () => {
    const encoder = new HpackEncoder();
    const statuses = ["200", "204", "206", "304", "400", "404", "500"];
    expect(statuses.map((status) => hexOf(encoder, field(":status", status)))).toEqual(
      ["88", "89", "8a", "8b", "8c", "8d", "8e"],
    );
    expect(encoder.dynamicTable.length).toBe(0);
  });

  it("sends another status with the name of entry 8, indexed for the next time", () => {
    const encoder = new HpackEncoder({ huffman: "never" });
    expect(hexOf(encoder, field(":status", "302"))).toBe("4803333032");
    expect(hexOf(encoder, field(":status", "302"))).toBe("be");
  });

  it("indexes fields that repeat (content-type, server) and finds them in the dynamic table next time", () => {
    const encoder = new HpackEncoder();
    const head = [field("content-type", "text/html; charset=utf-8"), field("server", "sundial")];
    const first = encoder.encode(head);
    expect(first[0]).toBe(0x40 | 31);
    expect(hexOf(encoder, ...head)).toBe("bfbe");
    expect(encoder.dynamicTable.entries()).toEqual([["server", "sundial"], [
      "content-type",
      "text/html; charset=utf-8",
    ]]);
  });

  it("leaves date-like fields out of the table (§6.2.2), their names indexed", () => {
    const encoder = new HpackEncoder({ huffman: "never" });
    const date = "Mon, 21 Oct 2013 20:13:21 GMT";
    expect(hexOf(encoder, field("date", date))).toMatch(/^0f121d/);
    for (const name of ["content-length", "etag", "last-modified", ":path", "location"]) {
      expect(encoder.encode([field(name, "x")])[0]! & 0xf0).toBe(0x00);
    }
    expect(encoder.dynamicTable.length).toBe(0);
  });

  it("never indexes sensitive fields nor credentials (§6.2.3, §7.1.3), even ones in a table", () => {
    const encoder = new HpackEncoder({ huffman: "never" });
    expect(hexOf(encoder, field("x-token", "abc", true))).toBe("100778" + "2d746f6b656e03616263");
    expect(hexOf(encoder, field(":method", "GET", true))).toBe("1203474554");
    expect(hexOf(encoder, field("authorization", "Basic x"))).toBe("1f0807" + "42617369632078");
    expect(encoder.dynamicTable.length).toBe(0);
    const decoded = decodeFields(
      new HpackDecoder(),
      encoder.encode([field("set-cookie", "id=1"), field("x-a", "b", true)]),
    );
    expect(decoded.map((f) => f.sensitive)).toEqual([true, true]);
  });

  it("does not index an entry over 3/4 of the table, which would push out everything else", () => {
    const encoder = new HpackEncoder({ tableSize: 256, huffman: "never" });
    encoder.encode([field("x-small", "1")]);
    encoder.encode([field("x-big", "v".repeat(192 - 32 - 5 + 1))]);
    expect(encoder.dynamicTable.entries()).toEqual([["x-small", "1"]]);
    encoder.encode([field("x-big", "v".repeat(192 - 32 - 5))]);
    expect(encoder.dynamicTable.length).toBe(2);
  });

  it("Huffman-codes a string only when that is shorter (§5.2)", () => {
    const encoder = new HpackEncoder({ indexing: () => "without" });
    // "x-a" takes 3 octets either way: sent as it is. "aaaa": 4 times 00011, then 1111.
    expect(hexOf(encoder, field("x-a", "aaaa"))).toBe("00" + "03782d61" + "83" + "18c63f");
    // 0xff has a 26-bit code.
    expect(hexOf(encoder, field("x-a", "\u00ff"))).toBe("00" + "03782d61" + "01ff");
    expect(hexOf(new HpackEncoder({ huffman: "always", indexing: () => "without" }), field("a", "\u00ff")))
      .toBe("00" + "811f" + "84fffffbbf");
  });
});

describe("HpackEncoder's table size updates (RFC 7541 §4.2, §6.3)", () => {
  it("signals the peer's new setting at the start of the next block, once", () => {
    const encoder = new HpackEncoder();
    encoder.encode([field("x-a", "1")]);
    encoder.setMaxTableSize(0);
    expect(hexOf(encoder, field(":method", "GET"))).toBe("2082");
    expect(encoder.dynamicTable.length).toBe(0);
    expect(hexOf(encoder, field(":method", "GET"))).toBe("82");
    encoder.setMaxTableSize(4096);
    expect(hexOf(encoder)).toBe("3fe11f");
  });

  it("sends the smallest size first when the setting went down and back up between blocks", () => {
    const encoder = new HpackEncoder();
    encoder.setMaxTableSize(100);
    encoder.setMaxTableSize(4096);
    expect(hexOf(encoder)).toBe("3f45" + "3fe11f");
    encoder.setMaxTableSize(100);
    encoder.setMaxTableSize(50);
    expect(hexOf(encoder)).toBe("3f13");
  });

  it("sends nothing when the size stays where it is, and keeps to its own cap (maxTableSize)", () => {
    const encoder = new HpackEncoder();
    encoder.setMaxTableSize(4096);
    encoder.setMaxTableSize(65536);
    expect(hexOf(encoder)).toBe("");
    expect(encoder.dynamicTable.maxSize).toBe(4096);
    const capped = new HpackEncoder({ maxTableSize: 1024 });
    expect(hexOf(capped)).toBe("3fe107");
    expect(capped.dynamicTable.maxSize).toBe(1024);
  });

  it("is understood by HpackDecoder at each step, tables in step", () => {
    const encoder = new HpackEncoder();
    const decoder = new HpackDecoder();
    for (const size of [1000, 0, 4096, 64, 2048]) {
      encoder.setMaxTableSize(size);
      decoder.setMaxTableSize(size);
      const fields = [field("x-size", String(size)), field("content-type", "text/plain")];
      expect(decodeFields(decoder, encoder.encode(fields)).map((f) => f.value)).toEqual([String(size), "text/plain"]);
      expect(decoder.dynamicTable.entries()).toEqual(encoder.dynamicTable.entries());
      expect(decoder.dynamicTable.maxSize).toBe(encoder.dynamicTable.maxSize);
    }
  });
});
