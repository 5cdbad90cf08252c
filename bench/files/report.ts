// The files bench's report (bench/files/run.ts): throughput, targets, resources, errors, commands,
// written above the apps and writes benches' sections of the same file, which it keeps.
import * as fs from "node:fs";
import * as path from "node:path";
import { keptSections, median, reportFile, type Sample, spread } from "../harness/report.ts";
import { REPO } from "../harness/repo.ts";
import type { Scenario, ServerFacts } from "./scenarios.ts";
import { NATIVE_PEER, SERVERS } from "./servers.ts";

export interface ReportInput {
  readonly quick: boolean;
  readonly began: Date;
  readonly rounds: number;
  readonly duration: number;
  readonly servers: readonly string[];
  readonly scenarios: readonly Scenario[];
  readonly samples: readonly Sample[];
  readonly facts: Readonly<Record<string, ServerFacts>>;
  readonly machine: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly stealPercent: { percent: number };
  readonly command: string;
}

const value = (
  s: Sample,
  scenario: Scenario,
): number => (scenario.throughput ? s.wrk.bytesPerSec / 1048576 : s.wrk.requestsPerSec);

function valuesOf(input: ReportInput, server: string, scenario: Scenario): number[] {
  return input.samples.filter((s) => s.server === server && s.scenario === scenario.id).map((s) => value(s, scenario));
}

/** Ratio a/b computed per round (the machine is noisy), then summarised. */
function ratios(input: ReportInput, a: string | "best-sundial", b: string, scenario: Scenario): number[] {
  const out: number[] = [];
  for (let round = 0; round < input.rounds; round++) {
    const inRound = input.samples.filter((s) => s.round === round && s.scenario === scenario.id);
    const base = inRound.find((s) => s.server === b);
    const top = a === "best-sundial"
      ? inRound.filter((s) => s.server.startsWith("sundial-") && !isMultiProcess(s.server)).sort((x, y) =>
        value(y, scenario) - value(x, scenario)
      )[0]
      : inRound.find((s) => s.server === a);
    if (base !== undefined && top !== undefined && value(base, scenario) > 0) {
      out.push(value(top, scenario) / value(base, scenario));
    }
  }
  return out;
}

/** --workers 2 and nginx with two workers: on both cores, so never held against one-core targets. */
const isMultiProcess = (server: string): boolean => server.endsWith("-w2");

/** --workers 2 against one process of the same, and against nginx with two workers (issue 16); no target. */
function workerRows(input: ReportInput): string[] {
  const lines = ["| --workers 2 | scenario | ratio: median (min-max of per-round ratios) |", "| --- | --- | --- |"];
  for (const scenario of input.scenarios) {
    for (const server of input.servers.filter((s) => s.startsWith("sundial-") && isMultiProcess(s))) {
      for (const base of [server.replace(/-w2$/, ""), "nginx-w2"]) {
        const r = ratios(input, server, base, scenario);
        if (r.length > 0) lines.push(`| ${server} / ${base} | ${scenario.id} | ${spread(r, 2)} |`);
      }
    }
  }
  return lines.length > 2 ? ["", ...lines] : [];
}

function targetRows(input: ReportInput): string[] {
  const byId = (id: string): Scenario => input.scenarios.find((s) => s.id === id)!;
  const rows: Array<[string, string, string, Scenario, number]> = [];
  for (const id of ["/time c50", "1 KB c50"]) {
    rows.push(["sundial-node", NATIVE_PEER["sundial-node"]!, "sundial-node / node http", byId(id), 1.5]);
    rows.push(["sundial-deno", NATIVE_PEER["sundial-deno"]!, "sundial-deno / Deno.serve", byId(id), 1.5]);
    rows.push(["sundial-bun", NATIVE_PEER["sundial-bun"]!, "sundial-bun / Bun.serve", byId(id), 1.0]);
  }
  // The access log's cost (issue 15): sundial as run by default, against the same with --quiet.
  for (const id of ["/time c50", "1 KB c50"]) {
    for (const runtime of ["node", "deno", "bun"]) {
      rows.push([
        `sundial-${runtime}`,
        `sundial-${runtime}-quiet`,
        `sundial-${runtime} (access log on) / --quiet`,
        byId(id),
        0.9,
      ]);
    }
  }
  rows.push(["best-sundial", "nginx", "fastest sundial / nginx", byId("1 KB c50"), 0.8]);
  rows.push(["best-sundial", "nginx", "fastest sundial / nginx", byId("100 MB c4"), 0.8]);
  const lines = [
    "| comparison | scenario | ratio: median (min-max of per-round ratios) | target | met |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const [a, b, label, scenario, target] of rows) {
    const r = ratios(input, a, b, scenario);
    if (r.length === 0) continue;
    const met = median(r) >= target ? "yes" : "no";
    lines.push(`| ${label} | ${scenario.id} | ${spread(r, 2)} | >= ${target.toFixed(1)} | ${met} |`);
  }
  // A target per process: the -w2 servers' figures are three processes' (their resources table has them).
  for (const server of input.servers.filter((s) => s.startsWith("sundial-") && !isMultiProcess(s))) {
    const rss = input.facts[server]?.freshBigRssMiB;
    if (rss === undefined) continue;
    lines.push(
      `| ${server} peak RSS, fresh process | 100 MB c4 | ${rss.toFixed(1)} MiB | < 100 MB (95.4 MiB) | ${
        rss < 100e6 / 1048576 ? "yes" : "no"
      } |`,
    );
  }
  return [...lines, ...workerRows(input)];
}

export function writeReport(input: ReportInput): { table: string; file: string } {
  const header = ["server", ...input.scenarios.map((s) => (s.throughput ? `${s.id} (MiB/s)` : `${s.id} (req/s)`))];
  const results = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
  for (const server of input.servers) {
    const cells = input.scenarios.map((scenario) => spread(valuesOf(input, server, scenario)));
    results.push(`| ${server} | ${cells.join(" | ")} |`);
  }
  const resources = [
    "| server | idle RSS (MiB) | peak RSS over all runs (MiB) | peak RSS serving 100 MB, fresh process (MiB) | start to first response (ms): median (min-max) |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const server of input.servers) {
    const mine = input.samples.filter((s) => s.server === server);
    const load = Math.max(0, ...mine.map((s) => s.peakRssMiB));
    const facts = input.facts[server]!;
    const big = facts.freshBigRssMiB === undefined ? "n/a" : facts.freshBigRssMiB.toFixed(1);
    resources.push(
      `| ${server} | ${facts.idleRssMiB.toFixed(1)} | ${load.toFixed(1)} | ${big} | ${spread(facts.startupMs)} |`,
    );
  }
  const errors: string[] = [];
  for (const s of input.samples) {
    const scenario = input.scenarios.find((x) => x.id === s.scenario)!;
    const wrongStatus = scenario.expectStatus === 200 ? s.wrk.non2xx : s.wrk.requests - s.wrk.non2xx;
    if (wrongStatus > 0 || s.wrk.socketErrors > 0) {
      errors.push(
        `- ${s.server}, ${s.scenario}, round ${
          s.round + 1
        }: ${wrongStatus} unexpected statuses, ${s.wrk.socketErrors} socket errors`,
      );
    }
  }
  const executables = SERVERS.filter((spec) => spec.file !== undefined && input.servers.includes(spec.name)).map((
    spec,
  ) =>
    `| ${spec.name} | ${(fs.statSync(spec.file!).size / 1048576).toFixed(1)} | ${
      input.facts[spec.name]!.idleRssMiB.toFixed(1)
    } | ${spread(input.facts[spec.name]!.startupMs)} |`
  );
  if (executables.length > 0) {
    resources.push(
      "",
      "Standalone executables (`npm run build`):",
      "",
      "| executable | size (MiB) | idle RSS (MiB) | start to first response (ms) |",
      "| --- | --- | --- | --- |",
      ...executables,
    );
  }
  const table = [...results, "", ...targetRows(input), "", ...resources].join("\n");
  const commands = SERVERS.filter((s) => input.servers.includes(s.name))
    .map((s) => `- ${s.name}: \`${s.command("$DIR", 0, "$WORK").map((a) => a.replace(REPO, ".")).join(" ")}\``);
  const markdown = `# Benchmarks

Measured ${input.began.toISOString()} with \`${input.command}\` (${input.quick ? "quick mode" : "full mode"}):
${input.rounds} round(s), ${input.duration} s per run (100 MB runs at least 2 s), servers interleaved in a rotating order
each round. Each server is pinned to core 0 and wrk to core 1 (\`taskset\`); the \`-w2\` servers (\`--workers 2\`, nginx
with \`worker_processes 2\`) may use both cores, which they share with wrk; wrk uses one thread and keep-alive:
\`taskset -c 1 wrk -t 1 -c CONNECTIONS -d ${input.duration}s --timeout 10s URL\`.

Machine: ${input.machine}. CPU steal time during the run: ${input.stealPercent.percent.toFixed(1)}%.
This machine is noisy: compare ratios measured in the same run, not figures across runs.

Versions: ${Object.entries(input.versions).map(([k, v]) => `${k} ${v}`).join("; ")}.

## Throughput

Median over rounds (min-max). Requests per second unless marked MiB/s; "n/a" where a server cannot
do the scenario (python's http.server has no /time).

${results.join("\n")}

## Targets (ratios per round, then the median)

${targetRows(input).join("\n")}

## Resources

Idle RSS is read from /proc 0.5 s after start; peak RSS is sampled from /proc every 100 ms during
each run (the server, and nginx's worker). The 100 MB column comes from a separate start of each
server that serves only the 100 MB file (wrk, 4 connections, ${Math.max(2, input.duration)} s, sampled every 50 ms),
because a long-lived process keeps what the 1000-connection runs grew it to. Start-up time is from spawning the process to the
first 200 for /1kb.bin (polled every 5 ms), over ${input.facts[input.servers[0]!]?.startupMs.length ?? 0} starts.

${resources.join("\n")}

## Errors

${
    errors.length === 0
      ? "No socket errors and no unexpected statuses in any run (the 404 scenario expects 404s)."
      : errors.join("\n")
  }

## Commands

The site: \`index.html\`, \`1kb.bin\`, \`100kb.bin\`, \`100mb.bin\` (random bytes) in a temporary folder \`$DIR\`.

${commands.join("\n")}
`;
  const file = reportFile(input.quick);
  // The apps and writes benches' sections (bench/apps/run.ts, bench/writes/run.ts) stay as their last runs left them.
  const kept = keptSections(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, kept.length === 0 ? markdown : `${markdown}\n${kept.join("\n\n")}\n`);
  return { table, file };
}
