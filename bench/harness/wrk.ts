// Runs wrk, the load generator, pinned to a core, and reads its summary.
import { spawn } from "node:child_process";

export interface WrkResult {
  readonly requestsPerSec: number;
  readonly bytesPerSec: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly latencyAvgMs: number;
  readonly raw: string;
}

const UNITS: Record<string, number> = { "": 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function parseSize(text: string): number {
  const m = /([\d.]+)([KMG]?B)?/.exec(text);
  return m === null ? 0 : Number(m[1]) * (UNITS[m[2] ?? ""] ?? 1);
}

function parseLatency(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (m === null) return 0;
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v;
}

/**
 * Runs wrk pinned to a core, keep-alive (wrk's default), for a fixed duration. `script`: a Lua
 * script and its arguments (`[file, ...args]`: wrk's `-s file` and, after `--`, the arguments its init() gets).
 */
export function runWrk(
  url: string,
  connections: number,
  seconds: number,
  core: number,
  script: readonly string[] = [],
): Promise<WrkResult> {
  const [file, ...scriptArgs] = script;
  const args = [
    "-c",
    String(core),
    "wrk",
    "-t",
    "1",
    "-c",
    String(connections),
    "-d",
    `${seconds}s`,
    "--timeout",
    "10s",
    ...(file === undefined ? [] : ["-s", file]),
    url,
    ...(scriptArgs.length > 0 ? ["--", ...scriptArgs] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
    let raw = "";
    child.stdout.on("data", (d: Buffer) => (raw += d.toString()));
    child.stderr.on("data", (d: Buffer) => (raw += d.toString()));
    child.on("close", () => {
      const num = (re: RegExp): number => Number(re.exec(raw)?.[1] ?? "0");
      const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(raw);
      resolve({
        requestsPerSec: num(/Requests\/sec:\s+([\d.]+)/),
        bytesPerSec: parseSize(/Transfer\/sec:\s+(\S+)/.exec(raw)?.[1] ?? "0"),
        requests: num(/(\d+) requests in/),
        non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
        socketErrors: errors === null ? 0 : errors.slice(1).reduce((a, b) => a + Number(b), 0),
        latencyAvgMs: parseLatency(/Latency\s+(\S+)/.exec(raw)?.[1] ?? "0"),
        raw,
      });
    });
  });
}
