import * as os from "node:os";
import { runCli } from "../../src/cli/run.ts";
import { systemClock } from "../../src/server/system-clock.ts";
import { nodeCompressor } from "./compress.ts";
import { nodeFileSystem } from "./fs.ts";
import { nodeTransport } from "./transport.ts";

// No top-level await: the same file is bundled as CommonJS for the single executable (Node SEA).
void runCli(process.argv.slice(2), process.env, {
  transport: nodeTransport,
  fs: nodeFileSystem,
  compressor: nodeCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
  runtime: `node ${process.versions.node}`,
  networkInterfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => list ?? []),
  onStopSignal: (stop) => void process.once("SIGINT", stop).once("SIGTERM", stop),
  exit: (code) => process.exit(code),
}).then((code) => {
  // Not process.exit: where stdout is asynchronous (a pipe on macOS), --help would be cut short.
  if (code !== null) process.exitCode = code;
});
