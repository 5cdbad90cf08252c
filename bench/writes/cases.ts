// What the writes bench does to a server, and how each case is measured: the site it makes once
// (a folder of 200 files for the archives, a file of the same size, a file to upload), a PUT of
// one big file and wrk's small PUTs, downloads, and local tar and gzip as a reference.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { peakRssMiB, resetPeakRss, rssMiB, treeCpuSeconds } from "../harness/proc.ts";
import { LOAD_CORE, measure, SERVER_CORE, type Started } from "../harness/processes.ts";
import { REPO } from "../harness/repo.ts";

const MiB = 1024 * 1024;
export const FOLDER_FILES = 200;
export const FOLDER_BYTES = 512 * MiB;
export const UPLOAD_BYTES = 256 * MiB;
export const SMALL_BYTES = 4096;

export interface Site {
  readonly work: string;
  /** Served by every server: data/ (the archived folder, 4 subfolders), big.bin, probe.txt, the upload folders. */
  readonly site: string;
  /** The body of the big PUT (outside the site). */
  readonly upload: string;
}

/** Writes `bytes` of a random pool (64 MiB, far beyond deflate's 32 KiB window: incompressible) from a random offset. */
function writeRandom(file: string, bytes: number, pool: Buffer): void {
  const fd = fs.openSync(file, "w");
  let offset = Math.floor(Math.random() * pool.length);
  for (let left = bytes; left > 0;) {
    const piece = Math.min(left, pool.length - offset, 4 * MiB);
    fs.writeSync(fd, pool, offset, piece);
    left -= piece;
    offset = (offset + piece) % pool.length;
  }
  fs.closeSync(fd);
}

/** The site, made once per run: 200 files of 0.2 to 5 MiB (512 MiB in all), a 512 MiB file, the 256 MiB body. */
export function makeSite(): Site {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-bench-writes-"));
  fs.chmodSync(work, 0o755); // nginx's worker runs as an unprivileged user
  const site = path.join(work, "site");
  fs.mkdirSync(site, { mode: 0o777 });
  fs.chmodSync(site, 0o777); // nginx's worker creates its upload folders here
  const pool = randomBytes(64 * MiB);
  const weights = Array.from({ length: FOLDER_FILES }, (_, i) => 1 + (i % 20));
  const total = weights.reduce((a, b) => a + b, 0);
  let left = FOLDER_BYTES;
  weights.forEach((weight, i) => {
    const folder = path.join(site, "data", "abcd"[i % 4]!);
    fs.mkdirSync(folder, { recursive: true });
    const size = i === FOLDER_FILES - 1 ? left : Math.floor((FOLDER_BYTES * weight) / total);
    writeRandom(path.join(folder, `file-${String(i).padStart(3, "0")}.bin`), size, pool);
    left -= size;
  });
  writeRandom(path.join(site, "big.bin"), FOLDER_BYTES, pool);
  fs.writeFileSync(path.join(site, "probe.txt"), "ok\n");
  const upload = path.join(work, "upload.bin");
  writeRandom(upload, UPLOAD_BYTES, pool);
  return { work, site, upload };
}

/** A folder for one case's uploads, empty, writable by nginx's worker. */
export function uploadFolder(site: string, name: string): string {
  const folder = path.join(site, name);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { mode: 0o777 });
  fs.chmodSync(folder, 0o777);
  return `/${name}`;
}

function run(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Flushes every file system (the kernel's dirty pages), in seconds. */
export async function syncDisks(): Promise<number> {
  const began = performance.now();
  await run(["sync"]);
  return (performance.now() - began) / 1000;
}

/** What one case measured. */
export interface Outcome {
  /** Bytes moved (a PUT's body, a response's body) or requests answered (wrk). */
  readonly amount: number;
  readonly seconds: number;
  /** Server CPU time (user + system, with its children) during the case, in seconds. */
  readonly cpuSeconds: number;
  /** Peak RSS of the server during the case (VmHWM after a reset; sampled if no reset), in MiB. */
  readonly peakRssMiB: number;
  /** What went wrong (a status, a socket error), if anything. */
  readonly error?: string;
  /** The download stopped at its time cap before the end (its rate is over what arrived). */
  readonly capped?: boolean;
  /** `sync` right after a PUT: the writing-back the server left to the kernel, in seconds. */
  readonly syncSeconds?: number;
}

/** Runs `body` against the server with its CPU time and peak RSS taken around it (dirty pages flushed before). */
async function around(
  started: Started,
  body: () => Promise<Omit<Outcome, "cpuSeconds" | "peakRssMiB">>,
): Promise<Outcome> {
  const pid = started.child.pid!;
  await syncDisks();
  const reset = resetPeakRss(pid);
  let sampled = rssMiB(pid);
  const sampler = setInterval(() => (sampled = Math.max(sampled, rssMiB(pid))), 50);
  const cpuBefore = treeCpuSeconds(pid);
  const outcome = await body();
  const cpuSeconds = treeCpuSeconds(pid) - cpuBefore;
  clearInterval(sampler);
  return { ...outcome, cpuSeconds, peakRssMiB: reset ? peakRssMiB(pid) : Math.max(sampled, rssMiB(pid)) };
}

interface ClientResult {
  readonly status: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly complete: boolean;
  /** What curl said when it failed (its stderr). */
  readonly failure?: string;
}

/**
 * curl, pinned to the load core: it streams a PUT's body from the file and reads a response at
 * a cost far below the servers' (a client on Node was the bottleneck of nginx's sendfile).
 * `Expect:` is sent empty so that the body does not wait for a `100 Continue`.
 */
async function curl(args: readonly string[], capSeconds?: number): Promise<ClientResult> {
  const format = "%{http_code} %{size_download} %{size_upload} %{time_total}";
  const cap = capSeconds === undefined ? [] : ["--max-time", String(capSeconds)];
  const { code, stdout, stderr } = await run([
    "taskset",
    "-c",
    String(LOAD_CORE),
    "curl",
    "-sS",
    "-o",
    "/dev/null",
    "-H",
    "Expect:",
    "-w",
    format,
    ...cap,
    ...args,
  ]);
  const [status, down, up, seconds] = stdout.trim().split(" ").map(Number);
  const failure = code === 0 || code === 28 ? undefined : stderr.trim();
  return {
    status: status ?? 0,
    bytes: Math.max(down ?? 0, up ?? 0),
    seconds: seconds ?? 0,
    complete: code === 0,
    ...(failure === undefined ? {} : { failure }),
  };
}

/** One PUT of the big file, then `sync` (timed apart: what the server left unflushed). */
export function putBig(started: Started, site: Site, target: string): Promise<Outcome> {
  return around(started, async () => {
    const result = await curl(["-T", site.upload, `http://127.0.0.1:${started.port}${target}`]);
    const syncSeconds = await syncDisks();
    const ok = (result.status === 201 || result.status === 204) && result.complete;
    return {
      amount: UPLOAD_BYTES,
      seconds: result.seconds,
      syncSeconds,
      ...(ok ? {} : { error: `status ${result.status} ${result.failure ?? ""}`.trim() }),
    };
  });
}

/** One GET read to its end or for `capSeconds`, whichever comes first. */
export function download(started: Started, target: string, capSeconds: number): Promise<Outcome> {
  return around(started, async () => {
    const result = await curl([`http://127.0.0.1:${started.port}${target}`], capSeconds);
    return {
      amount: result.bytes,
      seconds: result.seconds,
      capped: !result.complete,
      ...(result.status === 200 ? {} : { error: `status ${result.status} ${result.failure ?? ""}`.trim() }),
    };
  });
}

/** wrk for `seconds` with `connections`, each request a PUT of a new 4 KiB file under `prefix`. */
export function smallPuts(started: Started, prefix: string, connections: number, seconds: number): Promise<Outcome> {
  return around(started, async () => {
    const script = [path.join(REPO, "bench/writes/put.lua"), prefix];
    const { wrk } = await measure(started, prefix, connections, seconds, 100, script);
    const bad = wrk.non2xx + wrk.socketErrors;
    return {
      amount: wrk.requests,
      seconds,
      ...(bad > 0 || wrk.requests === 0 ? { error: `${wrk.non2xx} non-2xx, ${wrk.socketErrors} socket errors` } : {}),
    };
  });
}

/**
 * A shell pipeline on the server core, timed by bash (`time`: wall, and user + system of every
 * process in it); `amount` is the bytes it moves.
 */
export async function localPipeline(pipeline: string, amount: number): Promise<Outcome> {
  await syncDisks();
  const script = `TIMEFORMAT='%R %U %S'; time (${pipeline})`;
  const { stderr } = await run(["taskset", "-c", String(SERVER_CORE), "bash", "-c", script]);
  const [real, user, system] = stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
  if (!(real! > 0)) return { amount, seconds: 0, cpuSeconds: 0, peakRssMiB: 0, error: stderr.trim() };
  return { amount, seconds: real!, cpuSeconds: user! + system!, peakRssMiB: Number.NaN };
}
