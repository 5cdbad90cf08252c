import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
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
import { until } from "../../support/wait.ts";
import type { SuiteContext } from "../context.ts";

const run = promisify(execFile);

const BOUNDARY = "sundialBoundary42";

/** One file part, as a browser frames it (raw bytes: the name is sent as it is given). */
function filePart(filename: string, content: Uint8Array | string): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    "Content-Type: application/octet-stream\r\n\r\n";
  return Buffer.concat([Buffer.from(head, "utf8"), Buffer.from(content), Buffer.from("\r\n")]);
}

function formBody(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

function postHead(target: string, length: number, extra = ""): string {
  return `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
    `Content-Length: ${length}\r\n${extra}\r\n`;
}

/**
 * POST of an upload form (--upload --max-upload 1m) on a folder of its own: files stored whole
 * and checked byte for byte, a browser sent back with 303, bad names and existing names refused
 * with nothing written, a cut or oversized upload leaving no file and no temporary.
 */
export function uploadTests({ target, server: suiteServer }: SuiteContext): void {
  describe("upload forms (POST multipart/form-data, --upload)", () => {
    let server: RunningSundial | undefined;
    let base = "";
    let root = "";
    const at = (p: string): string => `http://127.0.0.1:${server!.port}${p}`;
    /** Every name under the root, to show a refused request wrote nothing. */
    const tree = (): string[] => fs.readdirSync(root, { recursive: true, encoding: "utf8" }).sort();
    const exchange = async (bytes: Buffer) => {
      const result = await rawExchange(server!.port, bytes, { until: hasResponses(1), timeoutMs: 5000 });
      return parseResponses(result.data)[0]!;
    };
    beforeAll(async () => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-upload-"));
      root = path.join(base, "root");
      fs.mkdirSync(path.join(root, "inbox"), { recursive: true });
      fs.writeFileSync(path.join(root, "inbox", "taken.txt"), "the old file");
      server = await startSundial(target, [root, "--upload", "--max-upload", "1m"]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      fs.rmSync(base, { recursive: true, force: true });
    });

    it("curl -F file=@a -F file=@b stores both, byte for byte: 201, the stored URLs", async () => {
      const a = randomBytes(300_000);
      const b = randomBytes(200_001);
      fs.writeFileSync(path.join(base, "a.bin"), a);
      fs.writeFileSync(path.join(base, "b c.bin"), b);
      const { stdout } = await run("curl", [
        "-sS",
        "-i",
        "-F",
        `file=@${path.join(base, "a.bin")}`,
        "-F",
        `file=@${path.join(base, "b c.bin")}`,
        at("/inbox/"),
      ]);
      expect(stdout).toMatch(/^HTTP\/1\.1 201 /m);
      expect(stdout).toMatch(/\r\nLocation: \/inbox\/\r\n/i);
      expect(stdout.endsWith("\r\n\r\n/inbox/a.bin\n/inbox/b%20c.bin\n")).toBe(true);
      expect(sha256(fs.readFileSync(path.join(root, "inbox", "a.bin")))).toBe(sha256(a));
      expect(sha256(fs.readFileSync(path.join(root, "inbox", "b c.bin")))).toBe(sha256(b));
      // Served at once.
      expect(sha256(new Uint8Array(await (await fetch(at("/inbox/b%20c.bin"))).arrayBuffer()))).toBe(sha256(b));
      expect(temporaries(root)).toEqual([]);
    });

    it("a browser's form submit (Accept: text/html) is sent back to the folder with 303", async () => {
      const body = formBody(filePart("from-browser.txt", "hello"));
      const accept = "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n";
      const response = await exchange(Buffer.concat([Buffer.from(postHead("/inbox", body.length, accept)), body]));
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/inbox/");
      expect(fs.readFileSync(path.join(root, "inbox", "from-browser.txt"), "utf8")).toBe("hello");
    });

    it("curl -F folder=new makes a sub-folder", async () => {
      const { stdout } = await run("curl", [
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-F",
        "folder=new",
        at("/"),
      ]);
      expect(stdout).toBe("201");
      expect(fs.statSync(path.join(root, "new")).isDirectory()).toBe(true);
    });

    const badNames: Array<[string, string]> = [
      ["a climb out", "../../x"],
      ["a Windows path", "C:\\x"],
      ["a NUL", "a\0b"],
      ["a control character", "a\x01b"],
      ["a name with a slash", "a/b"],
      ["dot-dot", ".."],
    ];
    for (const [what, name] of badNames) {
      it(`a file name with ${what} is 400, nothing written`, async () => {
        const before = tree();
        const body = formBody(filePart("fine.txt", "fine"), filePart(name, "bad"));
        const response = await exchange(Buffer.concat([Buffer.from(postHead("/inbox/", body.length)), body]));
        expect(response.status).toBe(400);
        expect(tree()).toEqual(before);
        expect(fs.existsSync(path.join(base, "x"))).toBe(false);
      });
    }

    it("an existing name is 409: the old file unchanged, the other files of the request not stored", async () => {
      const before = tree();
      const body = formBody(filePart("other.txt", "other"), filePart("taken.txt", "new content"));
      const response = await exchange(Buffer.concat([Buffer.from(postHead("/inbox/", body.length)), body]));
      expect(response.status).toBe(409);
      expect(fs.readFileSync(path.join(root, "inbox", "taken.txt"), "utf8")).toBe("the old file");
      expect(tree()).toEqual(before);
    });

    it("an upload cut off mid-part commits nothing and leaves no temporary", async () => {
      const before = tree();
      const whole = filePart("first.bin", randomBytes(20_000));
      const cut = filePart("second.bin", randomBytes(40_000)).subarray(0, 30_000);
      const socket = net.connect(server!.port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write(Buffer.concat([Buffer.from(postHead("/inbox/", 100_000)), whole, cut]));
      // The parts were on their way to disk before the client went away.
      expect(await until(() => temporaries(root).length === 2, 5000)).toBe(true);
      socket.destroy();
      expect(await until(() => temporaries(root).length === 0, 5000)).toBe(true);
      expect(tree()).toEqual(before);
    });

    it("past --max-upload: 413, by Content-Length or as a chunked body passes it, nothing left", async () => {
      const before = tree();
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(1024 * 1024)]), "big.bin");
      expect((await fetch(at("/inbox/"), { method: "POST", body: form })).status).toBe(413);
      const body = formBody(filePart("big.bin", new Uint8Array(1024 * 1024)));
      const chunked = Buffer.concat([
        Buffer.from(`POST /inbox/ HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n`),
        Buffer.from(`Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`),
        body,
        Buffer.from("\r\n0\r\n\r\n"),
      ]);
      expect((await exchange(chunked)).status).toBe(413);
      expect(await until(() => temporaries(root).length === 0, 5000)).toBe(true);
      expect(tree()).toEqual(before);
    });

    it("a form far past --max-upload, sent flat out by fetch: its 413 is read every time, not reset", async () => {
      // The 413 goes before the body, and fetch may pause longer than the lingering close's
      // quiet time between its head and its body: the close must wait for the declared body, or
      // fetch's write is reset (EPIPE) before it reads the answer (1 run in 4 on bun and deno).
      const before = tree();
      for (let attempt = 0; attempt < 8; attempt++) {
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(3 * 1024 * 1024)]), "big.bin");
        const response = await fetch(at("/inbox/"), { method: "POST", body: form });
        expect([attempt, response.status]).toEqual([attempt, 413]);
        await response.arrayBuffer();
      }
      expect(tree()).toEqual(before);
    }, 60_000);

    it("OPTIONS and Allow list POST; a POST that is no form is 415", async () => {
      const options = await fetch(at("/inbox/"), { method: "OPTIONS" });
      expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST, PUT");
      const plain = await fetch(at("/inbox/"), {
        method: "POST",
        body: "x",
        headers: { "Content-Type": "text/plain" },
      });
      expect(plain.status).toBe(415);
    });

    it("without --upload a POST is 405 with Allow: GET, HEAD", async () => {
      const body = formBody(filePart("nope.txt", "x"));
      const result = await rawExchange(
        suiteServer().port,
        Buffer.concat([Buffer.from(postHead("/", body.length)), body]),
        { until: hasResponses(1), timeoutMs: 5000 },
      );
      const response = parseResponses(result.data)[0]!;
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    });
  });
}
