import type { ServeDeps } from "../../src/index.ts";
import { systemClock } from "../../src/ports/system-clock.ts";
import { bunCompressor } from "./compress.ts";
import { bunFileSystem } from "./fs.ts";
import { bunTransport } from "./transport.ts";
import { processListeners, uncaughtPort } from "../node/uncaught.ts";

/** The core's ports on bun's raw APIs (no side effects: importing this starts nothing). */
export const deps: ServeDeps = {
  transport: bunTransport,
  fs: bunFileSystem,
  compressor: bunCompressor,
  clock: systemClock,
  output: {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    log: (bytes) => void process.stdout.write(bytes),
  },
  uncaught: uncaughtPort(processListeners),
};
