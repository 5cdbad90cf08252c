import type { ServePorts } from "../../src/index.ts";
import { systemClock } from "../../src/server/system-clock.ts";
import { denoCompressor } from "./compress.ts";
import { denoFileSystem } from "./fs.ts";
import { denoTransport } from "./transport.ts";

/** The core's ports on deno's raw APIs (no side effects: importing this starts nothing). */
export const ports: ServePorts = {
  transport: denoTransport,
  fs: denoFileSystem,
  compressor: denoCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
};
