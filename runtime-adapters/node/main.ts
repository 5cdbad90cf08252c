import { runCli } from "../../src/cli/run.ts";
import { onProcessSignal } from "../shared-node/process.ts";
import { deps } from "./ports.ts";
import { exitWhenDone, nodeWorkers, programArgv } from "./workers.ts";

// The access log writes to stdout: a reader that went away (a closed pipe) must not end the server.
process.stdout.on("error", () => {});

// No top-level await: the same file is bundled as CommonJS for the single executable (Node SEA).
void runCli(programArgv(), process.env, {
  ...deps,
  onSignal: onProcessSignal,
  exit: (code) => process.exit(code),
  workers: nodeWorkers(),
}).then((code) => {
  // Not process.exit: where stdout is asynchronous (a pipe on macOS), --help would be cut short.
  if (code !== null) exitWhenDone(code);
});
