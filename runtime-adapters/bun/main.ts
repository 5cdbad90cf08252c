import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/run.ts";
import { ports } from "./ports.ts";

const code = await runCli(process.argv.slice(2), process.env, {
  ...ports,
  runtime: `bun ${Bun.version}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  onStopSignal: (stop) => void process.once("SIGINT", stop).once("SIGTERM", stop),
  exit: (code) => process.exit(code),
  importModule: (file) => import(pathToFileURL(path.resolve(file)).href),
});
if (code !== null) process.exit(code);
