import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  download,
  fileSha256,
  GeneratedBody,
  MIB,
  putGenerated,
  RssPeak,
  slowDownload,
  warmUp,
} from "../../support/memory-load.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import { type SparseFolder, sparseFolder } from "../../support/sparse-folder.ts";
import type { SuiteContext } from "../context.ts";

/** Issue 24: what an upload or an archive may add to the server's peak RSS, whatever its size. */
const BOUND_MIB = 32;
const PUT_BYTES = 1024 * MIB;
const FOLDER_BYTES = 2048 * MIB;
/** tar.gz at a quarter of the size: gzip of 2 GiB and gunzip by tar cost 10-20 s more per target on 2 cores. */
const GZ_FOLDER_BYTES = 512 * MIB;
const STEP_MS = 240_000;

/** What reads the archives back: tar and Python's zipfile; without them the part is skipped with the reason. */
const MISSING = ["tar", "python3"].filter((tool) => spawnSync(tool, ["--version"]).error !== undefined);

/** `tar -t` (with -z for gzip) reading from stdin: the names it lists, whether it read the archive whole. */
function tarLister(gzip: boolean): { sink: Writable; done: Promise<{ code: number | null; names: string[] }> } {
  const child = spawn("tar", [gzip ? "-tzf" : "-tf", "-"], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", () => {});
  const done = new Promise<{ code: number | null; names: string[] }>((resolve) =>
    child.once("close", (code) => resolve({ code, names: out.split("\n").filter((n) => n !== "").sort() }))
  );
  return { sink: child.stdin, done };
}

/** Python's zipfile on the saved archive: its names and testzip's verdict (every CRC checked). */
function zipCheck(file: string): Promise<{ bad: string | null; names: string[]; sizes: number }> {
  const script = "import sys, json, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n" +
    "print(json.dumps({'bad': z.testzip(), 'names': sorted(z.namelist()), 'sizes': sum(i.file_size for i in z.infolist())}))";
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", script, file], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.once(
      "close",
      (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`python3 exited ${code}`))),
    );
  });
}

const peakOf = (rss: RssPeak): { growth: number; text: string } => {
  const peak = rss.stop();
  const growth = peak - rss.baselineMiB;
  return { growth, text: `peak RSS ${peak.toFixed(1)} MiB from ${rss.baselineMiB.toFixed(1)} (+${growth.toFixed(1)})` };
};

/**
 * Issue 24's memory bounds, measured: a 1 GiB PUT sent as fast as the socket takes it, and a
 * 2 GiB folder (sparse files: no disk) as tar and zip read as fast as the client can, each raise
 * the server's peak RSS (VmRSS every 50 ms and VmHWM) by at most 32 MiB over the warmed-up
 * server's; what is stored or sent is checked whole. A client reading slowly makes the server
 * read no more of the folder than it sent (/proc/PID/io).
 */
export function memoryBoundTests({ target }: SuiteContext): void {
  if (MISSING.length > 0) {
    describe("uploads and archives: memory stays bounded whatever the size", () => {
      it.skip(`skipped: ${MISSING.join(" and ")} not found (they read the archives back)`, () => {});
    });
    return;
  }
  describe("uploads and archives: memory stays bounded whatever the size", () => {
    let server: RunningSundial | undefined;
    let base = "";
    let root = "";
    let folder: SparseFolder;
    let gzFolder: SparseFolder;
    beforeAll(async () => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-memory-"));
      root = path.join(base, "root");
      folder = sparseFolder(path.join(root, "big"), FOLDER_BYTES);
      gzFolder = sparseFolder(path.join(root, "gz"), GZ_FOLDER_BYTES);
      sparseFolder(path.join(root, "warm"), 4 * MIB);
      server = await startSundial(target, [root, "--upload", "--max-upload", "2g", "--archives"]);
      // The same kinds of request, small, before any baseline: code compiled, buffers made.
      await putGenerated(server.port, "/warm.bin", new GeneratedBody(8 * MIB), 30_000);
      await warmUp(server.port, ["/", "/warm/?download=tar", "/warm/?download=tar.gz", "/warm/?download=zip"]);
    });
    afterAll(async () => {
      await server?.stop();
      fs.rmSync(base, { recursive: true, force: true });
    });

    it(`a 1 GiB PUT raises peak RSS by at most ${BOUND_MIB} MiB, and is stored whole`, async () => {
      const rss = new RssPeak(server!.process.pid!);
      const body = new GeneratedBody(PUT_BYTES);
      const answer = await putGenerated(server!.port, "/upload.bin", body, STEP_MS - 30_000);
      const { growth, text } = peakOf(rss);
      expect(answer?.status).toBe(201);
      expect(fs.statSync(path.join(root, "upload.bin")).size).toBe(PUT_BYTES);
      expect(await fileSha256(path.join(root, "upload.bin"))).toBe(body.digest());
      fs.rmSync(path.join(root, "upload.bin"));
      expect(growth, text).toBeLessThanOrEqual(BOUND_MIB);
    }, STEP_MS);

    it(
      `a 1 GiB upload form (POST multipart/form-data) raises peak RSS by at most ${BOUND_MIB} MiB, stored whole`,
      async () => {
        const rss = new RssPeak(server!.process.pid!);
        const body = new GeneratedBody(PUT_BYTES);
        const answer = await putGenerated(server!.port, "/", body, STEP_MS - 30_000, 0, "form.bin");
        const { growth, text } = peakOf(rss);
        expect(answer?.status).toBe(201);
        expect(fs.statSync(path.join(root, "form.bin")).size).toBe(PUT_BYTES);
        expect(await fileSha256(path.join(root, "form.bin"))).toBe(body.digest());
        fs.rmSync(path.join(root, "form.bin"));
        expect(growth, text).toBeLessThanOrEqual(BOUND_MIB);
      },
      STEP_MS,
    );

    for (const format of ["tar", "tar.gz"] as const) {
      const gz = format === "tar.gz";
      it(
        `a ${
          gz ? "512 MiB" : "2 GiB"
        } folder as ${format} raises peak RSS by at most ${BOUND_MIB} MiB, and tar lists it whole`,
        async () => {
          const lister = tarLister(gz);
          const rss = new RssPeak(server!.process.pid!);
          const got = await download(server!.port, `/${gz ? "gz" : "big"}/?download=${format}`, lister.sink, STEP_MS);
          const { growth, text } = peakOf(rss);
          const listed = await lister.done;
          expect(got.status).toBe(200);
          expect(listed.code).toBe(0);
          expect(listed.names).toEqual((gz ? gzFolder : folder).names);
          if (!gz) expect(got.bytes).toBeGreaterThan(FOLDER_BYTES);
          expect(growth, text).toBeLessThanOrEqual(BOUND_MIB);
        },
        STEP_MS,
      );
    }

    it(
      `a 2 GiB folder as zip raises peak RSS by at most ${BOUND_MIB} MiB, and Python's zipfile checks every CRC`,
      async () => {
        const saved = path.join(base, "saved.zip");
        const rss = new RssPeak(server!.process.pid!);
        const got = await download(server!.port, "/big/?download=zip", fs.createWriteStream(saved), STEP_MS);
        const { growth, text } = peakOf(rss);
        expect(got.status).toBe(200);
        // The write stream's end: the file is whole before Python reads it.
        while (fs.statSync(saved).size < got.bytes) await new Promise((r) => setTimeout(r, 50));
        const view = await zipCheck(saved);
        fs.rmSync(saved);
        expect(view.bad).toBeNull();
        expect(view.names).toEqual(folder.names);
        expect(view.sizes).toBe(folder.bytes);
        expect(growth, text).toBeLessThanOrEqual(BOUND_MIB);
      },
      STEP_MS,
    );

    it("a client reading a 2 GiB tar at 1 MiB/s: the server reads the folder no faster than it sends", async () => {
      const rss = new RssPeak(server!.process.pid!);
      const slow = await slowDownload(server!.port, server!.process.pid!, "/big/?download=tar", MIB, 4000);
      const { growth, text } = peakOf(rss);
      expect(slow.taken).toBeGreaterThan(MIB);
      // What the client took, plus what the socket buffers (the kernel's on both sides) and the
      // send budget hold: not the 2 GiB a server reading ahead would.
      expect(slow.serverRead, `server read ${slow.serverRead} bytes, the client took ${slow.taken}`)
        .toBeLessThan(slow.taken + BOUND_MIB * MIB);
      expect(growth, text).toBeLessThanOrEqual(BOUND_MIB);
    }, 30_000);
  });
}
