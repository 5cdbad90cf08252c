import { describe, expect, it } from "vitest";
import { HpackDecoder } from "../../../../src/http2/hpack/decoder.ts";
import { HpackEncoder, type HpackEncoderOptions } from "../../../../src/http2/hpack/encoder.ts";
import {
  C2_REPRESENTATIONS,
  C3_REQUESTS,
  C4_REQUESTS,
  C5_RESPONSES,
  C6_RESPONSES,
  type Example,
} from "./appendix-c.ts";
import { decodeFields, fromHex, pairs, toHex } from "./blocks.ts";

const SEQUENCES: Array<[string, readonly Example[], number, HpackEncoderOptions["huffman"]]> = [
  ["C.3 requests without Huffman coding", C3_REQUESTS, 4096, "never"],
  ["C.4 requests with Huffman coding", C4_REQUESTS, 4096, "always"],
  ["C.5 responses without Huffman coding", C5_RESPONSES, 256, "never"],
  ["C.6 responses with Huffman coding", C6_RESPONSES, 256, "always"],
];

describe("RFC 7541 Appendix C, decoding", () => {
  it.each(SEQUENCES)("%s: each block's fields, then the table and its size", (_name, examples, tableSize) => {
    const decoder = new HpackDecoder({ maxTableSize: tableSize });
    for (const example of examples) {
      const fields = decodeFields(decoder, fromHex(example.hex));
      expect(pairs(fields)).toEqual(example.fields);
      expect(fields.every((f) => !f.sensitive)).toBe(true);
      expect(decoder.dynamicTable.entries()).toEqual(example.table);
      expect(decoder.dynamicTable.size).toBe(example.tableSize);
    }
  });

  it("C.2: literal with indexing, without indexing, never indexed (sensitive), indexed", () => {
    const sensitive = C2_REPRESENTATIONS.map((example) => {
      const decoder = new HpackDecoder();
      const fields = decodeFields(decoder, fromHex(example.hex));
      expect(pairs(fields)).toEqual(example.fields);
      expect(decoder.dynamicTable.entries()).toEqual(example.table);
      expect(decoder.dynamicTable.size).toBe(example.tableSize);
      return fields[0]!.sensitive;
    });
    expect(sensitive).toEqual([false, false, true, false]);
  });
});

describe("RFC 7541 Appendix C, encoding byte for byte", () => {
  it.each(SEQUENCES)(
    "%s (indexing every literal, as the RFC's encoder does)",
    (_name, examples, tableSize, huffman) => {
      const encoder = new HpackEncoder({ tableSize, huffman, indexing: () => "incremental" });
      for (const example of examples) {
        const block = encoder.encode(example.fields.map(([name, value]) => ({ name, value })));
        expect(toHex(block)).toBe(example.hex);
        expect(encoder.dynamicTable.entries()).toEqual(example.table);
        expect(encoder.dynamicTable.size).toBe(example.tableSize);
      }
    },
  );

  it("Huffman coding only when shorter: C.4's blocks, and C.6's but for a value its code does not shorten", () => {
    const blocks = (examples: readonly Example[], tableSize: number) => {
      const encoder = new HpackEncoder({ tableSize, indexing: () => "incremental" });
      return examples.map((example) => toHex(encoder.encode(example.fields.map(([name, value]) => ({ name, value })))));
    };
    expect(blocks(C4_REQUESTS, 4096)).toEqual(C4_REQUESTS.map((example) => example.hex));
    // "307" takes 3 octets Huffman-coded too, so it goes as it is: 03 333037 for 83 640eff.
    const expected = C6_RESPONSES.map((example) => example.hex);
    expected[1] = "4803333037c1c0bf";
    expect(blocks(C6_RESPONSES, 256)).toEqual(expected);
  });

  it("C.2 with the default policy: :path without indexing, a sensitive field never indexed", () => {
    const blocks = C2_REPRESENTATIONS.map((example, i) => {
      const encoder = new HpackEncoder({ huffman: "never" });
      const [name, value] = example.fields[0]!;
      return toHex(encoder.encode([{ name, value, sensitive: i === 2 }]));
    });
    expect(blocks).toEqual(C2_REPRESENTATIONS.map((example) => example.hex));
  });
});
