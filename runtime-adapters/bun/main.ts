import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/run.ts";
import { openLogFile } from "../node/log-file.ts";
import { ports } from "./ports.ts";

// The access log writes to stdout: a reader that went away (a closed pipe) must not end the server.
process.stdout.on("error", () => {});

const code = await runCli(process.argv.slice(2), process.env, {
  ...ports,
  runtime: `bun ${Bun.version}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  onSignal: (fn) => {
    process.on("SIGINT", () => fn("SIGINT"));
    if (process.platform === "win32") return;
    process.on("SIGTERM", () => fn("SIGTERM"));
    process.on("SIGUSR1", () => fn("SIGUSR1"));
  },
  openLog: openLogFile,
  memory: () => {
    const usage = process.memoryUsage();
    return { residentBytes: usage.rss, heapUsedBytes: usage.heapUsed };
  },
  exit: (code) => process.exit(code),
  importModule: (file) => import(pathToFileURL(path.resolve(file)).href),
});
if (code !== null) process.exit(code);
