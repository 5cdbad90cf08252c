import { runCli } from "../../src/cli/run.ts";
import { deps } from "./ports.ts";
import { denoWorkers } from "./workers.ts";

const code = await runCli(Deno.args, Deno.env.toObject(), {
  ...deps,
  onSignal: (fn) => {
    Deno.addSignalListener("SIGINT", () => fn("SIGINT"));
    if (Deno.build.os === "windows") return;
    Deno.addSignalListener("SIGTERM", () => fn("SIGTERM"));
    Deno.addSignalListener("SIGUSR1", () => fn("SIGUSR1"));
    Deno.addSignalListener("SIGHUP", () => fn("SIGHUP"));
  },
  exit: (code) => Deno.exit(code),
  workers: denoWorkers(),
});
if (code !== null) Deno.exit(code);
