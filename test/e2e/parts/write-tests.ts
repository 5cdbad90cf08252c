import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import { sha256, temporaries } from "../../support/upload-files.ts";
import type { SuiteContext } from "../context.ts";

const run = promisify(execFile);

/**
 * PUT and DELETE (--upload --allow-delete --mkdir --max-upload 1m) on a folder of their own, with
 * a folder outside it that symlinks lead to: nothing lost, nothing torn, nothing outside touched.
 */
export function writeTests({ target }: SuiteContext): void {
  describe("writing files (--upload, --allow-delete)", () => {
    let server: RunningSundial | undefined;
    let base = "";
    let root = "";
    let outside = "";
    const at = (p: string): string => `http://127.0.0.1:${server!.port}${p}`;
    const status = async (method: string, target: string): Promise<number> => {
      const result = await rawExchange(
        server!.port,
        `${method} ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx`,
        {
          until: hasResponses(1),
          timeoutMs: 5000,
        },
      );
      return parseResponses(result.data)[0]!.status;
    };
    beforeAll(async () => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-write-"));
      root = path.join(base, "root");
      outside = path.join(base, "outside");
      fs.mkdirSync(path.join(root, "full"), { recursive: true });
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(root, "full", "keep.txt"), "keep");
      fs.writeFileSync(path.join(outside, "secret.txt"), "secret");
      fs.symlinkSync(outside, path.join(root, "out"));
      fs.symlinkSync(path.join(outside, "secret.txt"), path.join(root, "link.txt"));
      const args = [root, "--upload", "--allow-delete", "--mkdir", "--max-upload", "1m", "--cache-ttl", "60s"];
      server = await startSundial(target, args);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      fs.rmSync(base, { recursive: true, force: true });
    });

    it("curl -T stores a file (201, Location, ETag); a GET serves it at once, also after a replace (204)", async () => {
      const file = path.join(base, "upload.bin");
      fs.writeFileSync(file, "first version");
      const { stdout } = await run("curl", ["-sS", "-i", "-T", file, at("/docs/a.txt")]);
      // curl sends Expect: 100-continue: a 100 comes first.
      expect(stdout).toMatch(/^HTTP\/1\.1 201 /m);
      expect(stdout).toMatch(/\r\nLocation: \/docs\/a\.txt\r\n/i);
      expect(stdout).toMatch(/\r\nETag: "[0-9a-f]+-[0-9a-f]+"\r\n/i);
      expect(await (await fetch(at("/docs/a.txt"))).text()).toBe("first version");
      const replaced = await fetch(at("/docs/a.txt"), { method: "PUT", body: "second" });
      expect(replaced.status).toBe(204);
      // --cache-ttl 60s: served fresh only because the write cleared the cache.
      const read = await fetch(at("/docs/a.txt"));
      expect(await read.text()).toBe("second");
      expect(read.headers.get("etag")).toBe(replaced.headers.get("etag"));
      expect(temporaries(root)).toEqual([]);
    });

    it("conditions: If-None-Match: * and a stale If-Match are 412, the file unchanged", async () => {
      await fetch(at("/cond.txt"), { method: "PUT", body: "v1" });
      expect((await fetch(at("/cond.txt"), { method: "PUT", body: "v2", headers: { "If-None-Match": "*" } })).status)
        .toBe(412);
      expect((await fetch(at("/cond.txt"), { method: "PUT", body: "v2", headers: { "If-Match": '"1-1"' } })).status)
        .toBe(412);
      expect((await fetch(at("/cond.txt"), { method: "DELETE", headers: { "If-Match": '"1-1"' } })).status).toBe(412);
      expect(fs.readFileSync(path.join(root, "cond.txt"), "utf8")).toBe("v1");
    });

    it("traversal, hidden names, symlinks and folders are refused, nothing written outside", async () => {
      expect(await status("PUT", "/../escape.txt")).toBe(400);
      expect(await status("PUT", "/%2e%2e/escape.txt")).toBe(400);
      expect(await status("PUT", "/docs/..%2f..%2fescape.txt")).toBe(400);
      expect(await status("PUT", "/.env")).toBe(404);
      expect(await status("PUT", "/out/new.txt")).toBe(403);
      expect(await status("PUT", "/link.txt")).toBe(403);
      expect(await status("DELETE", "/link.txt")).toBe(403);
      expect(await status("PUT", "/full")).toBe(409);
      expect(fs.readdirSync(outside)).toEqual(["secret.txt"]);
      expect(fs.readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe("secret");
      expect(fs.existsSync(path.join(base, "escape.txt"))).toBe(false);
    });

    it("an upload cut off mid-body leaves the old file and no temporary", async () => {
      fs.writeFileSync(path.join(root, "old.txt"), "old content");
      const socket = net.connect(server!.port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write("PUT /old.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "n".repeat(50_000));
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fs.readFileSync(path.join(root, "old.txt"), "utf8")).toBe("old content");
      expect(temporaries(root)).toEqual([]);
    });

    it("past --max-upload: 413, the old file kept", async () => {
      const response = await fetch(at("/old.txt"), { method: "PUT", body: new Uint8Array(1024 * 1024 + 1) });
      expect(response.status).toBe(413);
      expect(fs.readFileSync(path.join(root, "old.txt"), "utf8")).toBe("old content");
      expect(temporaries(root)).toEqual([]);
    });

    it("20 concurrent PUTs to one path: one of the bodies, whole", async () => {
      const bodies = Array.from({ length: 20 }, (_, i) => new Uint8Array(200_000).fill(65 + i));
      const responses = await Promise.all(bodies.map((body) => fetch(at("/race.bin"), { method: "PUT", body })));
      for (const r of responses) expect([201, 204]).toContain(r.status);
      const stored = fs.readFileSync(path.join(root, "race.bin"));
      expect(bodies.map((b) => sha256(b))).toContain(sha256(stored));
      expect(temporaries(root)).toEqual([]);
    });

    it("DELETE: a file 204 (then 404), a folder only when empty (409), OPTIONS and 405 list the methods", async () => {
      await fetch(at("/gone.txt"), { method: "PUT", body: "x" });
      expect((await fetch(at("/gone.txt"), { method: "DELETE" })).status).toBe(204);
      expect((await fetch(at("/gone.txt"))).status).toBe(404);
      expect((await fetch(at("/full"), { method: "DELETE" })).status).toBe(409);
      expect(fs.existsSync(path.join(root, "full", "keep.txt"))).toBe(true);
      const options = await fetch(at("/anything"), { method: "OPTIONS" });
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST, PUT, DELETE");
      const patch = await fetch(at("/x"), { method: "PATCH", body: "x" });
      expect(patch.status).toBe(405);
      expect(patch.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST, PUT, DELETE");
    });
  });
}
