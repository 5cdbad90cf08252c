import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/run.ts";
import { ports } from "./ports.ts";

// No top-level await: the same file is bundled as CommonJS for the single executable (Node SEA).
void runCli(process.argv.slice(2), process.env, {
  ...ports,
  runtime: `node ${process.versions.node}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  onStopSignal: (stop) => void process.once("SIGINT", stop).once("SIGTERM", stop),
  exit: (code) => process.exit(code),
  importModule: (file) => import(pathToFileURL(path.resolve(file)).href),
}).then((code) => {
  // Not process.exit: where stdout is asynchronous (a pipe on macOS), --help would be cut short.
  if (code !== null) process.exitCode = code;
});
