import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HpackDecoder } from "../../../../src/http2/hpack/decoder.ts";
import { type FieldToEncode, HpackEncoder } from "../../../../src/http2/hpack/encoder.ts";
import { defaultIndexing } from "../../../../src/http2/hpack/indexing.ts";
import { field, fieldList, tableSize } from "./arbitraries.ts";
import { decodeFields } from "./blocks.ts";

/** What a decoder should give for fields the default encoder sent: never-indexed ones marked. */
const expected = (fields: readonly FieldToEncode[]) =>
  fields.map((f) => ({
    name: f.name,
    value: f.value,
    sensitive: f.sensitive === true || defaultIndexing(f.name) === "never",
  }));

const unlimited = { maxHeaderListSize: Infinity, maxFields: Infinity };

const step = fc.oneof(
  { weight: 4, arbitrary: fieldList().map((fields) => ({ kind: "block" as const, fields })) },
  { weight: 1, arbitrary: tableSize.map((size) => ({ kind: "setting" as const, size })) },
);

describe("HpackEncoder to HpackDecoder round trips", () => {
  it("gives back every list, on tables of any size, with settings changing between blocks", () => {
    fc.assert(
      fc.property(
        tableSize,
        tableSize,
        fc.constantFrom("shorter", "always", "never") as fc.Arbitrary<"shorter" | "always" | "never">,
        fc.array(step, { maxLength: 10 }),
        (initial, cap, huffman, steps) => {
          const encoder = new HpackEncoder({ tableSize: initial, maxTableSize: cap, huffman });
          const decoder = new HpackDecoder({ maxTableSize: initial, ...unlimited });
          for (const s of steps) {
            if (s.kind === "setting") {
              encoder.setMaxTableSize(s.size);
              decoder.setMaxTableSize(s.size);
              continue;
            }
            expect(decodeFields(decoder, encoder.encode(s.fields))).toEqual(expected(s.fields));
            expect(decoder.dynamicTable.entries()).toEqual(encoder.dynamicTable.entries());
            expect(decoder.dynamicTable.size).toBe(encoder.dynamicTable.size);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives back one list split into blocks anywhere, the tables in step after each", () => {
    fc.assert(
      fc.property(
        tableSize,
        fc.array(field, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (size, fields, cuts) => {
          const encoder = new HpackEncoder({ tableSize: size });
          const decoder = new HpackDecoder({ maxTableSize: size, ...unlimited });
          const points = [...new Set(cuts.map((c) => c % (fields.length + 1)))].sort((a, b) => a - b);
          const decoded = [0, ...points].flatMap((from, i) => {
            const part = fields.slice(from, [...points, fields.length][i]);
            const out = decodeFields(decoder, encoder.encode(part));
            expect(decoder.dynamicTable.entries()).toEqual(encoder.dynamicTable.entries());
            return out;
          });
          expect(decoded).toEqual(expected(fields));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never throws on blocks cut short or with an octet changed, and then refuses or decodes", () => {
    fc.assert(
      fc.property(fieldList(8), fc.nat(), fc.integer({ min: 0, max: 255 }), (fields, at, octet) => {
        const block = new HpackEncoder().encode(fields);
        if (block.length === 0) return;
        const changed = block.slice();
        changed[at % block.length] = octet;
        for (const bytes of [block.subarray(0, at % block.length), changed]) {
          const kind = new HpackDecoder(unlimited).decode(bytes).kind;
          expect(kind === "fields" || kind === "compression-error").toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
