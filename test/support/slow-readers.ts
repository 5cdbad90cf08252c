import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { hasResponses, parseResponses } from "./http-response-parser.ts";
import { rawExchange } from "./raw-client.ts";
import { REPO_ROOT } from "./server-process.ts";
import { sleep } from "./wait.ts";

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

export interface ProbedSlowReadResult extends SlowReadResult {
  /** `/time` probes sent during the attack (one a second), and those not answered 200 within PROBE_LIMIT_MS. */
  readonly probes: number;
  readonly probesFailed: number;
  /** Server RSS once the readers had been gone for `settleMs` (MiB). */
  readonly afterMiB: number;
}

/** What a normal client must get during the attack: `/time` within this long. */
export const PROBE_LIMIT_MS = 2000;

/**
 * The slow-read attack (slowhttptest -X): `count` connections with small receive windows ask
 * for a large file and read 64 bytes every 100 ms (test/support/slow-read.py), for `holdMs`,
 * while the server's RSS is sampled every 100 ms.
 */
export async function slowReaders(
  port: number,
  pid: number,
  target: string,
  count: number,
  holdMs: number,
  mss?: number,
): Promise<SlowReadResult> {
  const baselineMiB = rssMiB(pid);
  let peakMiB = baselineMiB;
  const tick = setInterval(() => {
    try {
      peakMiB = Math.max(peakMiB, rssMiB(pid));
    } catch {
      // the server is gone: the caller's checks will say so
    }
  }, 100);
  const reader = spawn("python3", [
    path.join(REPO_ROOT, "test", "support", "slow-read.py"),
    String(port),
    target,
    String(count),
    String(holdMs / 1000),
    ...(mss === undefined ? [] : [String(mss)]),
  ], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  reader.stdout.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => reader.once("exit", resolve));
  clearInterval(tick);
  return { baselineMiB, peakMiB, answered: Number(out.trim()) };
}

/** GET /time on a new connection: whether it was answered 200 within PROBE_LIMIT_MS. */
async function timeAnswered(port: number): Promise<boolean> {
  const result = await rawExchange(port, "GET /time HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {
    until: hasResponses(1),
    timeoutMs: PROBE_LIMIT_MS,
  });
  const [response] = parseResponses(result.data, { ended: result.closed });
  return response?.complete === true && response.status === 200;
}

/**
 * slowReaders with a `/time` probe every second throughout (each must be answered within
 * PROBE_LIMIT_MS), and the server's RSS `settleMs` after the readers closed their connections
 * (a probe a second meanwhile, so that an idle runtime still runs its timers and collector).
 */
export async function probedSlowReaders(
  port: number,
  pid: number,
  target: string,
  count: number,
  holdMs: number,
  settleMs: number,
  mss?: number,
): Promise<ProbedSlowReadResult> {
  let probes = 0;
  let probesFailed = 0;
  let attacking = true;
  const probing = (async () => {
    const pending: Array<Promise<void>> = [];
    while (attacking) {
      probes++;
      pending.push(timeAnswered(port).then((ok) => void (ok || probesFailed++)));
      await sleep(1000);
    }
    await Promise.all(pending);
  })();
  const read = await slowReaders(port, pid, target, count, holdMs, mss);
  attacking = false;
  await probing;
  const settled = Date.now() + settleMs;
  while (Date.now() < settled) {
    await timeAnswered(port);
    await sleep(1000);
  }
  return { ...read, probes, probesFailed, afterMiB: rssMiB(pid) };
}
