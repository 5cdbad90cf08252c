/**
 * RFC 7541 (HPACK) conformance cases as a server's decoder sees them (h2spec's hpack group and
 * more): the dynamic table (§2.3), indexes past the tables (§2.3.3), size updates (§4.2, §6.3),
 * integers (§5.1), Huffman strings (§5.2), each representation (§6.1, §6.2). Each block is
 * written octet by octet; a decoding error is a connection error COMPRESSION_ERROR (RFC 9113
 * §4.3). Data for h2-case-runner.ts.
 */
import { HpackEncoder } from "../../src/http2/hpack/encoder.ts";
import { SETTING } from "../../src/http2/settings.ts";
import {
  answered,
  connectionError,
  hpackInteger,
  indexedLiteral,
  literal,
  rawGetBlock,
  rawHeaders,
  str,
} from "./h2-case-helpers.ts";
import type { H2Case } from "./h2-case-runner.ts";
import type { H2Client } from "./h2-raw.ts";

const p = (section: string, n: number, title: string, rest: Omit<H2Case, "id" | "section" | "title">): H2Case => ({
  id: `hpack ${section}/${n}`,
  section: `hpack ${section}`,
  title,
  ...rest,
});

/** A GET (all literal, nothing indexed) on stream 1 with these octets before or after its fields. */
function getBlock(c: H2Client, before: number[], after: number[] = []): Uint8Array {
  return rawHeaders(1, [...before, ...rawGetBlock(c), ...after]);
}

/** A literal field x-test whose value is these Huffman-coded octets (§5.2: H set). */
function huffmanValue(octets: number[]): number[] {
  return [0x00, ...str("x-test"), 0x80 | octets.length, ...octets];
}

const COMPRESSION = connectionError("COMPRESSION_ERROR");

export const HPACK_CASES: readonly H2Case[] = [
  p("2.3", 1, "a field added to the dynamic table, then referred to by index 62 in the next request", {
    send: async (c) => {
      c.send(getBlock(c, [], indexedLiteral("x-remember", "me")));
      await c.response(1, 3000);
      c.send(rawHeaders(3, [...rawGetBlock(c), 0x80 | 62]));
    },
    expect: answered(3, 200),
  }),
  p("2.3.3", 1, "an indexed field past both tables (index 70, the dynamic table empty)", {
    send: (c) => void c.send(getBlock(c, [], [0x80 | 70])),
    expect: COMPRESSION,
  }),
  p("2.3.3", 2, "a literal whose name index is past both tables", {
    send: (c) => void c.send(getBlock(c, [], [...hpackInteger(70, 4, 0x00), 1, 0x61])),
    expect: COMPRESSION,
  }),
  p("2.3.3", 3, "an index to an entry the table evicted", {
    send: (c) => {
      // Table size 100: x-a (65 octets) goes in, x-b (65) evicts it; index 63 is then past the table.
      const block = [
        ...hpackInteger(100, 5, 0x20),
        ...indexedLiteral("x-a", "a".repeat(30)),
        ...indexedLiteral("x-b", "b".repeat(30)),
        0x80 | 63,
      ];
      c.send(getBlock(c, block));
    },
    expect: COMPRESSION,
  }),
  p("2.3.3", 4, "an index to an entry evicted by a smaller table set in a later block", {
    send: async (c) => {
      c.send(getBlock(c, [], indexedLiteral("x-a", "a".repeat(30))));
      await c.response(1, 3000);
      // The table holds x-a (65 octets); at 100 octets, adding x-b (65) evicts it.
      const block = [...hpackInteger(100, 5, 0x20), ...indexedLiteral("x-b", "b".repeat(30)), 0x80 | 63];
      c.send(rawHeaders(3, [...block, ...rawGetBlock(c)]));
    },
    expect: COMPRESSION,
  }),
  p("4.2", 1, "a dynamic table size update at the end of a block", {
    send: (c) => void c.send(getBlock(c, [], hpackInteger(0, 5, 0x20))),
    expect: COMPRESSION,
  }),
  p("4.2", 2, "size updates to 0 and back to 4096 at the start of a block", {
    send: (c) => void c.send(getBlock(c, [...hpackInteger(0, 5, 0x20), ...hpackInteger(4096, 5, 0x20)])),
    expect: answered(1, 200),
  }),
  p("4.2", 3, "a size update after the first field", {
    send: (c) => {
      const [first, ...rest] = rawGetBlock(c);
      c.send(rawHeaders(1, [first!, ...hpackInteger(0, 5, 0x20), ...rest]));
    },
    expect: COMPRESSION,
  }),
  p("5.1", 1, "an integer past 2^31-1 (an index with 6 continuation octets)", {
    send: (c) => void c.send(getBlock(c, [], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f])),
    expect: COMPRESSION,
  }),
  p("5.2", 1, "a Huffman string with more than 7 bits of padding", {
    send: (c) => void c.send(getBlock(c, [], huffmanValue([0x1f, 0xff]))),
    expect: COMPRESSION,
  }),
  p("5.2", 2, "a Huffman string padded with zeros", {
    send: (c) => void c.send(getBlock(c, [], huffmanValue([0x18]))),
    expect: COMPRESSION,
  }),
  p("5.2", 3, "a Huffman string holding EOS", {
    send: (c) => void c.send(getBlock(c, [], huffmanValue([0xff, 0xff, 0xff, 0xff]))),
    expect: COMPRESSION,
  }),
  p("5.2", 4, "every string Huffman-coded", {
    send: (c) => {
      const huffman = new HpackEncoder({ huffman: "always", indexing: () => "without" });
      const fields = c.requestFields("/", [["x-huffman", "Hello, HPACK! ~ 0123456789"]]);
      c.send(rawHeaders(1, huffman.encode(fields.map(([name, value]) => ({ name, value })))));
    },
    expect: answered(1, 200),
  }),
  p("5.2", 5, "a string literal running past the block's end", {
    send: (c) => void c.send(getBlock(c, [], [0x00, ...str("x-test"), 20, 0x61])),
    expect: COMPRESSION,
  }),
  p("6.1", 1, "an indexed field with index 0", {
    send: (c) => void c.send(getBlock(c, [], [0x80])),
    expect: COMPRESSION,
  }),
  p("6.2", 1, "literals with and without indexing and never indexed, names literal and indexed", {
    send: (c) => {
      const fields = [
        ...literal("x-without", "1"),
        ...[0x10, ...str("x-never"), ...str("2")],
        ...indexedLiteral("x-with", "3"),
        ...hpackInteger(58, 4, 0x00), // user-agent (static 58), without indexing
        ...str("sundial-test"),
        ...hpackInteger(16, 4, 0x10), // accept-encoding (static 16), never indexed
        ...str("identity"),
        ...hpackInteger(19, 6, 0x40), // accept (static 19), with incremental indexing
        ...str("*/*"),
      ];
      c.send(getBlock(c, [], fields));
    },
    expect: answered(1, 200),
  }),
  p("6.3", 1, "a size update over SETTINGS_HEADER_TABLE_SIZE", {
    send: (c) => {
      const limit = c.serverSettings.get(SETTING.HEADER_TABLE_SIZE) ?? 4096;
      c.send(getBlock(c, hpackInteger(limit + 1, 5, 0x20)));
    },
    expect: COMPRESSION,
  }),
];
