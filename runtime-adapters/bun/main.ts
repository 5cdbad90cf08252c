import * as os from "node:os";
import { main } from "../../src/cli/main.ts";
import { systemClock } from "../../src/server/system-clock.ts";
import { bunCompressor } from "./compress.ts";
import { bunFileSystem } from "./fs.ts";
import { bunTransport } from "./transport.ts";

function networkAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) =>
    (list ?? []).filter((i) => i.family === "IPv4" && !i.internal).map((i) => i.address)
  );
}

const result = await main(process.argv.slice(2), process.env, {
  transport: bunTransport,
  fs: bunFileSystem,
  compressor: bunCompressor,
  clock: systemClock,
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
  runtime: `bun ${Bun.version}`,
  networkAddresses,
});

if ("exitCode" in result) {
  process.exit(result.exitCode);
} else {
  const { server } = result;
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
