import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ParsedResponse, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

const LONG_NAME = `${"long-name-".repeat(12)}end.txt`;
const UNICODE_NAME = "caf\u00e9 \u6f22\u5b57.txt";
const OUTSIDE_SECRET = "ARCHIVE-OUTSIDE-SECRET";

/** A folder with what an archive must hold and what it must leave out (a dotfile, a symlink out of the root). */
function archiveFixture(): { base: string; root: string; big: Buffer } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-archive-"));
  const root = path.join(base, "site");
  const big = crypto.randomBytes(300_000);
  fs.mkdirSync(path.join(root, "sub", "deep"), { recursive: true });
  fs.mkdirSync(path.join(root, "empty"));
  fs.writeFileSync(path.join(root, "a.txt"), "alpha\n");
  fs.writeFileSync(path.join(root, "sub", "big.bin"), big);
  fs.writeFileSync(path.join(root, "sub", "deep", "c.txt"), "gamma\n");
  fs.writeFileSync(path.join(root, "sub", LONG_NAME), "long\n");
  fs.writeFileSync(path.join(root, UNICODE_NAME), "unicode\n");
  fs.writeFileSync(path.join(root, ".env"), "DOTFILE\n");
  fs.writeFileSync(path.join(base, "outside.txt"), OUTSIDE_SECRET);
  fs.symlinkSync(path.join(base, "outside.txt"), path.join(root, "out-link"));
  fs.symlinkSync("a.txt", path.join(root, "in-link"));
  fs.symlinkSync("..", path.join(root, "sub", "loop"));
  return { base, root, big };
}

const EXPECTED = [
  "a.txt",
  "empty/",
  "in-link",
  "sub/",
  "sub/big.bin",
  "sub/deep/",
  "sub/deep/c.txt",
  `sub/${LONG_NAME}`,
  UNICODE_NAME,
].sort();

/** Python's own readers: names (folders with a slash), a digest per file, and testzip's verdict. */
const PYTHON = `
import sys, json, hashlib, tarfile, zipfile
kind, file = sys.argv[1], sys.argv[2]
out = {}
if kind == "zip":
    z = zipfile.ZipFile(file)
    out["bad"] = z.testzip()
    out["names"] = sorted(z.namelist())
    out["files"] = {n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if not n.endswith("/")}
else:
    t = tarfile.open(file, "r:*")
    members = t.getmembers()
    out["names"] = sorted(m.name + ("/" if m.isdir() else "") for m in members)
    out["files"] = {m.name: hashlib.sha256(t.extractfile(m).read()).hexdigest() for m in members if m.isfile()}
print(json.dumps(out))
`;

interface PythonView {
  readonly bad?: string | null;
  readonly names: string[];
  readonly files: Record<string, string>;
}

const sha = (data: string | Buffer): string => crypto.createHash("sha256").update(data).digest("hex");

/** Folders as archives (issue 24): --archives, ?download=tar|tar.gz|zip, read back by tar, unzip and Python. */
export function archiveTests({ target }: SuiteContext): void {
  describe.skipIf(target.skip !== undefined)("folders as archives (--archives)", () => {
    let fixture: ReturnType<typeof archiveFixture>;
    let on: RunningSundial;
    let off: RunningSundial;
    let saved: string;
    beforeAll(async () => {
      fixture = archiveFixture();
      saved = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-archive-out-"));
      [on, off] = await Promise.all([
        startSundial(target, [fixture.root, "--archives"]),
        startSundial(target, [fixture.root]),
      ]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([on?.stop(), off?.stop()]);
      fs.rmSync(fixture.base, { recursive: true, force: true });
      fs.rmSync(saved, { recursive: true, force: true });
    });

    const download = async (server: RunningSundial, target: string, file: string): Promise<Response> => {
      const response = await fetch(`http://127.0.0.1:${server.port}${target}`);
      fs.writeFileSync(path.join(saved, file), Buffer.from(await response.arrayBuffer()));
      return response;
    };
    const python = (kind: string, file: string): PythonView =>
      JSON.parse(execFileSync("/usr/bin/python3", ["-c", PYTHON, kind, path.join(saved, file)]).toString());
    const expectContents = (view: PythonView, prefix = ""): void => {
      expect(view.files[`${prefix}a.txt`]).toBe(sha("alpha\n"));
      expect(view.files[`${prefix}in-link`]).toBe(sha("alpha\n"));
      expect(view.files[`${prefix}sub/big.bin`]).toBe(sha(fixture.big));
      expect(view.files[`${prefix}sub/${LONG_NAME}`]).toBe(sha("long\n"));
      expect(view.files[`${prefix}${UNICODE_NAME}`]).toBe(sha("unicode\n"));
    };

    it("sends a zip that unzip and Python's zipfile read whole, without the dotfile and the symlink out of the root", async () => {
      const response = await download(on, "/?download=zip", "site.zip");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/zip");
      expect(response.headers.get("content-disposition")).toBe(
        `attachment; filename="site.zip"; filename*=UTF-8''site.zip`,
      );
      expect(response.headers.get("content-length")).toBeNull();
      const view = python("zip", "site.zip");
      expect(view.bad).toBeNull();
      expect(view.names).toEqual(EXPECTED);
      expectContents(view);
      expect(execFileSync("unzip", ["-t", path.join(saved, "site.zip")]).toString()).toContain("No errors detected");
    });

    it("sends a tar and a tar.gz that tar and Python's tarfile read whole (pax names past 100 bytes, UTF-8)", async () => {
      const tar = await download(on, "/?download=tar", "site.tar");
      expect(tar.headers.get("content-type")).toBe("application/x-tar");
      const gz = await download(on, "/?download=tar.gz", "site.tar.gz");
      expect(gz.headers.get("content-type")).toBe("application/gzip");
      for (const file of ["site.tar", "site.tar.gz"]) {
        const view = python("tar", file);
        expect(view.names.map((n) => n.replace(/\/+$/, "/"))).toEqual(EXPECTED);
        expectContents(view);
        const listed = execFileSync("tar", ["-tf", path.join(saved, file)]).toString();
        expect(listed).toContain(`sub/${LONG_NAME}`);
        expect(listed).not.toContain(".env");
        expect(listed).not.toContain("out-link");
      }
    });

    it("archives a subfolder under its own name, and follows a symlink loop only until it meets a folder again", async () => {
      const response = await download(on, "/sub/?download=zip", "sub.zip");
      expect(response.headers.get("content-disposition")).toContain("filename*=UTF-8''sub.zip");
      const view = python("zip", "sub.zip");
      expect(view.names).toEqual(expect.arrayContaining(["big.bin", "deep/", "deep/c.txt", LONG_NAME, "loop/a.txt"]));
      // sub/loop -> .. is the root, archived once; the root's sub/ inside it is sub itself: left out.
      expect(view.names.filter((n) => n.startsWith("loop/sub"))).toEqual([]);
    });

    it("links the three archives from the listing", async () => {
      const page = await (await fetch(`http://127.0.0.1:${on.port}/sub/`)).text();
      for (const format of ["zip", "tar.gz", "tar"]) expect(page).toContain(`href="?download=${format}"`);
    });

    it("without --archives, the query is ignored: the listing as before, no links", async () => {
      const response = await fetch(`http://127.0.0.1:${off.port}/?download=zip`);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).not.toContain("?download=");
    });

    it("answers a file, a folder without its slash and a hidden folder as without --archives", async () => {
      expect(await (await fetch(`http://127.0.0.1:${on.port}/a.txt?download=zip`)).text()).toBe("alpha\n");
      const redirect = await fetch(`http://127.0.0.1:${on.port}/sub?download=zip`, { redirect: "manual" });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get("location")).toBe("sub/?download=zip");
      expect((await fetch(`http://127.0.0.1:${on.port}/out-link/?download=zip`)).status).toBe(404);
    });

    it("HEAD answers GET's status and fields (no body, over raw TCP), for each format", async () => {
      // The head's field lines but Date, which may tick between the two.
      const fields = (response: ParsedResponse): string[] =>
        response.head.split("\r\n").slice(1).filter((line) => line !== "" && !/^date:/i.test(line));
      for (const format of ["zip", "tar.gz", "tar"]) {
        const exchange = (method: string) =>
          rawExchange(on.port, `${method} /sub/?download=${format} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, {
            timeoutMs: 5000,
          });
        const [get] = parseResponses((await exchange("GET")).data, { ended: true });
        const head = await exchange("HEAD");
        const [headed] = parseResponses(head.data, { heads: [true], ended: true });
        expect(headed!.status).toBe(200);
        expect(fields(headed!)).toEqual(fields(get!));
        expect(fields(get!)).toContain("Transfer-Encoding: chunked");
        // Nothing after the head: the body of a HEAD is never sent.
        expect(head.data.toString("latin1").endsWith("\r\n\r\n")).toBe(true);
      }
    });
  });
}
