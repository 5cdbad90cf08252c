import { describe, expect, it } from "vitest";
import type { RequestHead } from "../../../../src/http/parser/request-head.ts";
import type { BodyRead, RequestBody } from "../../../../src/http/request-body.ts";
import { httpError } from "../../../../src/http/http-error.ts";
import type { HttpResponse } from "../../../../src/http/response.ts";
import { requestFields } from "../../../../src/http/request-fields.ts";
import { DEFAULT_SITE, type SiteOptions } from "../../../../src/static/options.ts";
import { SafeRoot } from "../../../../src/static/safe-root.ts";
import { write } from "../../../../src/static/write/writes.ts";
import { isTempName } from "../../../../src/static/write/temp-name.ts";
import { FakeFileSystem } from "../../../support/fake-file-system.ts";

function head(method: string, headers: [string, string][] = []): RequestHead {
  const all: [string, string][] = [["host", "localhost"], ...headers];
  return {
    method,
    target: "/",
    version: "1.1",
    headers: all,
    fields: requestFields(all),
    host: "localhost",
    body: { kind: "none" },
    keepAlive: true,
    expectContinue: false,
  };
}

/** A body of these pieces, then `end` (or the given failure); counts cancel(). */
function body(pieces: string[], end: BodyRead = { kind: "end" }, length: number | null = null) {
  const queue = pieces.map((p): BodyRead => ({ kind: "data", bytes: new TextEncoder().encode(p) }));
  const state = { cancelled: false, reads: 0 };
  const b: RequestBody = {
    length,
    read: async () => (state.reads++, queue.shift() ?? end),
    cancel: () => (state.cancelled = true),
  };
  return { body: b, state };
}

const WRITES: SiteOptions = { ...DEFAULT_SITE, upload: true, allowDelete: true };

function setUp(site: Partial<SiteOptions> = {}, files: Record<string, string> = {}) {
  const fs = new FakeFileSystem({ "/srv/old.txt": "old content", "/srv/dir/inner.txt": "x", ...files });
  const options = { ...WRITES, ...site };
  let changes = 0;
  const ctx = { root: new SafeRoot(fs, "/srv", options), site: options, changed: () => void changes++, writer: 4242 };
  const run = (method: string, path: string, b: RequestBody | null = null, headers: [string, string][] = []) =>
    Promise.resolve(write(ctx, head(method, headers), path, "", b));
  return { fs, run, changes: () => changes };
}

function field(response: HttpResponse, name: string): string | undefined {
  return response.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** Nothing of ours left: no temporary file, no open writer. */
function clean(fs: FakeFileSystem): void {
  expect(fs.paths().filter((p) => isTempName(p.slice(p.lastIndexOf("/") + 1)))).toEqual([]);
  expect(fs.openWriters).toBe(0);
  expect(fs.openReaders).toBe(0);
}

describe("PUT", () => {
  it("stores a new file: 201, Location and a strong ETag, flushed and the folder flushed", async () => {
    const { fs, run, changes } = setUp();
    const response = await run("PUT", "/new%20file.txt", body(["hello ", "world"]).body);
    expect(response.status).toBe(201);
    expect(field(response, "Location")).toBe("/new%20file.txt");
    expect(field(response, "ETag")).toMatch(/^"b-0"$/);
    expect(fs.text("/srv/new file.txt")).toBe("hello world");
    expect(fs.syncs).toContain("/srv");
    expect(changes()).toBe(1);
    clean(fs);
  });

  it("replaces a file: 204 with the new ETag", async () => {
    const { fs, run } = setUp();
    const response = await run("PUT", "/old.txt", body(["new"]).body);
    expect(response.status).toBe(204);
    expect(field(response, "ETag")).toBe('"3-0"');
    expect(fs.text("/srv/old.txt")).toBe("new");
    clean(fs);
  });

  it("stores an empty body as an empty file", async () => {
    const { fs, run } = setUp();
    expect((await run("PUT", "/empty", null)).status).toBe(201);
    expect(fs.text("/srv/empty")).toBe("");
  });

  const failures: Array<[string, BodyRead, number]> = [
    ["a client gone mid-body", { kind: "failed", error: null }, 400],
    ["a body that breaks its framing", { kind: "failed", error: httpError("INVALID_CHUNK_SIZE", "bad chunk") }, 400],
    ["a body past the deadline", { kind: "failed", error: httpError("TIMEOUT", "too slow") }, 408],
  ];
  for (const [what, end, status] of failures) {
    it(`${what} leaves the old file and no temporary (${status})`, async () => {
      const { fs, run, changes } = setUp();
      const response = await run("PUT", "/old.txt", body(["partial ", "new"], end).body);
      expect(response.status).toBe(status);
      expect(fs.text("/srv/old.txt")).toBe("old content");
      expect(changes()).toBe(0);
      clean(fs);
    });
  }

  it("a body or port that rejects (a bug, not an outcome) is 500 and still leaves no temporary", async () => {
    const { fs, run } = setUp();
    const broken: RequestBody = { length: null, read: () => Promise.reject(new Error("boom")), cancel: () => {} };
    expect((await run("PUT", "/old.txt", broken)).status).toBe(500);
    expect(fs.text("/srv/old.txt")).toBe("old content");
    clean(fs);
  });

  it("a full disk is 507 and leaves the old file and no temporary", async () => {
    const { fs, run } = setUp();
    fs.diskSpace = 20;
    const response = await run("PUT", "/old.txt", body(["0123456789", "0123456789"]).body);
    expect(response.status).toBe(507);
    expect(fs.text("/srv/old.txt")).toBe("old content");
    clean(fs);
  });

  it("past --max-upload: 413 at once by Content-Length, or as the bytes pass it", async () => {
    const { fs, run } = setUp({ maxUpload: 5 });
    const declared = body(["123456"], { kind: "end" }, 6);
    expect((await run("PUT", "/old.txt", declared.body)).status).toBe(413);
    expect(declared.state).toEqual({ cancelled: true, reads: 0 });
    const chunked = body(["123", "456"]);
    expect((await run("PUT", "/old.txt", chunked.body)).status).toBe(413);
    expect(chunked.state.cancelled).toBe(true);
    expect(fs.text("/srv/old.txt")).toBe("old content");
    clean(fs);
  });

  it("missing folders: 409, or made with --mkdir", async () => {
    const plain = setUp();
    expect((await plain.run("PUT", "/a/b/c.txt", body(["x"]).body)).status).toBe(409);
    const made = setUp({ mkdir: true });
    expect((await made.run("PUT", "/a/b/c.txt", body(["x"]).body)).status).toBe(201);
    expect(made.fs.text("/srv/a/b/c.txt")).toBe("x");
    clean(made.fs);
  });

  it("never a file over a folder, nor a file as a folder (409)", async () => {
    const { fs, run } = setUp({ mkdir: true });
    expect((await run("PUT", "/dir", body(["x"]).body)).status).toBe(409);
    expect((await run("PUT", "/old.txt/under", body(["x"]).body)).status).toBe(409);
    expect((await run("PUT", "/dir/", body(["x"]).body)).status).toBe(409);
    expect(fs.text("/srv/old.txt")).toBe("old content");
    clean(fs);
  });

  it("the path rules of reading: traversal 400, hidden 404, our temporaries 403", async () => {
    const { fs, run } = setUp({ mkdir: true });
    expect((await run("PUT", "/../x", body(["x"]).body)).status).toBe(400);
    expect((await run("PUT", "/%2e%2e/x", body(["x"]).body)).status).toBe(400);
    expect((await run("PUT", "/a%2fb", body(["x"]).body)).status).toBe(400);
    expect((await run("PUT", "/.env", body(["x"]).body)).status).toBe(404);
    expect((await run("PUT", "/.git/config", body(["x"]).body)).status).toBe(404);
    const dotfiles = setUp({ dotfiles: true });
    expect((await dotfiles.run("PUT", "/.a.sundial-4242-0123456789abcdef.tmp", body(["x"]).body)).status).toBe(403);
    expect(fs.paths()).toEqual(["/srv/dir/inner.txt", "/srv/old.txt"]);
  });

  it("If-None-Match: * refuses to overwrite (412) but creates; If-Match must match", async () => {
    const { fs, run } = setUp();
    expect((await run("PUT", "/old.txt", body(["x"]).body, [["if-none-match", "*"]])).status).toBe(412);
    expect((await run("PUT", "/fresh", body(["x"]).body, [["if-none-match", "*"]])).status).toBe(201);
    expect((await run("PUT", "/old.txt", body(["x"]).body, [["if-match", '"0-0"']])).status).toBe(412);
    expect((await run("PUT", "/absent", body(["x"]).body, [["if-match", "*"]])).status).toBe(412);
    expect(fs.text("/srv/old.txt")).toBe("old content");
    expect((await run("PUT", "/old.txt", body(["x"]).body, [["if-match", '"b-0"']])).status).toBe(204);
    clean(fs);
  });

  it("is 405 with Allow when only deletes are on", async () => {
    const { run } = setUp({ upload: false });
    const response = await run("PUT", "/old.txt", body(["x"]).body);
    expect(response.status).toBe(405);
    expect(field(response, "Allow")).toBe("GET, HEAD, OPTIONS, DELETE");
  });
});

describe("DELETE", () => {
  it("removes a file (204), flushes the folder, tells the cache", async () => {
    const { fs, run, changes } = setUp();
    expect((await run("DELETE", "/old.txt")).status).toBe(204);
    expect(fs.text("/srv/old.txt")).toBeUndefined();
    expect(fs.syncs).toContain("/srv");
    expect(changes()).toBe(1);
    clean(fs);
  });

  it("a folder only when empty (else 409); a missing name 404", async () => {
    const { fs, run } = setUp();
    expect((await run("DELETE", "/dir")).status).toBe(409);
    expect((await run("DELETE", "/dir/inner.txt")).status).toBe(204);
    expect((await run("DELETE", "/dir")).status).toBe(204);
    expect((await run("DELETE", "/dir")).status).toBe(404);
    expect((await run("DELETE", "/nowhere/x")).status).toBe(404);
    clean(fs);
  });

  it("If-Match makes it conditional (412)", async () => {
    const { fs, run } = setUp();
    expect((await run("DELETE", "/old.txt", null, [["if-match", '"1-0"']])).status).toBe(412);
    expect(fs.text("/srv/old.txt")).toBe("old content");
    expect((await run("DELETE", "/old.txt", null, [["if-match", '"b-0"']])).status).toBe(204);
  });

  it("is 405 with Allow when only uploads are on", async () => {
    const { run } = setUp({ allowDelete: false });
    const response = await run("DELETE", "/old.txt");
    expect(response.status).toBe(405);
    expect(field(response, "Allow")).toBe("GET, HEAD, OPTIONS, PUT");
  });
});
