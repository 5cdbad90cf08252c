// bun bench/attacks/slow-read.ts [REPO] [COUNT] [HOLD_MS]: the slow-read attack of issue 12
// (COUNT connections with 4 KiB receive windows reading a 64 MiB file 64 bytes at a time)
// against node, deno and bun of REPO (default: this checkout); prints each server's peak RSS.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startSundial } from "../../test/support/server-process.ts";
import { slowReaders } from "../../test/support/slow-readers.ts";
import { runForms } from "./targets.ts";

const [repo, count = "1000", hold = "6000"] = process.argv.slice(2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-slowread-"));
fs.writeFileSync(path.join(dir, "big.bin"), "");
fs.truncateSync(path.join(dir, "big.bin"), 64 * 1024 * 1024);
for (const target of runForms(repo)) {
  const server = await startSundial(target, [dir]);
  const r = await slowReaders(server.port, server.process.pid!, "/big.bin", Number(count), Number(hold));
  const probe = await fetch(`http://127.0.0.1:${server.port}/time`).then((x) => x.status, () => "failed");
  console.log(
    `${target.name}: ${count} slow readers: RSS ${r.baselineMiB.toFixed(0)} -> peak ${
      r.peakMiB.toFixed(0)
    } MiB, ${r.answered} answered, /time after: ${probe}`,
  );
  await server.stop();
}
fs.rmSync(dir, { recursive: true, force: true });
