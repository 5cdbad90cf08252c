import { main } from "../../src/cli/main.ts";
import { systemClock } from "../../src/server/system-clock.ts";
import { denoCompressor } from "./compress.ts";
import { denoFileSystem } from "./fs.ts";
import { denoTransport } from "./transport.ts";

/** Listing interfaces needs --allow-sys; without it, print no "Network:" lines (and never prompt). */
function networkAddresses(): string[] {
  if (Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state !== "granted") return [];
  return Deno.networkInterfaces().filter((i) => i.family === "IPv4" && !i.address.startsWith("127.")).map((i) => i.address);
}

const result = await main(Deno.args, Deno.env.toObject(), {
  transport: denoTransport,
  fs: denoFileSystem,
  compressor: denoCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
  runtime: `deno ${Deno.version.deno}`,
  networkAddresses,
});

if ("exitCode" in result) {
  Deno.exit(result.exitCode);
} else {
  const { server } = result;
  const stop = (): void => void server.close().then(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}
