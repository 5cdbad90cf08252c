// bun bench/attacks/memory-bounds.ts [TARGETS] [PUT_MIB] [FOLDER_MIB] [STEPS]: issue 24's memory bounds.
// Per target (default node,deno,bun,node-exe,bun-exe; build them first): a PUT of PUT_MIB
// (default 1024) sent as fast as the socket takes it, then ?download=tar, tar.gz and zip of a
// sparse folder of FOLDER_MIB (default 2048) read as fast as possible, then tar read at 1 MiB/s
// for 5 s (STEPS: a comma-separated subset of put,tar,tar.gz,zip,slow). Prints the server's RSS after warm-up and its peak during each (VmRSS every 50 ms
// and VmHWM), and for the slow reader how much the server read against what the client took.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { startSundial, TARGETS } from "../../test/support/server-process.ts";
import {
  download,
  fileSha256,
  GeneratedBody,
  MIB,
  putGenerated,
  RssPeak,
  slowDownload,
  warmUp,
} from "../../test/support/memory-load.ts";
import { sparseFolder } from "../../test/support/sparse-folder.ts";

const [
  names = "node,deno,bun,node-exe,bun-exe",
  putMiB = "1024",
  folderMiB = "2048",
  steps = "put,tar,tar.gz,zip,slow",
] = process.argv.slice(2);
const run = new Set(steps.split(","));
const base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-membench-"));
const upload = path.join(base, "upload");
fs.mkdirSync(upload);
sparseFolder(path.join(upload, "folder"), Number(folderMiB) * MIB);
fs.mkdirSync(path.join(upload, "warm"));
fs.writeFileSync(path.join(upload, "warm", "w.txt"), "warm\n");

const devNull = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });
const line = (what: string, rss: RssPeak): string => {
  const peak = rss.stop();
  return `${what}: ${rss.baselineMiB.toFixed(1)} -> ${peak.toFixed(1)} MiB (+${(peak - rss.baselineMiB).toFixed(1)})`;
};

for (const name of names.split(",")) {
  const target = TARGETS.find((t) => t.name === name)!;
  const server = await startSundial(target, [upload, "--upload", "--max-upload", "4g", "--archives"]);
  const pid = server.process.pid!;
  await warmUp(server.port, [
    "/",
    "/folder/small.txt",
    "/warm/?download=tar",
    "/warm/?download=tar.gz",
    "/warm/?download=zip",
  ]);
  if (run.has("put")) await put(server.port, pid, name);
  for (const format of ["tar", "tar.gz", "zip"]) {
    if (!run.has(format)) continue;
    const rss = new RssPeak(pid);
    const t0 = Date.now();
    const got = await download(server.port, `/folder/?download=${format}`, devNull(), 600_000);
    console.log(`${name}: ${line(`${format} ${(got.bytes / MIB).toFixed(0)} MiB in ${Date.now() - t0} ms`, rss)}`);
  }
  if (run.has("slow")) await slowTar(server.port, pid, name);
  await server.stop();
}
fs.rmSync(base, { recursive: true, force: true });

async function put(port: number, pid: number, name: string): Promise<void> {
  const rss = new RssPeak(pid);
  const body = new GeneratedBody(Number(putMiB) * MIB);
  const started = Date.now();
  const answer = await putGenerated(port, "/put.bin", body, 600_000);
  const took = Date.now() - started;
  const same = (await fileSha256(path.join(upload, "put.bin"))) === body.digest();
  console.log(`${name}: ${line(`PUT ${putMiB} MiB ${answer?.status} in ${took} ms, sha256 ${same}`, rss)}`);
  fs.rmSync(path.join(upload, "put.bin"), { force: true });
}

async function slowTar(port: number, pid: number, name: string): Promise<void> {
  const rss = new RssPeak(pid);
  const slow = await slowDownload(port, pid, "/folder/?download=tar", MIB, 5000);
  console.log(
    `${name}: ${
      line(
        `slow tar: client took ${(slow.taken / MIB).toFixed(1)} MiB, server read ${
          (slow.serverRead / MIB).toFixed(1)
        } MiB`,
        rss,
      )
    }`,
  );
}
