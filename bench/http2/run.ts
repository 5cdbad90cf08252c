// npm run bench:http2 [-- --quick] [-- --only=name,name] [-- --rounds=N] [-- --duration=S]
// HTTP/2 (issue 26): sundial --http2 --quiet on each runtime and the Bun executable against nginx
// and Caddy, each over TLS (ALPN h2) and h2c, loaded by h2load on the load core (the server on the
// server core): /time and a 1 KB file at 100 streams on 10 connections, and a 100 MB file. Figures:
// requests/s (MiB/s), the server's CPU per request (per GiB) from /proc, ratios per round.
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "../harness/args.ts";
import { treeCpuSeconds } from "../harness/proc.ts";
import { freePort, launch, LOAD_CORE, type Started, stop, stopAll } from "../harness/processes.ts";
import { REPO } from "../harness/repo.ts";
import { ensureTools, machineFacts, stealPercent, versions } from "../harness/system.ts";
import { makeCertificate } from "./certificate.ts";
import { answersH2, runH2load } from "./h2load.ts";
import { type H2Sample, writeH2Report } from "./report.ts";
import { H2_SCENARIOS, type H2Scenario, HUNDRED_MB, ONE_KB } from "./scenarios.ts";
import { H2_SERVERS, type H2ServerSpec, type Place } from "./servers.ts";

const { args, quick, rounds, duration, only } = parseArgs(process.argv.slice(2));
const command = process.env.SUNDIAL_BENCH_COMMAND ?? `npm run bench:http2${args.length ? ` -- ${args.join(" ")}` : ""}`;

/** The folder served: a 1 KB file and a 100 MB one, of bytes that do not compress. */
function makeSite(dir: string): void {
  const random = (n: number): Buffer => {
    const out = Buffer.alloc(n);
    for (let at = 0; at < n; at += 65536) out.set(crypto.getRandomValues(new Uint8Array(Math.min(65536, n - at))), at);
    return out;
  };
  fs.writeFileSync(path.join(dir, "1k.bin"), random(ONE_KB));
  const chunk = random(1024 * 1024);
  const fd = fs.openSync(path.join(dir, "100m.bin"), "w");
  for (let i = 0; i < HUNDRED_MB / chunk.length; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

const scheme = (spec: H2ServerSpec): "http" | "https" => (spec.transport === "tls" ? "https" : "http");

async function main(): Promise<void> {
  ensureTools();
  if (!fs.existsSync(path.join(REPO, "dist", "sundial.mjs"))) {
    execSync("npm run build --silent -- --only=bundle", { cwd: REPO, stdio: "inherit" });
  }
  const servers = H2_SERVERS.filter((s) => only === undefined || only.some((name) => s.name.startsWith(name)));
  if (servers.length === 0) {
    console.log(`sundial bench (http2): no server matches --only=${only?.join(",")}; skipped`);
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-bench-h2-"));
  // nginx's worker runs as another user: it must reach the site (mkdtemp makes the folder 0700).
  fs.chmodSync(work, 0o755);
  const dir = path.join(work, "site");
  fs.mkdirSync(dir, { mode: 0o755 });
  makeSite(dir);
  const certificate = makeCertificate(work);
  const began = new Date();
  const stealBefore = stealPercent();
  const samples: H2Sample[] = [];
  const live = new Map<string, Started>();
  try {
    console.log(
      `sundial bench (http2): ${
        quick ? "quick" : "full"
      }, ${rounds} round(s) x ${duration}s, ${servers.length} servers`,
    );
    for (const spec of servers) {
      const place: Place = { dir, port: await freePort(), work, certificate };
      spec.prepare?.(place);
      const ready = (port: number) => answersH2(scheme(spec), port, "/1k.bin");
      live.set(spec.name, await launch(spec.name, spec.command(place), place.port, ready));
    }
    // An uncounted second of /time each: the JIT compiles before the first counted round.
    for (const spec of servers) {
      await runH2load(
        url(spec, live.get(spec.name)!, "/time"),
        { connections: 10, streams: 10, seconds: 1 },
        LOAD_CORE,
      );
    }
    for (let round = 0; round < rounds; round++) {
      for (const scenario of H2_SCENARIOS) {
        const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
        for (const spec of order) samples.push(await measureRun(spec, live.get(spec.name)!, scenario, round));
      }
    }
  } finally {
    for (const started of live.values()) await stop(started);
    stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const report = writeH2Report({
    quick,
    began,
    rounds,
    duration,
    scenarios: H2_SCENARIOS,
    servers,
    samples,
    machine: machineFacts(),
    stealPercent: stealPercent(stealBefore).percent,
    versions: versions(),
    command,
  });
  console.log(`\n${report.tables}\nwritten to ${report.file}`);
}

function url(spec: H2ServerSpec, started: Started, target: string): string {
  return `${scheme(spec)}://127.0.0.1:${started.port}${target}`;
}

/** One counted h2load run: its rate, and the server's CPU over it. */
async function measureRun(
  spec: H2ServerSpec,
  started: Started,
  scenario: H2Scenario,
  round: number,
): Promise<H2Sample> {
  const pid = started.child.pid!;
  const cpuBefore = treeCpuSeconds(pid);
  const result = await runH2load(url(spec, started, scenario.path), scenario.load(duration, quick), LOAD_CORE);
  const cpuSeconds = treeCpuSeconds(pid) - cpuBefore;
  const ok = result.ok;
  const sample: H2Sample = {
    server: spec.name,
    scenario: scenario.name,
    round,
    requestsPerSec: result.requestsPerSec,
    mibPerSec: result.seconds > 0 ? result.dataBytes / result.seconds / 1024 ** 2 : 0,
    cpuUsPerRequest: (cpuSeconds * 1e6) / Math.max(1, ok),
    // failed counts 4xx, 5xx and resets; a 3xx is no error to h2load, but is one here.
    errors: result.failed + result.threeXx,
  };
  const figure = scenario.throughput
    ? `${sample.mibPerSec.toFixed(0)} MiB/s`
    : `${sample.requestsPerSec.toFixed(0)} req/s`;
  const cost = scenario.throughput
    ? `${((sample.cpuUsPerRequest / 1e6) * (1024 ** 3 / scenario.bytes!)).toFixed(2)} CPU s/GiB`
    : `${sample.cpuUsPerRequest.toFixed(1)} CPU µs/req`;
  console.log(
    `  r${round + 1} ${scenario.name.padEnd(7)} ${spec.name.padEnd(22)} ${figure.padStart(13)} ${cost.padStart(20)}${
      sample.errors ? `  ERRORS ${sample.errors}` : ""
    }`,
  );
  if (sample.errors > 0 && ok === 0) console.log(result.raw);
  return sample;
}

await main();
