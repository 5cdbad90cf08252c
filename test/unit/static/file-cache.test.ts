import { describe, expect, it } from "vitest";
import { FileCache } from "../../../src/static/file-cache.ts";
import type { Resolution } from "../../../src/static/resolution.ts";

const MISSING: Resolution = { kind: "missing" };
/** A file resolution holding `size` bytes of content (only what the cache looks at matters here). */
const held = (size: number): Resolution => ({ kind: "file", body: new Uint8Array(size) } as unknown as Resolution);

describe("FileCache: URL path -> resolution, trusted for the TTL, within its budgets", () => {
  it("answers within the TTL and not after it; the previous resolution stays for reuse", () => {
    const cache = new FileCache({ ttlMs: 1000, maxEntries: 10, maxBodyBytes: 100 });
    cache.set("/a", MISSING, 0);
    expect(cache.fresh("/a", 999)).toBe(MISSING);
    expect(cache.fresh("/a", 1000)).toBeUndefined();
    expect(cache.previous("/a")).toBe(MISSING);
  });

  it("a TTL of 0 trusts nothing", () => {
    const cache = new FileCache({ ttlMs: 0, maxEntries: 10, maxBodyBytes: 100 });
    cache.set("/a", MISSING, 0);
    expect(cache.fresh("/a", 0)).toBeUndefined();
  });

  it("oldest entries leave first past the entry count", () => {
    const cache = new FileCache({ ttlMs: 1000, maxEntries: 2, maxBodyBytes: 100 });
    cache.set("/a", MISSING, 0);
    cache.set("/b", MISSING, 0);
    cache.set("/c", MISSING, 0);
    expect(cache.previous("/a")).toBeUndefined();
    expect(cache.previous("/b")).toBe(MISSING);
  });

  it("keeps content within the byte budget, counting a replaced entry's bytes as freed", () => {
    const cache = new FileCache({ ttlMs: 1000, maxEntries: 10, maxBodyBytes: 100 });
    cache.set("/a", held(60), 0);
    expect(cache.canHold(50, "/b")).toBe(false);
    expect(cache.canHold(50, "/a")).toBe(true);
    cache.set("/b", held(60), 0);
    // Over the budget: the oldest content leaves.
    expect(cache.previous("/a")).toBeUndefined();
    expect(cache.canHold(40, "/c")).toBe(true);
  });
});
