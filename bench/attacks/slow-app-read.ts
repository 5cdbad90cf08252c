// bun bench/attacks/slow-app-read.ts [REPO] [COUNT] [HOLD_MS] [TARGETS]: the slow-read attack on
// a streamed app response (issue 22, finding 3): COUNT connections with 4 KiB receive windows ask
// an app (test/fixtures/apps/stream-app.mjs) for an 8 MiB body it makes as it is read, without and
// with a Content-Type, and read 64 bytes every 100 ms for HOLD_MS, while /time is asked once a
// second (each must answer within 2 s). Prints each server's RSS before, at its peak and 5 s
// after the readers left, and the probes that failed. TARGETS: comma-separated names (default
// node,deno,bun,node-exe,bun-exe; the executables are REPO's dist/, `npm run build` them first).
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, startSundial, type Target } from "../../test/support/server-process.ts";
import { probedSlowReaders } from "../../test/support/slow-readers.ts";
import { runForms } from "./targets.ts";

const [
  repo = REPO_ROOT,
  count = "1000",
  hold = "10000",
  names = "node,deno,bun,node-exe,bun-exe",
  query = "",
  mss = "",
] = process.argv.slice(2);
const app = path.join(REPO_ROOT, "test", "fixtures", "apps", "stream-app.mjs");
const targets: Target[] = [
  ...runForms(repo),
  { name: "node-exe", command: [path.join(repo, "dist", "sundial-node")] },
  { name: "bun-exe", command: [path.join(repo, "dist", "sundial-bun")] },
];
for (const name of names.split(",")) {
  const target = targets.find((t) => t.name === name);
  if (target === undefined) throw new Error(`no target ${name}`);
  for (const route of ["/untyped", "/typed"]) {
    const server = await startSundial(target, [os.tmpdir(), "--app", app]);
    const r = await probedSlowReaders(
      server.port,
      server.process.pid!,
      route + query,
      Number(count),
      Number(hold),
      5000,
      mss === "" ? undefined : Number(mss),
    );
    console.log(
      `${target.name} ${route}${query}: ${count} slow readers: RSS ${r.baselineMiB.toFixed(0)} -> peak ${
        r.peakMiB.toFixed(0)
      } MiB -> ${r.afterMiB.toFixed(0)} MiB 5 s after they left; ` +
        `${r.answered} answered; /time probes failed ${r.probesFailed} of ${r.probes}`,
    );
    await server.stop();
  }
}
