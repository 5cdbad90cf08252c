import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/run.ts";
import { onProcessSignal, processMemory } from "../shared-node/process.ts";
import { openLogFile } from "../shared-node/log-file.ts";
import { deps } from "./ports.ts";
import { exitWhenDone, nodeWorkers, programArgv } from "./workers.ts";

// The access log writes to stdout: a reader that went away (a closed pipe) must not end the server.
process.stdout.on("error", () => {});

// No top-level await: the same file is bundled as CommonJS for the single executable (Node SEA).
void runCli(programArgv(), process.env, {
  ...deps,
  runtime: `node ${process.versions.node}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  onSignal: onProcessSignal,
  openLog: openLogFile,
  memory: processMemory,
  exit: (code) => process.exit(code),
  workers: nodeWorkers(),
  importModule: (file) => import(pathToFileURL(path.resolve(file)).href),
}).then((code) => {
  // Not process.exit: where stdout is asynchronous (a pipe on macOS), --help would be cut short.
  if (code !== null) exitWhenDone(code);
});
