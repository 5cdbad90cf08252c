import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./server-process.ts";

/** The server's resident memory now, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0") / 1024;
}

export interface SlowReadResult {
  /** Server RSS before the readers connected, and the most seen while they were connected (MiB). */
  readonly baselineMiB: number;
  readonly peakMiB: number;
  /** Readers that got the start of a response (the server was really sending to them). */
  readonly answered: number;
}

/**
 * The slow-read attack (slowhttptest -X): `count` connections with small receive windows ask
 * for a large file and read 64 bytes every 100 ms (test/support/slow-read.py), for `holdMs`,
 * while the server's RSS is sampled every 100 ms.
 */
export async function slowReaders(port: number, pid: number, target: string, count: number, holdMs: number): Promise<SlowReadResult> {
  const baselineMiB = rssMiB(pid);
  let peakMiB = baselineMiB;
  const tick = setInterval(() => {
    try {
      peakMiB = Math.max(peakMiB, rssMiB(pid));
    } catch {
      // the server is gone: the caller's checks will say so
    }
  }, 100);
  const reader = spawn("python3", [path.join(REPO_ROOT, "test", "support", "slow-read.py"), String(port), target, String(count), String(holdMs / 1000)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  reader.stdout.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => reader.once("exit", resolve));
  clearInterval(tick);
  return { baselineMiB, peakMiB, answered: Number(out.trim()) };
}
