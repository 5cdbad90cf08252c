import { describe, expect, it } from "vitest";
import type { BodyRead, RequestBody } from "../../../../src/http/request-body.ts";
import { httpError } from "../../../../src/http/http-error.ts";
import { body, clean, field, setUp } from "./write-harness.ts";

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

  it("If-None-Match: * stays true to the end: a file made while the body arrives is kept (412)", async () => {
    const { fs, run, changes } = setUp();
    // Another writer creates the name after the check, while this body is still arriving.
    const racing: RequestBody = {
      length: null,
      read: async () => {
        if (fs.text("/srv/fresh") === undefined) {
          const dir = (await fs.open("/srv"))!;
          const other = await dir.create("fresh");
          if (other.kind === "writer") await other.write(new TextEncoder().encode("theirs")), await other.close();
          await dir.close();
          return { kind: "data", bytes: new TextEncoder().encode("mine") };
        }
        return { kind: "end" };
      },
      cancel: () => {},
    };
    expect((await run("PUT", "/fresh", racing, [["if-none-match", "*"]])).status).toBe(412);
    expect(fs.text("/srv/fresh")).toBe("theirs");
    expect(changes()).toBe(0);
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
    expect(field(response, "Allow")).toBe("GET, HEAD, OPTIONS, POST, PUT");
  });
});
