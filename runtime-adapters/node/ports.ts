import type { ServeDeps } from "../../src/index.ts";
import { systemClock } from "../../src/ports/system-clock.ts";
import { nodeCompressor } from "./compress.ts";
import { nodeFileSystem } from "./fs.ts";
import { nodeTransport } from "./transport.ts";
import { CHEAP_ASYNC_CONTEXT, processListeners, uncaughtPort } from "./uncaught.ts";

/** The core's ports on node's raw APIs (no side effects: importing this starts nothing). */
export const deps: ServeDeps = {
  transport: nodeTransport,
  fs: nodeFileSystem,
  compressor: nodeCompressor,
  clock: systemClock,
  output: {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    log: (bytes) => void process.stdout.write(bytes),
  },
  uncaught: uncaughtPort(processListeners, CHEAP_ASYNC_CONTEXT),
};
