import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServeDeps } from "../../src/index.ts";
import { systemClock } from "../../src/ports/system-clock.ts";
import { nodeCompressor } from "../shared-node/compress.ts";
import { nodeFileSystem } from "../shared-node/fs.ts";
import { nodeTransport } from "./transport.ts";
import { processListeners, uncaughtPort } from "../shared-node/uncaught.ts";
import { openLogFile } from "../shared-node/log-file.ts";
import { nodeHeldBody } from "./held-body.ts";
import { processMemory } from "../shared-node/process.ts";

/**
 * Whether this Node tags requests for the error lines: from Node 24 on, AsyncLocalStorage rides on
 * AsyncContextFrame and costs little; before, it turns on promise hooks that slow every promise in
 * the process (measured on Node 20: a fetch app's CPU per request +8-10%), so the lines say
 * "request not known" there instead.
 */
export const CHEAP_ASYNC_CONTEXT = Number(process.versions.node.split(".")[0]) >= 24;

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
  openLog: openLogFile,
  memory: processMemory,
  processId: process.pid,
  heldBody: nodeHeldBody,
  runtime: `node ${process.versions.node}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  importModule: (file) => import(pathToFileURL(path.resolve(file)).href),
};
