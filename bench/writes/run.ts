// npm run bench:writes [-- --quick] [-- --only=name,name] [-- --rounds=N] [-- --duration=S]
// (npm run bench runs it last.) sundial's write side on Node, Deno and Bun: a PUT of one 256 MiB file
// and wrk's 4 KiB PUTs (1 and 16 connections) against nginx's WebDAV PUT and a minimal node:http
// upload server; folder archives (tar, zip, tar.gz of 512 MiB in 200 files) against the same
// server sending one 512 MiB file, nginx sending it, and local tar and gzip. Server CPU time per
// GB or per request from /proc beside each rate, and the server's peak RSS during each case.
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "../harness/args.ts";
import { freePort, launch, type Started, stop, stopAll } from "../harness/processes.ts";
import { REPO } from "../harness/repo.ts";
import { machineFacts, stealPercent, versions } from "../harness/system.ts";
import {
  download,
  FOLDER_BYTES,
  localPipeline,
  makeSite,
  type Outcome,
  putBig,
  type Site,
  smallPuts,
  uploadFolder,
} from "./cases.ts";
import { type CaseId, describe, type WriteSample, writeWritesReport } from "./report.ts";
import { has, WRITE_SERVERS, type WriteServer } from "./servers.ts";

const { args, quick, rounds, duration: givenDuration } = parseArgs(process.argv.slice(2));
const only = parseArgs(process.argv.slice(2)).only;
/** wrk's runs of small PUTs; shorter than the other benches' 5 s, so that the whole bench takes minutes. */
const duration = args.some((a) => a.startsWith("--duration=")) ? givenDuration : quick ? 1 : 3;
/** A download stops after this long (tar.gz is slower than the others): its rate is then over what arrived. */
const capSeconds = quick ? 3 : 6;
/** How much of the folder's tar the local gzip reference compresses. */
const gzipBytes = (quick ? 64 : 128) * 1024 * 1024;
const command = process.env.SUNDIAL_BENCH_COMMAND ??
  `npm run bench:writes${args.length ? ` -- ${args.join(" ")}` : ""}`;

/** Peers left out, with the reason. */
const skipped = new Map<string, string>();
const samples: WriteSample[] = [];

function wanted(): WriteServer[] {
  const chosen = WRITE_SERVERS.filter((s) => only === undefined || only.includes(s.name));
  if (chosen.some((s) => s.name === "nginx-dav") && !has("nginx")) {
    skipped.set("nginx-dav", "nginx not found (apt-get install -y nginx-light)");
    return chosen.filter((s) => s.name !== "nginx-dav");
  }
  return chosen;
}

async function startAll(servers: readonly WriteServer[], site: Site): Promise<Map<string, Started>> {
  const live = new Map<string, Started>();
  for (const spec of servers.filter((s) => !skipped.has(s.name))) {
    const port = await freePort();
    try {
      spec.prepare?.(site.site, port, site.work);
      live.set(spec.name, await launch(spec.name, spec.command(site.site, port, site.work), port, "/probe.txt"));
    } catch (error) {
      if (spec.kind === "sundial") throw error;
      skipped.set(spec.name, `did not start (${String(error).split("\n")[0]})`);
    }
  }
  return live;
}

function record(server: string, id: CaseId, round: number, outcome: Outcome): void {
  samples.push({ server, case: id, round, outcome });
  console.log(`  r${round + 1} ${id.padEnd(14)} ${server.padEnd(14)} ${describe(id, outcome)}`);
}

/** One case against the servers that can do it. */
interface ServerCase {
  readonly id: CaseId;
  readonly takes: (spec: WriteServer) => boolean;
  readonly run: (started: Started, spec: WriteServer, site: Site) => Promise<Outcome>;
}

function smallPutCase(connections: 1 | 16): ServerCase {
  return {
    id: connections === 1 ? "PUT 4 KiB c1" : "PUT 4 KiB c16",
    takes: () => true,
    run: (started, spec, site) =>
      smallPuts(started, uploadFolder(site.site, `up-${spec.name}-c${connections}`), connections, duration),
  };
}

const SERVER_CASES: readonly ServerCase[] = [
  {
    id: "PUT 256 MiB",
    takes: () => true,
    run: (started, spec, site) => putBig(started, site, `${uploadFolder(site.site, `up-${spec.name}`)}/big.bin`),
  },
  smallPutCase(1),
  smallPutCase(16),
  ...(["tar", "zip", "tar.gz"] as const).map((id): ServerCase => ({
    id,
    takes: (spec) => spec.archives,
    run: (started) => download(started, `/data/?download=${id}`, capSeconds),
  })),
  {
    id: "static file",
    takes: (spec) => spec.archives || spec.name === "nginx-dav",
    run: (started) => download(started, "/big.bin", capSeconds),
  },
];

/**
 * Each case on freshly started servers (so that a case's peak RSS is its own, not what an earlier
 * case grew the process to), its rounds interleaved: every server once per round, in a rotating order.
 */
async function runCase(c: ServerCase, servers: readonly WriteServer[], site: Site): Promise<void> {
  const taking = servers.filter(c.takes);
  const live = await startAll(taking, site);
  const running = taking.filter((s) => live.has(s.name));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const spec of running.map((_, i) => running[(i + round) % running.length]!)) {
        record(spec.name, c.id, round, await c.run(live.get(spec.name)!, spec, site));
      }
    }
  } finally {
    for (const started of live.values()) await stop(started);
    for (const spec of taking) {
      for (const folder of [`up-${spec.name}`, `up-${spec.name}-c1`, `up-${spec.name}-c16`]) {
        fs.rmSync(path.join(site.site, folder), { recursive: true, force: true });
      }
    }
  }
}

/** tar, and tar with gzip, of the same folder on the server core: what archiving and compressing cost without a server. */
async function localReferences(site: Site): Promise<void> {
  const data = path.join(site.site, "data");
  for (let round = 0; round < rounds; round++) {
    const tar = `tar -cf - -C ${data} . | cat > /dev/null`;
    record("local", "tar | cat", round, await localPipeline(tar, FOLDER_BYTES));
    const gzip = `tar -cf - -C ${data} . | head -c ${gzipBytes} | gzip -6 > /dev/null`;
    record("local", "tar | gzip -6", round, await localPipeline(gzip, gzipBytes));
  }
}

async function main(): Promise<void> {
  if (!has("curl") || !has("wrk") || !has("taskset")) {
    throw new Error("the writes bench needs curl, wrk and taskset (apt-get install -y curl wrk util-linux)");
  }
  const servers = wanted();
  if (!servers.some((s) => s.kind === "sundial")) {
    console.log(`sundial bench (writes): no sundial server matches --only=${only?.join(",")}; skipped`);
    return;
  }
  if (!fs.existsSync(path.join(REPO, "dist", "sundial.mjs"))) {
    execSync("bun scripts/build.ts --only=bundle", { cwd: REPO, stdio: "inherit" });
  }
  for (const [name, why] of skipped) console.log(`  skipped ${name}: ${why}`);
  const began = new Date();
  const stealBefore = stealPercent();
  const loadBefore = os.loadavg()[0]!;
  console.log(
    `sundial bench (writes): making the site (${FOLDER_BYTES / 1024 ** 2} MiB folder, 512 MiB file, 256 MiB body)`,
  );
  const site = makeSite();
  try {
    console.log(
      `  ${
        quick ? "quick" : "full"
      }: ${rounds} round(s), wrk runs of ${duration} s, downloads capped at ${capSeconds} s`,
    );
    for (const c of SERVER_CASES) await runCase(c, servers, site);
    await localReferences(site);
  } finally {
    stopAll();
    fs.rmSync(site.work, { recursive: true, force: true });
  }
  const report = writeWritesReport({
    quick,
    began,
    rounds,
    duration,
    capSeconds,
    gzipBytes,
    servers: servers.map((s) => s.name).filter((name) => !skipped.has(name)),
    skipped: [...skipped].map(([name, why]) => `${name}: ${why}`),
    samples,
    machine: machineFacts(),
    versions: versions(),
    stealPercent: stealPercent(stealBefore).percent,
    load: [loadBefore, os.loadavg()[0]!],
    command,
  });
  console.log(`\n${report.table}\nwritten to ${report.file}`);
}

await main();
