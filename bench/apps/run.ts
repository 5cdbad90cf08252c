// npm run bench:apps [-- --quick] [-- --only=name,name] [-- --rounds=N] [-- --duration=S]
// Fetch apps (issues 14 and 25): sundial on Node, Deno and Bun against each runtime's own server with
// the same app (@hono/node-server, Deno.serve, Bun.serve; node:http for hello), and the layers of the
// fetch path, interleaved as the files bench does, each run's requests per second and the server's CPU
// time per request (/proc/PID/stat); then sundial's RSS over 1,000,000 requests (200,000 with
// --quick) on each runtime.
import { parseArgs } from "../harness/args.ts";
import { rssMiB, treeCpuSeconds } from "../harness/proc.ts";
import { freePort, launch, measure, type Started, stop, stopAll } from "../harness/processes.ts";
import type { Sample } from "../harness/report.ts";
import { ensureTools, machineFacts, stealPercent } from "../harness/system.ts";
import { type Growth, writeAppReport } from "./report.ts";
import {
  APP_SCENARIOS,
  APP_SERVERS,
  type AppScenario,
  type AppServerSpec,
  buildRunners,
  servesScenario,
} from "./servers.ts";

const { args, quick, rounds, duration, only } = parseArgs(process.argv.slice(2));
const servers = APP_SERVERS.filter((s) => only === undefined || only.includes(s.name));
const growthRequests = quick ? 200_000 : 1_000_000;
const WARM_UP = 50_000;
/** The uncounted wrk run each server gets before the first round, in seconds. */
const WARM_UP_S = 1;
/** The longest single wrk run of the RSS-growth series (so RSS is read between runs). */
const GROWTH_CHUNK_S = 10;
/** run.ts (npm run bench) names itself; run alone, this is npm run bench:apps. */
const command = process.env.SUNDIAL_BENCH_COMMAND ?? `npm run bench:apps${args.length ? ` -- ${args.join(" ")}` : ""}`;

async function start(spec: AppServerSpec, scenario: AppScenario): Promise<Started> {
  const port = await freePort();
  return launch(`${spec.name} (${scenario.app})`, spec.command(scenario.app, port), port, scenario.path);
}

function errorsOf(sample: Sample): string {
  const { non2xx, socketErrors } = sample.wrk;
  return non2xx || socketErrors ? `  ERRORS: status ${non2xx}, socket ${socketErrors}` : "";
}

/**
 * Sends at least `count` requests (wrk runs of at most GROWTH_CHUNK_S seconds, each sized by the
 * rate of the one before) and calls `after` with the running total after each run.
 */
async function sendRequests(
  started: Started,
  scenario: AppScenario,
  count: number,
  after: (total: number, peak: number) => void,
  firstRate = 0,
): Promise<{ total: number; errors: number; rate: number }> {
  let total = 0;
  let errors = 0;
  let rate = firstRate;
  while (total < count) {
    const seconds = rate === 0 ? 1 : Math.min(GROWTH_CHUNK_S, Math.max(1, Math.ceil((count - total) / rate)));
    const { wrk, peakRssMiB } = await measure(started, scenario.path, scenario.connections, seconds);
    if (wrk.requests === 0) throw new Error(`${started.name}: no requests answered in ${seconds} s\n${wrk.raw}`);
    total += wrk.requests;
    errors += wrk.non2xx + wrk.socketErrors;
    rate = wrk.requestsPerSec;
    after(total, peakRssMiB);
  }
  return { total, errors, rate };
}

/** A fresh sundial serving hello: RSS after the warm-up, after each run, at the end. */
async function growthOf(spec: AppServerSpec): Promise<Growth> {
  const scenario = APP_SCENARIOS.find((s) => s.app === "hello")!;
  const started = await start(spec, scenario);
  try {
    const pid = started.child.pid!;
    const { rate } = await sendRequests(started, scenario, WARM_UP, () => {});
    const startMiB = rssMiB(pid);
    const series: Array<{ requests: number; rssMiB: number }> = [];
    let peakMiB = startMiB;
    const began = performance.now();
    const { total, errors } = await sendRequests(started, scenario, growthRequests, (requests, peak) => {
      series.push({ requests, rssMiB: rssMiB(pid) });
      peakMiB = Math.max(peakMiB, peak);
      process.stdout.write(`\r  rss ${spec.name}: ${requests} requests, ${series.at(-1)!.rssMiB.toFixed(1)} MiB   `);
    }, rate);
    process.stdout.write("\n");
    return {
      server: spec.name,
      requests: total,
      errors,
      seconds: (performance.now() - began) / 1000,
      startMiB,
      series,
      peakMiB,
    };
  } finally {
    await stop(started);
  }
}

async function main(): Promise<void> {
  if (servers.length === 0) {
    console.log(`sundial bench (apps): no server matches --only=${only?.join(",")}; skipped`);
    return;
  }
  ensureTools();
  buildRunners();
  const began = new Date();
  const stealBefore = stealPercent();
  const samples: Sample[] = [];
  const idle: Record<string, Record<string, number>> = {};
  const growth: Growth[] = [];
  try {
    console.log(
      `sundial bench (apps): ${quick ? "quick" : "full"}, ${rounds} round(s) x ${duration}s, ${servers.length} servers`,
    );
    // One process per server and app, all started before the first run, as the files bench does.
    const live = new Map<string, Started>();
    for (const scenario of APP_SCENARIOS) {
      for (const spec of servers.filter((s) => servesScenario(s, scenario))) {
        const started = await start(spec, scenario);
        await new Promise((r) => setTimeout(r, 300));
        live.set(`${spec.name} ${scenario.id}`, started);
        (idle[spec.name] ??= {})[scenario.id] = rssMiB(started.child.pid!);
      }
    }
    // A warm-up run of each, not counted: the first round's figures would otherwise include the JIT's
    // compiling (which weighs on the CPU per request).
    for (const scenario of APP_SCENARIOS) {
      for (const spec of servers.filter((s) => servesScenario(s, scenario))) {
        await measure(live.get(`${spec.name} ${scenario.id}`)!, scenario.path, scenario.connections, WARM_UP_S);
      }
    }
    for (let round = 0; round < rounds; round++) {
      for (const scenario of APP_SCENARIOS) {
        // Rotate the order each round so no server always runs first or last.
        const taking = servers.filter((s) => servesScenario(s, scenario));
        const order = taking.map((_, i) => taking[(i + round) % taking.length]!);
        for (const spec of order) {
          const started = live.get(`${spec.name} ${scenario.id}`)!;
          const cpuBefore = treeCpuSeconds(started.child.pid!);
          const { wrk, peakRssMiB } = await measure(started, scenario.path, scenario.connections, duration);
          const cpuUsPerRequest = ((treeCpuSeconds(started.child.pid!) - cpuBefore) * 1e6) / Math.max(1, wrk.requests);
          const sample = { server: spec.name, scenario: scenario.id, round, wrk, peakRssMiB, cpuUsPerRequest };
          samples.push(sample);
          console.log(
            `  r${round + 1} ${scenario.id.padEnd(13)} ${spec.name.padEnd(28)} ${
              `${wrk.requestsPerSec.toFixed(0)} req/s`.padStart(12)
            } ${`${cpuUsPerRequest.toFixed(1)} CPU µs/req`.padStart(16)}  rss ${peakRssMiB.toFixed(0)} MiB${
              errorsOf(sample)
            }`,
          );
        }
      }
    }
    for (const started of live.values()) await stop(started);
    for (const spec of servers.filter((s) => s.kind === "sundial")) growth.push(await growthOf(spec));
  } finally {
    stopAll();
  }
  const report = writeAppReport({
    quick,
    began,
    rounds,
    duration,
    servers: servers.map((s) => s.name),
    samples,
    idle,
    growth,
    growthRequests,
    warmUp: WARM_UP,
    machine: machineFacts(),
    stealPercent: stealPercent(stealBefore).percent,
    command,
  });
  console.log(`\n${report.table}\nwritten to ${report.file}`);
}

await main();
