// The app bench's tables (bench/apps.ts), written under a heading of their own into the file the
// file bench writes (bench/report.ts keeps the section when it rewrites the file).
import { APP_SCENARIOS, APP_SERVERS, APP_TARGETS } from "./app-servers.ts";
import { median, reportFile, spread, writeAppSection } from "./report.ts";
import { REPO } from "./servers.ts";
import type { WrkResult } from "./wrk.ts";

export interface AppSample {
  readonly server: string;
  readonly scenario: string;
  readonly round: number;
  readonly wrk: WrkResult;
  readonly peakRssMiB: number;
}

/** RSS of a fresh sundial serving hello, after the warm-up and after each wrk run of the series. */
export interface Growth {
  readonly server: string;
  readonly requests: number;
  /** Unexpected statuses and socket errors over the series. */
  readonly errors: number;
  readonly seconds: number;
  readonly startMiB: number;
  readonly series: ReadonlyArray<{ readonly requests: number; readonly rssMiB: number }>;
  readonly peakMiB: number;
}

export interface AppReportInput {
  readonly quick: boolean;
  readonly began: Date;
  readonly rounds: number;
  readonly duration: number;
  readonly servers: readonly string[];
  readonly samples: readonly AppSample[];
  /** RSS 0.3 s after start, per server and scenario. */
  readonly idle: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly growth: readonly Growth[];
  readonly growthRequests: number;
  readonly warmUp: number;
  readonly machine: string;
  readonly stealPercent: number;
  readonly command: string;
}

/**
 * "No RSS growth": the end of the series within this much of the start. A leak of even 10 bytes a
 * request is 9.5 MiB over a million; a heap that settles (JIT, buffer pools) stays within it.
 */
export const GROWTH_LIMIT_MIB = 5;

const requestsPerSec = (input: AppReportInput, server: string, scenario: string): number[] =>
  input.samples.filter((s) => s.server === server && s.scenario === scenario).map((s) => s.wrk.requestsPerSec);

/** sundial / peer per round (the machine is noisy), the same round's runs only. */
function ratios(input: AppReportInput, sundial: string, peer: string, scenario: string): number[] {
  const out: number[] = [];
  for (let round = 0; round < input.rounds; round++) {
    const find = (server: string) => input.samples.find((s) => s.round === round && s.scenario === scenario && s.server === server);
    const ours = find(sundial);
    const theirs = find(peer);
    if (ours !== undefined && theirs !== undefined && theirs.wrk.requestsPerSec > 0) out.push(ours.wrk.requestsPerSec / theirs.wrk.requestsPerSec);
  }
  return out;
}

const count = (n: number): string => n.toLocaleString("en-US");

function throughputRows(input: AppReportInput): string[] {
  const header = ["server", ...APP_SCENARIOS.map((s) => `${s.id} (req/s)`), ...APP_SCENARIOS.map((s) => `${s.app}: idle / peak RSS (MiB)`)];
  const rows = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
  for (const server of input.servers) {
    const rate = APP_SCENARIOS.map((s) => spread(requestsPerSec(input, server, s.id)));
    const rss = APP_SCENARIOS.map((s) => {
      const peak = Math.max(0, ...input.samples.filter((x) => x.server === server && x.scenario === s.id).map((x) => x.peakRssMiB));
      return `${input.idle[server]?.[s.id]?.toFixed(1) ?? "n/a"} / ${peak.toFixed(1)}`;
    });
    rows.push(`| ${server} | ${[...rate, ...rss].join(" | ")} |`);
  }
  return rows;
}

function targetRows(input: AppReportInput): string[] {
  const rows = ["| comparison | scenario | ratio: median (min-max of per-round ratios) | target | met |", "| --- | --- | --- | --- | --- |"];
  for (const scenario of APP_SCENARIOS) {
    for (const { sundial, peer, target } of APP_TARGETS) {
      const r = ratios(input, sundial, peer, scenario.id);
      if (r.length === 0) continue;
      rows.push(`| ${sundial} / ${peer} | ${scenario.id} | ${spread(r, 2)} | >= ${target.toFixed(1)} | ${median(r) >= target ? "yes" : "no"} |`);
    }
  }
  const label = `${count(input.growthRequests)} requests${input.quick ? " (quick mode; 1,000,000 in full mode)" : ""}`;
  for (const g of input.growth) {
    const growth = g.series.at(-1)!.rssMiB - g.startMiB;
    rows.push(`| ${g.server} RSS growth | hello c50, ${label} | ${sign(growth)} MiB | none (within ${GROWTH_LIMIT_MIB} MiB) | ${Math.abs(growth) <= GROWTH_LIMIT_MIB ? "yes" : "no"} |`);
  }
  return rows;
}

const sign = (n: number): string => `${n >= 0 ? "+" : ""}${n.toFixed(1)}`;

function growthRows(input: AppReportInput): string[] {
  const rows = [
    `| server | requests sent | RSS after ${count(input.warmUp)} warm-up (MiB) | halfway (MiB) | end (MiB) | growth (MiB) | peak (MiB) | RSS after each wrk run (MiB) |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const g of input.growth) {
    const end = g.series.at(-1)!;
    const half = g.series.find((s) => s.requests >= end.requests / 2) ?? end;
    const runs = g.series.map((s) => s.rssMiB.toFixed(1)).join(", ");
    rows.push(`| ${g.server} | ${count(g.requests)} in ${g.seconds.toFixed(0)} s | ${g.startMiB.toFixed(1)} | ${half.rssMiB.toFixed(1)} | ${end.rssMiB.toFixed(1)} | ${sign(end.rssMiB - g.startMiB)} | ${g.peakMiB.toFixed(1)} | ${runs} |`);
  }
  return rows;
}

function errorLines(input: AppReportInput): string[] {
  const lines = input.samples
    .filter((s) => s.wrk.non2xx > 0 || s.wrk.socketErrors > 0)
    .map((s) => `- ${s.server}, ${s.scenario}, round ${s.round + 1}: ${s.wrk.non2xx} unexpected statuses, ${s.wrk.socketErrors} socket errors`);
  for (const g of input.growth) if (g.errors > 0) lines.push(`- ${g.server}, RSS series: ${g.errors} unexpected statuses or socket errors`);
  return lines;
}

export function writeAppReport(input: AppReportInput): { table: string; file: string } {
  const throughput = throughputRows(input);
  const targets = targetRows(input);
  const growth = growthRows(input);
  const errors = errorLines(input);
  const commands = APP_SERVERS.filter((s) => input.servers.includes(s.name))
    .map((s) => `- ${s.name}: \`${[...s.command("hello", 0).slice(0, -2).map((a) => a.replace(REPO, ".")), "APP", "PORT"].join(" ")}\``);
  const markdown = `## Apps: fetch handlers on sundial and on each runtime's own server

Measured ${input.began.toISOString()} with \`${input.command}\` (${input.quick ? "quick mode" : "full mode"}, \`bench/apps.ts\`):
${input.rounds} round(s), ${input.duration} s per run, servers interleaved in a rotating order each round. Each
server is pinned to core 0 and wrk to core 1 (\`taskset\`; \`wrk -t 1 -c 50\`, keep-alive). One process per
server and app, all started before the first run. Machine: ${input.machine}. CPU steal time: ${input.stealPercent.toFixed(1)}%.

The apps (\`bench/apps/apps.mjs\`), the same object given to every server: **hello** is
\`{ fetch: () => new Response("Hello, world!") }\` (GET /); **hono-json** is the example Hono app
(\`examples/hono-app/app.ts\`, the whole app with its \`compress()\` middleware) and its JSON route
GET ${APP_SCENARIOS.find((s) => s.app === "hono-json")!.path} (route parameters, \`c.json()\`; wrk sends no Accept-Encoding,
so nothing is compressed). Deno and Bun run the example's source; Node runs it bundled by \`bun build\`
into \`dist/bench/hono-app.mjs\` (Node 20 loads no .ts), and sundial from the library build
\`dist/lib/node.js\`. The reference servers: \`@hono/node-server\` (node:http, with its own lighter
Request and Response in place of the globals while it serves), \`Deno.serve\`, \`Bun.serve\`.

${throughput.join("\n")}

### Targets (issue 14)

${targets.join("\n")}

### RSS over ${count(input.growthRequests)} requests${input.quick ? " (quick mode)" : ""}

A fresh sundial per runtime serves hello to wrk (50 connections) for ${count(input.warmUp)} requests, then for
${count(input.growthRequests)} more in runs of at most 10 s; RSS is read from /proc after the warm-up and
after each run, and sampled every 100 ms during the runs for the peak.

${growth.join("\n")}

### Errors

${errors.length === 0 ? "No socket errors and no unexpected statuses in any run." : errors.join("\n")}

### Commands

${commands.join("\n")}
`;
  const file = reportFile(input.quick);
  writeAppSection(file, markdown);
  return { table: [...throughput, "", ...targets, "", ...growth].join("\n"), file };
}
