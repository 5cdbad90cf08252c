// h2load (nghttp2's HTTP/2 load generator) pinned to a core, and its summary read.
import { spawn } from "node:child_process";

export interface H2loadResult {
  /** Requests answered 2xx per second of the run. */
  readonly requestsPerSec: number;
  /** Responses complete with a 2xx status (h2load's succeeded, which counts 2xx and 3xx, less the 3xx). */
  readonly ok: number;
  /** h2load's failed (a status of 4xx or 5xx, or errored: a reset, the network), and the 3xx. */
  readonly failed: number;
  readonly threeXx: number;
  /** Responses not 2xx. */
  readonly non2xx: number;
  /** DATA payload bytes received, and the run's length in seconds ("finished in"). */
  readonly dataBytes: number;
  readonly seconds: number;
  readonly raw: string;
}

/** How much load: -c connections, -m streams at once on each, and -D seconds or -n requests. */
export interface H2loadLoad {
  readonly connections: number;
  readonly streams: number;
  readonly seconds?: number;
  readonly requests?: number;
}

/**
 * h2load against a URL (https: ALPN h2; http: h2c with prior knowledge, RFC 9113 §3.3), one
 * thread, on `core` (or unpinned: null). Its windows are its defaults (2^30 - 1 per stream and per
 * connection), so flow control never holds a server back.
 */
export function runH2load(url: string, load: H2loadLoad, core: number | null): Promise<H2loadResult> {
  const amount = load.seconds !== undefined ? ["-D", String(load.seconds)] : ["-n", String(load.requests ?? 1)];
  const h2load = ["h2load", "-t", "1", "-c", String(load.connections), "-m", String(load.streams), ...amount, url];
  const argv = core === null ? h2load : ["taskset", "-c", String(core), ...h2load];
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let raw = "";
    child.stdout.on("data", (d: Buffer) => (raw += d.toString()));
    child.stderr.on("data", (d: Buffer) => (raw += d.toString()));
    child.on("close", () => resolve(parseH2load(raw)));
  });
}

/** h2load's summary: "finished in 1.00s, ...", "requests: ... succeeded, ...", "status codes: ...", "traffic: ...". */
export function parseH2load(raw: string): H2loadResult {
  const num = (re: RegExp): number => Number(re.exec(raw)?.[1] ?? "0");
  const seconds = finishedSeconds(raw);
  const succeeded = num(/(\d+) succeeded/);
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(raw);
  const threeXx = Number(codes?.[2] ?? "0");
  const non2xx = codes === null ? 0 : threeXx + Number(codes[3]) + Number(codes[4]);
  // With -D, responses still in flight at the end have a status but are not done: count the done.
  const ok = Math.max(0, succeeded - threeXx);
  return {
    requestsPerSec: seconds > 0 ? ok / seconds : 0,
    ok,
    failed: num(/(\d+) failed/),
    threeXx,
    non2xx,
    dataBytes: num(/\((\d+)\) data/),
    seconds,
    raw,
  };
}

/** "finished in 1.00s" or "finished in 850.12ms", in seconds. */
function finishedSeconds(raw: string): number {
  const m = /finished in ([\d.]+)(ms|s)/.exec(raw);
  if (m === null) return 0;
  return m[2] === "ms" ? Number(m[1]) / 1000 : Number(m[1]);
}

/** Ready once one GET of `path` succeeds over HTTP/2 (h2load -n 1; HTTP/1.1 probes cannot ask an h2-only port). */
export async function answersH2(scheme: "http" | "https", port: number, path: string): Promise<boolean> {
  const result = await runH2load(
    `${scheme}://127.0.0.1:${port}${path}`,
    { connections: 1, streams: 1, requests: 1 },
    null,
  );
  return result.ok === 1 && result.non2xx === 0;
}
