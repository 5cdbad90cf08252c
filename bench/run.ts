// npm run bench [-- flags]: the file bench (bench/files/run.ts), the app bench (bench/apps/run.ts),
// then the writes bench (bench/writes/run.ts), the WebSocket bench (bench/websocket/run.ts) and the HTTP/2 bench
// (bench/http2/run.ts), each given the same flags (--quick, --only=, --rounds=, --duration=). npm appends the flags to
// the last command of a script only, hence this file rather than `a && b`.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const args = process.argv.slice(2);
const env = { ...process.env, SUNDIAL_BENCH_COMMAND: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}` };
for (const part of ["files/run.ts", "apps/run.ts", "writes/run.ts", "websocket/run.ts", "http2/run.ts"]) {
  const result = spawnSync(process.execPath, [path.join(import.meta.dirname, part), ...args], {
    stdio: "inherit",
    env,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
