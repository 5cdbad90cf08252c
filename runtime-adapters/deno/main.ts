import { runCli } from "../../src/cli/run.ts";
import { ports } from "./ports.ts";

const code = await runCli(Deno.args, Deno.env.toObject(), {
  ...ports,
  runtime: `deno ${Deno.version.deno}`,
  // Listing interfaces needs --allow-sys; without it, print no "Network:" lines (and never prompt).
  networkInterfaces: () =>
    Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state === "granted" ? Deno.networkInterfaces() : [],
  onStopSignal: (stop) => {
    Deno.addSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  },
  exit: (code) => Deno.exit(code),
  importModule: (file) => import(new URL(file, `file://${Deno.cwd()}/`).href),
});
if (code !== null) Deno.exit(code);
