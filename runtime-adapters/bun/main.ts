import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/run.ts";
import { onProcessSignal, processMemory } from "../shared-node/process.ts";
import { openLogFile } from "../shared-node/log-file.ts";
import { deps } from "./ports.ts";
import { bunWorkers } from "./workers.ts";

// The access log writes to stdout: a reader that went away (a closed pipe) must not end the server.
process.stdout.on("error", () => {});

const code = await runCli(process.argv.slice(2), process.env, {
  ...deps,
  runtime: `bun ${Bun.version}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  onSignal: onProcessSignal,
  openLog: openLogFile,
  memory: processMemory,
  exit: (code) => process.exit(code),
  workers: bunWorkers(),
  importModule: (file) => import(pathToFileURL(path.resolve(file)).href),
});
if (code !== null) process.exit(code);
