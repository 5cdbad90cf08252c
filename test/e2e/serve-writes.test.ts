/**
 * The library's door to issue 24's file options: serve({ static: { upload, mkdir, allowDelete,
 * maxUpload, archives }, auth: { paths } }) means what --upload, --mkdir, --allow-delete,
 * --max-upload, --archives and --auth-path mean, and a start removes stale upload temporaries
 * as the command line does. In process, on Node's adapter (the command line's door runs on every
 * target in parts/write-tests.ts, archive-tests.ts, auth-path-tests.ts and crash-tests.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../runtime-adapters/node/serve.ts";
import type { Server } from "../../src/compose/server.ts";

const AUTH = { Authorization: `Basic ${Buffer.from("alice:secret").toString("base64")}` };
const STALE = ".old.txt.sundial-1-0123456789abcdef.tmp";

describe("serve({ static: { upload, mkdir, allowDelete, maxUpload, archives }, auth: { paths } })", () => {
  let server: Server;
  let root: string;
  const at = (p: string): string => new URL(p, server.url!).href;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-serve-writes-"));
    fs.mkdirSync(path.join(root, "inbox"));
    fs.writeFileSync(path.join(root, "old.txt"), "old\n");
    fs.writeFileSync(path.join(root, STALE), "left by a crash");
    server = await serve({
      fetch: () => new Response("app"),
      port: 0,
      hostname: "127.0.0.1",
      trustProxy: "127.0.0.1",
      static: { root, upload: true, mkdir: true, allowDelete: true, maxUpload: 1000, archives: true },
      auth: { users: ["alice:secret"], scope: "writes", paths: ["/inbox/"] },
    }).ready();
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("a start removes the temporaries a killed process left (as --upload does)", () => {
    expect(fs.existsSync(path.join(root, STALE))).toBe(false);
    expect(fs.readFileSync(path.join(root, "old.txt"), "utf8")).toBe("old\n");
  });

  it("upload and mkdir: PUT stores a file, making its folders", async () => {
    const put = await fetch(at("/new/deep/a.txt"), { method: "PUT", body: "alpha" });
    expect([put.status, put.headers.get("location")]).toEqual([201, "/new/deep/a.txt"]);
    expect(fs.readFileSync(path.join(root, "new", "deep", "a.txt"), "utf8")).toBe("alpha");
    expect(await (await fetch(at("/new/deep/a.txt"))).text()).toBe("alpha");
  });

  it("maxUpload: a larger body is 413, and nothing is stored", async () => {
    const put = await fetch(at("/big.bin"), { method: "PUT", body: "x".repeat(1001) });
    expect(put.status).toBe(413);
    expect(fs.existsSync(path.join(root, "big.bin"))).toBe(false);
  });

  it("allowDelete: DELETE removes a file", async () => {
    fs.writeFileSync(path.join(root, "gone.txt"), "x");
    expect((await fetch(at("/gone.txt"), { method: "DELETE" })).status).toBe(204);
    expect(fs.existsSync(path.join(root, "gone.txt"))).toBe(false);
  });

  it("auth.paths with scope writes: only writes under /inbox need the password", async () => {
    expect((await fetch(at("/inbox/x.txt"), { method: "PUT", body: "x" })).status).toBe(401);
    expect((await fetch(at("/%69nbox/x.txt"), { method: "PUT", body: "x" })).status).toBe(401);
    expect(fs.existsSync(path.join(root, "inbox", "x.txt"))).toBe(false);
    expect((await fetch(at("/inbox/x.txt"), { method: "PUT", body: "x", headers: AUTH })).status).toBe(201);
    expect(await (await fetch(at("/inbox/x.txt"))).text()).toBe("x");
  });

  it("archives: ?download=zip sends the folder, and HEAD its fields", async () => {
    const zip = await fetch(at("/new/?download=zip"));
    expect([zip.status, zip.headers.get("content-type")]).toEqual([200, "application/zip"]);
    expect(zip.headers.get("content-disposition")).toBe(`attachment; filename="new.zip"; filename*=UTF-8''new.zip`);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));
    expect(bytes.includes(Buffer.from("deep/a.txt"))).toBe(true);
    const head = await fetch(at("/new/?download=zip"), { method: "HEAD" });
    expect([head.status, head.headers.get("content-type")]).toEqual([200, "application/zip"]);
  });
});

describe("serve() refuses what the flags refuse", () => {
  it("a bad auth path or maxUpload is an error at start, naming the option", async () => {
    const start = (options: Partial<Parameters<typeof serve>[0]>) =>
      serve({ fetch: () => new Response(), port: 0, hostname: "127.0.0.1", ...options }).ready();
    await expect(start({ auth: { users: ["a:b"], paths: ["inbox"] } })).rejects.toThrow(/auth\.paths/);
    await expect(start({ static: { root: os.tmpdir(), maxUpload: -1 } })).rejects.toThrow(/static\.maxUpload/);
  });
});
