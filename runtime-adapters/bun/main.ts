import { runCli } from "../../src/cli/run.ts";
import { onProcessSignal } from "../shared-node/process.ts";
import { deps } from "./ports.ts";
import { bunWorkers } from "./workers.ts";

// The access log writes to stdout: a reader that went away (a closed pipe) must not end the server.
process.stdout.on("error", () => {});

const code = await runCli(process.argv.slice(2), process.env, {
  ...deps,
  onSignal: onProcessSignal,
  exit: (code) => process.exit(code),
  workers: bunWorkers(),
});
if (code !== null) process.exit(code);
