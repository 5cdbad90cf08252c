// The files bench (npm run bench runs it first; alone: bun bench/files/run.ts [flags]):
// [-- --quick] [-- --only=name,name] [-- --rounds=N] [-- --duration=S]
// sundial on each runtime against nginx, Caddy and the JavaScript peers, interleaved, on this machine.
import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "../harness/args.ts";
import { rssMiB } from "../harness/proc.ts";
import { freePort, launch, measure, type Started, stop, stopAll } from "../harness/processes.ts";
import type { Sample } from "../harness/report.ts";
import { REPO } from "../harness/repo.ts";
import { ensureTools, machineFacts, stealPercent, versions } from "../harness/system.ts";
import { writeReport } from "./report.ts";
import { SCENARIOS, type ServerFacts } from "./scenarios.ts";
import { SERVERS, type ServerSpec } from "./servers.ts";

const { args, quick, rounds, duration, only } = parseArgs(process.argv.slice(2));
const startups = quick ? 3 : 10;
const servers = SERVERS.filter((s) => only === undefined || only.includes(s.name));

/** Starts a server pinned to the server core; resolves once it answers 200 for /1kb.bin. */
async function start(spec: ServerSpec, dir: string, work: string): Promise<Started> {
  const port = await freePort();
  spec.prepare?.(dir, port, work);
  return launch(spec.name, spec.command(dir, port, work), port, "/1kb.bin", spec.cpus);
}

function makeSite(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-bench-"));
  fs.chmodSync(dir, 0o755); // nginx's workers run as an unprivileged user
  fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>bench</title>\n");
  fs.writeFileSync(path.join(dir, "1kb.bin"), randomBytes(1024));
  fs.writeFileSync(path.join(dir, "100kb.bin"), randomBytes(100 * 1024));
  const big = fs.openSync(path.join(dir, "100mb.bin"), "w");
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < 100; i++) fs.writeSync(big, block);
  fs.closeSync(big);
  return dir;
}

async function measureStartups(spec: ServerSpec, dir: string, work: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < startups; i++) {
    const started = await start(spec, dir, work);
    times.push(started.startupMs);
    await stop(started);
  }
  return times;
}

async function main(): Promise<void> {
  if (servers.length === 0) {
    // --only named none of the file servers (an app server, say): nothing to measure, and BENCHMARKS.md stays as it is.
    console.log(`sundial bench (files): no server matches --only=${only?.join(",")}; skipped`);
    return;
  }
  ensureTools();
  if (!fs.existsSync(path.join(REPO, "dist", "sundial.mjs"))) {
    execSync("npm run build --silent", { cwd: REPO, stdio: "inherit" });
  }
  const dir = makeSite();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-bench-work-"));
  const began = new Date();
  const stealBefore = stealPercent();
  const facts: Record<string, ServerFacts> = {};
  const samples: Sample[] = [];
  try {
    console.log(
      `sundial bench: ${quick ? "quick" : "full"}, ${rounds} round(s) x ${duration}s, ${servers.length} servers`,
    );
    const live = new Map<string, Started>();
    for (const spec of servers) {
      const startupMs = await measureStartups(spec, dir, work);
      const started = await start(spec, dir, work);
      await new Promise((r) => setTimeout(r, 500));
      live.set(spec.name, started);
      facts[spec.name] = { idleRssMiB: rssMiB(started.child.pid!), startupMs };
      console.log(`  started ${spec.name}: idle RSS ${facts[spec.name]!.idleRssMiB.toFixed(1)} MiB`);
    }
    for (let round = 0; round < rounds; round++) {
      for (const scenario of SCENARIOS) {
        // Rotate the order each round so no server always runs first or last.
        const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
        for (const spec of order) {
          if (spec.without?.includes(scenario.path)) continue;
          const seconds = scenario.throughput ? Math.max(2, duration) : duration;
          const { wrk, peakRssMiB: peak } = await measure(
            live.get(spec.name)!,
            scenario.path,
            scenario.connections,
            seconds,
          );
          samples.push({ server: spec.name, scenario: scenario.id, round, wrk, peakRssMiB: peak });
          const value = scenario.throughput
            ? `${(wrk.bytesPerSec / 1048576).toFixed(0)} MiB/s`
            : `${wrk.requestsPerSec.toFixed(0)} req/s`;
          const bad = scenario.expectStatus === 200 ? wrk.non2xx : wrk.requests - wrk.non2xx;
          console.log(
            `  r${round + 1} ${scenario.id.padEnd(11)} ${spec.name.padEnd(24)} ${value.padStart(12)}  rss ${
              peak.toFixed(0)
            } MiB${bad || wrk.socketErrors ? `  ERRORS: status ${bad}, socket ${wrk.socketErrors}` : ""}`,
          );
        }
      }
    }
    for (const started of live.values()) await stop(started);
    // The rounds leave each process with whatever the 1000-connection runs grew it to, so the
    // memory a 100 MB download needs is measured on a fresh process, serving only that file.
    const big = SCENARIOS.find((s) => s.throughput)!;
    for (const spec of servers) {
      const started = await start(spec, dir, work);
      facts[spec.name]!.freshBigRssMiB =
        (await measure(started, big.path, big.connections, Math.max(2, duration), 50)).peakRssMiB;
      console.log(
        `  fresh ${spec.name}: peak RSS serving ${big.id} ${facts[spec.name]!.freshBigRssMiB!.toFixed(1)} MiB`,
      );
      await stop(started);
    }
  } finally {
    stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
  const report = writeReport({
    quick,
    began,
    rounds,
    duration,
    servers: servers.map((s) => s.name),
    scenarios: SCENARIOS,
    samples,
    facts,
    machine: machineFacts(),
    versions: versions(),
    stealPercent: stealPercent(stealBefore),
    command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`,
  });
  console.log(`\n${report.table}\nwritten to ${report.file}`);
}

await main();
