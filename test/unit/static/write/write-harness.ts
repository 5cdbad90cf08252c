import { expect } from "vitest";
import type { RequestHead } from "../../../../src/http/parser/request-head.ts";
import type { BodyRead, RequestBody } from "../../../../src/http/request-body.ts";
import type { HttpResponse } from "../../../../src/http/response.ts";
import { DEFAULT_SITE, type SiteOptions } from "../../../../src/static/options.ts";
import { SafeRoot } from "../../../../src/static/safe-root.ts";
import { write } from "../../../../src/static/write/writes.ts";
import { isTempName } from "../../../../src/static/write/temp-name.ts";
import { FakeFileSystem } from "../../../support/fake-file-system.ts";
import { requestHead } from "../../../support/request-head.ts";

/** The writes' unit tests share these: a request head, a body of pieces, a site on a fake file system. */

export function head(method: string, headers: [string, string][] = []): RequestHead {
  return requestHead(method, "/", headers);
}

/** A body of these pieces, then `end` (or the given failure); counts cancel(). */
export function body(pieces: string[], end: BodyRead = { kind: "end" }, length: number | null = null) {
  const queue = pieces.map((p): BodyRead => ({ kind: "data", bytes: new TextEncoder().encode(p) }));
  const state = { cancelled: false, reads: 0 };
  const b: RequestBody = {
    length,
    read: async () => (state.reads++, queue.shift() ?? end),
    cancel: () => (state.cancelled = true),
  };
  return { body: b, state };
}

export const WRITES: SiteOptions = { ...DEFAULT_SITE, upload: true, allowDelete: true };

export function setUp(site: Partial<SiteOptions> = {}, files: Record<string, string> = {}) {
  const fs = new FakeFileSystem({ "/srv/old.txt": "old content", "/srv/dir/inner.txt": "x", ...files });
  const options = { ...WRITES, ...site };
  let changes = 0;
  const ctx = { root: new SafeRoot(fs, "/srv", options), site: options, changed: () => void changes++, writer: 4242 };
  const run = (method: string, path: string, b: RequestBody | null = null, headers: [string, string][] = []) =>
    Promise.resolve(write(ctx, head(method, headers), path, "", b));
  return { fs, run, changes: () => changes };
}

export function field(response: HttpResponse, name: string): string | undefined {
  return response.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** Nothing of ours left: no temporary file, no open writer. */
export function clean(fs: FakeFileSystem): void {
  expect(fs.paths().filter((p) => isTempName(p.slice(p.lastIndexOf("/") + 1)))).toEqual([]);
  expect(fs.openWriters).toBe(0);
  expect(fs.openReaders).toBe(0);
}
