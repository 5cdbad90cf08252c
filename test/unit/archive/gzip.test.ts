import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipStream } from "../../../src/archive/gzip.ts";
import { collect } from "./support.ts";

describe("gzip (RFC 1952) through CompressionStream", () => {
  it("compresses the pieces as one member, and stops the source when the reader stops", async () => {
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 10; i++) yield new TextEncoder().encode(`line ${i}\n`);
    }
    const gz = await collect(gzipStream(source()));
    expect(gz[0]).toBe(0x1f);
    expect(gz[1]).toBe(0x8b);
    expect(gunzipSync(gz).toString()).toBe(Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(""));
    let closed = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        while (true) yield crypto.getRandomValues(new Uint8Array(4096));
      } finally {
        closed = true;
      }
    }
    const reader = gzipStream(endless());
    await reader.next();
    await reader.return(undefined);
    // The cancel reaches the source through the pipe, a few turns later.
    for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(true);
  });
});
