import type { ServePorts } from "../../src/index.ts";
import { systemClock } from "../../src/server/system-clock.ts";
// Deno implements node:fs with real descriptors (Deno.FsFile hides its own, and the core checks
// each opened file through /proc/self/fd/N), and its node:zlib does brotli: the Node adapter's.
import { nodeCompressor } from "../node/compress.ts";
import { nodeFileSystem } from "../node/fs.ts";
import { denoTransport } from "./transport.ts";

/** The core's ports on deno's raw APIs (no side effects: importing this starts nothing). */
export const ports: ServePorts = {
  transport: denoTransport,
  fs: nodeFileSystem,
  compressor: nodeCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
};
