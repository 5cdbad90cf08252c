import { runCli } from "../../src/cli/run.ts";
import { systemClock } from "../../src/server/system-clock.ts";
import { denoCompressor } from "./compress.ts";
import { denoFileSystem } from "./fs.ts";
import { denoTransport } from "./transport.ts";

const code = await runCli(Deno.args, Deno.env.toObject(), {
  transport: denoTransport,
  fs: denoFileSystem,
  compressor: denoCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
  runtime: `deno ${Deno.version.deno}`,
  // Listing interfaces needs --allow-sys; without it, print no "Network:" lines (and never prompt).
  networkInterfaces: () =>
    Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state === "granted" ? Deno.networkInterfaces() : [],
  onStopSignal: (stop) => {
    Deno.addSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  },
  exit: (code) => Deno.exit(code),
});
if (code !== null) Deno.exit(code);
