// HPACK decoding, timed in one process (ns per field; best of 5 runs): a browser's first request
// on a connection (literals, Huffman-coded, each joining the table) and a later one (mostly
// indexed from the dynamic table), and encoding a typical response head. Not part of npm test.
//   bun bench/http2/hpack-micro.ts
//   deno run bench/http2/hpack-micro.ts
//   bun build bench/http2/hpack-micro.ts --target=node --outfile=dist/bench/hpack-micro.mjs && node dist/bench/hpack-micro.mjs
import { HpackDecoder } from "../../src/http2/hpack/decoder.ts";
import { type FieldToEncode, HpackEncoder } from "../../src/http2/hpack/encoder.ts";

const RUNS = 5;
const N = 50_000;

/** What a desktop browser sends for a page: pseudo-fields, client hints, fetch metadata, a cookie. */
function browserRequest(path: string): FieldToEncode[] {
  const fields: Array<[string, string]> = [
    [":method", "GET"],
    [":authority", "www.example.com"],
    [":scheme", "https"],
    [":path", path],
    ["sec-ch-ua", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'],
    ["sec-ch-ua-mobile", "?0"],
    ["sec-ch-ua-platform", '"Linux"'],
    ["upgrade-insecure-requests", "1"],
    [
      "user-agent",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    ],
    [
      "accept",
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
    ],
    ["sec-fetch-site", "none"],
    ["sec-fetch-mode", "navigate"],
    ["sec-fetch-user", "?1"],
    ["sec-fetch-dest", "document"],
    ["accept-encoding", "gzip, deflate, br, zstd"],
    ["accept-language", "en-US,en;q=0.9"],
    ["cookie", "session=3f9a1c0e5b7d4e2a; theme=dark"],
    ["priority", "u=0, i"],
  ];
  return fields.map(([name, value]) => ({ name, value }));
}

const RESPONSE: FieldToEncode[] = [
  { name: ":status", value: "200" },
  { name: "content-type", value: "text/html; charset=utf-8" },
  { name: "content-length", value: "5120" },
  { name: "date", value: "Mon, 21 Oct 2013 20:13:21 GMT" },
  { name: "last-modified", value: "Mon, 21 Oct 2013 20:13:21 GMT" },
  { name: "etag", value: '"1400-526582c1"' },
  { name: "accept-ranges", value: "bytes" },
  { name: "cache-control", value: "no-cache" },
  { name: "server", value: "sundial" },
];

/** A browser's encoder: it indexes everything but the cookie, Huffman-coding what that shortens. */
const browser = new HpackEncoder({ indexing: (name) => (name === "cookie" ? "never" : "incremental") });
const first = browser.encode(browserRequest("/"));
const later = browser.encode(browserRequest("/app.js"));
const fieldCount = browserRequest("/").length;

function time(label: string, fields: number, op: () => unknown): void {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const began = performance.now();
    for (let i = 0; i < N; i++) op();
    best = Math.min(best, ((performance.now() - began) * 1e6) / N);
  }
  const perField = (best / fields).toFixed(1).padStart(7);
  console.log(`${label.padEnd(62)} ${best.toFixed(0).padStart(6)} ns/block ${perField} ns/field`);
}

/** Decodes one block and checks it decoded (so the work cannot be skipped). */
function decodeOrFail(decoder: HpackDecoder, block: Uint8Array): void {
  const result = decoder.decode(block);
  if (result.kind !== "fields" || result.fields.length !== fieldCount) throw new Error(JSON.stringify(result));
}

const runtime = "Deno" in globalThis ? "Deno" : "Bun" in globalThis ? "Bun" : "Node";
console.log(
  `HPACK on ${runtime}: a ${fieldCount}-field browser request, ${first.length} octets first, ${later.length} later`,
);
// The first block's literals join the table again each time, evicting the last round's: the
// cold path (Huffman decoding, strings made, entries added and evicted).
const cold = new HpackDecoder();
time("decode: first request (literals, Huffman, indexed into the table)", fieldCount, () => decodeOrFail(cold, first));
const warm = new HpackDecoder();
decodeOrFail(warm, first);
time("decode: later request (indexed from the dynamic table)", fieldCount, () => decodeOrFail(warm, later));
const server = new HpackEncoder();
time("encode: a response head (:status 200, repeated and date-like fields)", RESPONSE.length, () => {
  server.encode(RESPONSE);
});
