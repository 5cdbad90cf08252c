// npm run bench:log-cost [-- --rounds=N] [-- --duration=S] [-- --only=node,deno,bun]
//
// What the access log costs (issue 15: under 10%): for each runtime, sundial with its default
// log (combined lines on stdout, sent to /dev/null) and with --quiet, both running at once,
// measured in alternating short rounds (logged, quiet, logged, ...) so that the machine's drift
// falls on both alike; the figure is the median of the per-round ratios. The files bench
// (bench/files/run.ts) has the same pairs (sundial-<runtime>-quiet), in its longer rounds, where the
// spread between rounds on this 2-core machine is wider than the difference being measured.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { SERVERS } from "../files/servers.ts";
import { parseArgs } from "../harness/args.ts";
import { cpuSeconds } from "../harness/proc.ts";
import { freePort, launch, measure, type Started, stop } from "../harness/processes.ts";
import { median } from "../harness/report.ts";

const { rounds: givenRounds, duration: givenDuration, only, args } = parseArgs(process.argv.slice(2));
const rounds = args.some((a) => a.startsWith("--rounds=")) ? givenRounds : 10;
const duration = args.some((a) => a.startsWith("--duration=")) ? givenDuration : 2;
const runtimes = (only ?? ["node", "deno", "bun"]) as readonly string[];
const SCENARIOS = [{ id: "/time c50", path: "/time" }, { id: "1 KB c50", path: "/1kb.bin" }] as const;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-log-cost-"));
fs.writeFileSync(path.join(dir, "1kb.bin"), randomBytes(1024));

const rows: string[] = [];
for (const runtime of runtimes) {
  const specs = [
    SERVERS.find((s) => s.name === `sundial-${runtime}`)!,
    SERVERS.find((s) => s.name === `sundial-${runtime}-quiet`)!,
  ];
  const started: Started[] = [];
  for (const spec of specs) {
    const port = await freePort();
    started.push(await launch(spec.name, spec.command(dir, port, dir), port, "/1kb.bin"));
  }
  try {
    for (const scenario of SCENARIOS) {
      for (const s of started) await measure(s, scenario.path, 50, 1); // warm-up
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      const rates: number[][] = [[], []];
      const cpu: number[][] = [[], []];
      for (let round = 0; round < rounds; round++) {
        // Alternate which goes first, so that neither always runs right after the other.
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        const rps: number[] = [0, 0];
        const us: number[] = [0, 0];
        for (const i of order) {
          const pid = started[i]!.child.pid!;
          const before = cpuSeconds(pid);
          const measured = await measure(started[i]!, scenario.path, 50, duration);
          rps[i] = measured.wrk.requestsPerSec;
          us[i] = ((cpuSeconds(pid) - before) * 1e6) / Math.max(1, measured.wrk.requests);
        }
        rates[0]!.push(rps[0]!);
        rates[1]!.push(rps[1]!);
        cpu[0]!.push(us[0]!);
        cpu[1]!.push(us[1]!);
        ratios.push(rps[0]! / rps[1]!);
        // CPU time per request is what the log adds; it is less disturbed than req/s when
        // something else on the machine takes a core for a moment.
        cpuRatios.push(us[1]! / us[0]!);
      }
      const line =
        `| ${runtime} | ${scenario.id} | ${median(rates[0]!).toFixed(0)} | ${median(rates[1]!).toFixed(0)} | ` +
        `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}) | ` +
        `${median(cpu[0]!).toFixed(1)} / ${median(cpu[1]!).toFixed(1)} | ${median(cpuRatios).toFixed(2)} (${
          Math.min(...cpuRatios).toFixed(2)
        }-${Math.max(...cpuRatios).toFixed(2)}) | ` +
        `${median(ratios) >= 0.9 ? "yes" : "no"} / ${median(cpuRatios) >= 0.9 ? "yes" : "no"} |`;
      console.log(line);
      rows.push(line);
    }
  } finally {
    for (const s of started) await stop(s);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  `\nThe access log's cost: ${rounds} alternating rounds of ${duration} s, wrk c50, median of per-round ratios (target >= 0.9)\n`,
);
console.log(
  "| runtime | scenario | logged (req/s) | --quiet (req/s) | req/s logged / quiet | server CPU µs per request, logged / quiet | quiet CPU / logged CPU | met (req/s / CPU) |\n| --- | --- | --- | --- | --- | --- | --- | --- |",
);
for (const row of rows) console.log(row);
