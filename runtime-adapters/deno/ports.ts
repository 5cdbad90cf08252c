import type { ServeDeps } from "../../src/index.ts";
import { systemClock } from "../../src/ports/system-clock.ts";
// Deno implements node:fs with real descriptors (Deno.FsFile hides its own, and the core checks
// each opened file through /proc/self/fd/N), and its node:zlib does brotli: the node:* ones all three adapters share.
import { nodeCompressor } from "../shared-node/compress.ts";
import { nodeFileSystem } from "../shared-node/fs.ts";
import { denoTransport } from "./transport.ts";
import { uncaughtPort } from "../shared-node/uncaught.ts";
import { denoListeners } from "./uncaught.ts";
import { openLogFile } from "../shared-node/log-file.ts";
import { denoHeldBody } from "./held-body.ts";

/** All of the bytes to stdout (writeSync may take part of it). */
function writeStdout(batch: Uint8Array): void {
  let bytes = batch;
  try {
    while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
  } catch {
    // stdout is gone (a closed pipe): the log has nowhere to go, and the server goes on.
  }
}

/** The core's ports on deno's raw APIs (no side effects: importing this starts nothing). */
export const deps: ServeDeps = {
  transport: denoTransport,
  fs: nodeFileSystem,
  compressor: nodeCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line), log: writeStdout },
  uncaught: uncaughtPort(denoListeners),
  openLog: openLogFile,
  memory: () => {
    const usage = Deno.memoryUsage();
    return { residentBytes: usage.rss, heapUsedBytes: usage.heapUsed };
  },
  processId: Deno.pid,
  heldBody: denoHeldBody,
  runtime: `deno ${Deno.version.deno}`,
  // Listing interfaces needs --allow-sys; without it, no "Network:" lines (and never a prompt).
  networkInterfaces: () =>
    Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state === "granted"
      ? Deno.networkInterfaces()
      : [],
  importModule: (file) => import(new URL(file, `file://${Deno.cwd()}/`).href),
};
