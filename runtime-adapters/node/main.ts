import * as os from "node:os";
import { main } from "../../src/cli/main.ts";
import { systemClock } from "../../src/server/system-clock.ts";
import { nodeCompressor } from "./compress.ts";
import { nodeFileSystem } from "./fs.ts";
import { nodeTransport } from "./transport.ts";

function networkAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) =>
    (list ?? []).filter((i) => i.family === "IPv4" && !i.internal).map((i) => i.address)
  );
}

// No top-level await: the same file is bundled as CommonJS for the single executable (Node SEA).
void main(process.argv.slice(2), process.env, {
  transport: nodeTransport,
  fs: nodeFileSystem,
  compressor: nodeCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
  runtime: `node ${process.versions.node}`,
  networkAddresses,
}).then((result) => {
  if ("exitCode" in result) {
    process.exitCode = result.exitCode;
    return;
  }
  const { server } = result;
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
});
