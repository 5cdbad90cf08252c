import { runCli } from "../../src/cli/run.ts";
import { deps } from "./ports.ts";
import { openLogFile } from "../shared-node/log-file.ts";
import { denoWorkers } from "./workers.ts";

const code = await runCli(Deno.args, Deno.env.toObject(), {
  ...deps,
  runtime: `deno ${Deno.version.deno}`,
  // Listing interfaces needs --allow-sys; without it, print no "Network:" lines (and never prompt).
  networkInterfaces: () =>
    Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state === "granted"
      ? Deno.networkInterfaces()
      : [],
  onSignal: (fn) => {
    Deno.addSignalListener("SIGINT", () => fn("SIGINT"));
    if (Deno.build.os === "windows") return;
    Deno.addSignalListener("SIGTERM", () => fn("SIGTERM"));
    Deno.addSignalListener("SIGUSR1", () => fn("SIGUSR1"));
    Deno.addSignalListener("SIGHUP", () => fn("SIGHUP"));
  },
  openLog: openLogFile,
  memory: () => {
    const usage = Deno.memoryUsage();
    return { residentBytes: usage.rss, heapUsedBytes: usage.heapUsed };
  },
  exit: (code) => Deno.exit(code),
  workers: denoWorkers(),
  importModule: (file) => import(new URL(file, `file://${Deno.cwd()}/`).href),
});
if (code !== null) Deno.exit(code);
