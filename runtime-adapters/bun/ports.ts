import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServeDeps } from "../../src/index.ts";
import { systemClock } from "../../src/ports/system-clock.ts";
// Bun implements node:fs natively, and its own Bun.file cannot read into a caller's buffer (slices
// allocate per read); it implements node:zlib natively too (brotli included, which the web
// CompressionStream lacks): the node:* ones all three adapters share.
import { nodeCompressor } from "../shared-node/compress.ts";
import { nodeFileSystem } from "../shared-node/fs.ts";
import { bunTransport } from "./transport.ts";
import { importCompiledApp } from "./app-bundle.ts";
import { COMPILED } from "./compiled.ts";
import { processListeners, uncaughtPort } from "../shared-node/uncaught.ts";
import { openLogFile } from "../shared-node/log-file.ts";
import { processMemory } from "../shared-node/process.ts";

/** The core's ports on bun's raw APIs (no side effects: importing this starts nothing). */
export const deps: ServeDeps = {
  transport: bunTransport,
  fs: nodeFileSystem,
  compressor: nodeCompressor,
  clock: systemClock,
  output: {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    log: (bytes) => void process.stdout.write(bytes),
  },
  uncaught: uncaughtPort(processListeners),
  openLog: openLogFile,
  memory: processMemory,
  processId: process.pid,
  runtime: `bun ${Bun.version}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  // From source Bun resolves an app's packages itself; a compiled executable does not (app-bundle.ts).
  importModule: COMPILED ? importCompiledApp : (file) => import(pathToFileURL(path.resolve(file)).href),
};
