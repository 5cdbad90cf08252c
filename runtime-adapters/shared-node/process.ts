import type { CliSignal } from "../../src/cli/run.ts";

/**
 * Signals and memory from node's `process`, which Bun has too (the Node and Bun adapters use this file):
 * SIGINT everywhere, SIGTERM, SIGUSR1 and SIGHUP where the system has them.
 */
export function onProcessSignal(fn: (signal: CliSignal) => void): void {
  process.on("SIGINT", () => fn("SIGINT"));
  if (process.platform === "win32") return;
  process.on("SIGTERM", () => fn("SIGTERM"));
  process.on("SIGUSR1", () => fn("SIGUSR1"));
  process.on("SIGHUP", () => fn("SIGHUP"));
}

export function processMemory(): { residentBytes: number; heapUsedBytes: number } {
  const usage = process.memoryUsage();
  return { residentBytes: usage.rss, heapUsedBytes: usage.heapUsed };
}
