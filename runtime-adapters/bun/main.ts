import * as os from "node:os";
import { runCli } from "../../src/cli/run.ts";
import { systemClock } from "../../src/server/system-clock.ts";
import { bunCompressor } from "./compress.ts";
import { bunFileSystem } from "./fs.ts";
import { bunTransport } from "./transport.ts";

const code = await runCli(process.argv.slice(2), process.env, {
  transport: bunTransport,
  fs: bunFileSystem,
  compressor: bunCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
  runtime: `bun ${Bun.version}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  onStopSignal: (stop) => void process.once("SIGINT", stop).once("SIGTERM", stop),
  exit: (code) => process.exit(code),
});
if (code !== null) process.exit(code);
