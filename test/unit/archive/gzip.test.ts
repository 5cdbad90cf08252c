import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipStream } from "../../../src/archive/gzip.ts";
import type { GzipStream } from "../../../src/ports/compress.ts";
import { nodeCompressor } from "../../../runtime-adapters/shared-node/compress.ts";
import { collect } from "./support.ts";

describe("gzip (RFC 1952) through the Compressor port", () => {
  it("compresses the pieces as one member", async () => {
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 10; i++) yield new TextEncoder().encode(`line ${i}\n`);
    }
    const gz = await collect(gzipStream(source(), nodeCompressor.gzipStream()));
    expect(gz[0]).toBe(0x1f);
    expect(gz[1]).toBe(0x8b);
    expect(gunzipSync(gz).toString()).toBe(Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(""));
  });

  it("has read a piece before it pulls the next: a source that refills one buffer comes out whole", async () => {
    const pieces = Array.from({ length: 40 }, () => crypto.getRandomValues(new Uint8Array(64 * 1024)));
    async function* refilled(): AsyncGenerator<Uint8Array> {
      const buffer = new Uint8Array(64 * 1024);
      for (const piece of pieces) {
        buffer.set(piece);
        yield buffer;
      }
    }
    const out = gunzipSync(await collect(gzipStream(refilled(), nodeCompressor.gzipStream())));
    expect(out.length).toBe(40 * 64 * 1024);
    pieces.forEach((piece, i) =>
      expect(out.subarray(i * piece.length, (i + 1) * piece.length).equals(piece)).toBe(true)
    );
  });

  it("a reader that stops closes the source and the compressor", async () => {
    let sourceClosed = false;
    let compressorClosed = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        while (true) yield crypto.getRandomValues(new Uint8Array(4096));
      } finally {
        sourceClosed = true;
      }
    }
    const real = nodeCompressor.gzipStream();
    const watched: GzipStream = { ...real, close: () => void (compressorClosed = true, real.close()) };
    const reader = gzipStream(endless(), watched);
    await reader.next();
    await reader.return(undefined);
    expect(sourceClosed).toBe(true);
    expect(compressorClosed).toBe(true);
  });
});
