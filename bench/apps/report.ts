// The app bench's tables (bench/apps/run.ts), written under a heading of their own into the file the
// file bench writes (bench/files/report.ts keeps the section when it rewrites the file).
import { APP_SECTION, median, reportFile, type Sample, spread, writeSection } from "../harness/report.ts";
import { REPO } from "../harness/repo.ts";
import { LAYERS } from "./runners/layers.mjs";
import { APP_SCENARIOS, APP_SERVERS, APP_TARGETS, type AppTarget } from "./servers.ts";

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
  readonly samples: readonly Sample[];
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
 * "No RSS growth": the end of the series within this share of the RSS after the warm-up, room for
 * the garbage collector's heap sizing (V8's heap grows and shrinks by several MiB with no leak).
 * A leak of 12 bytes a request exceeds it over a million requests on a 110 MiB process.
 */
export const GROWTH_TOLERANCE = 0.1;

const requestsPerSec = (input: AppReportInput, server: string, scenario: string): number[] =>
  input.samples.filter((s) => s.server === server && s.scenario === scenario).map((s) => s.wrk.requestsPerSec);

const cpuPerRequest = (input: AppReportInput, server: string, scenario: string): number[] =>
  input.samples.filter((s) => s.server === server && s.scenario === scenario && s.cpuUsPerRequest !== undefined)
    .map((s) => s.cpuUsPerRequest!);

/** `over` / `under` per round (the machine is noisy), the same round's runs only: of req/s or of CPU µs a request. */
function ratios(input: AppReportInput, target: AppTarget, scenario: string): number[] {
  const figure = (s: Sample): number | undefined => target.figure === "rate" ? s.wrk.requestsPerSec : s.cpuUsPerRequest;
  const out: number[] = [];
  for (let round = 0; round < input.rounds; round++) {
    const find = (server: string) =>
      input.samples.find((s) => s.round === round && s.scenario === scenario && s.server === server);
    const ours = find(target.over);
    const theirs = find(target.under);
    const a = ours === undefined ? undefined : figure(ours);
    const b = theirs === undefined ? undefined : figure(theirs);
    if (a !== undefined && b !== undefined && b > 0) out.push(a / b);
  }
  return out;
}

const count = (n: number): string => n.toLocaleString("en-US");

/** The runtime's own server for hello beside sundial's layers (the peer the target names). */
const OWN_SERVER: Readonly<Record<string, string>> = {
  node: "@hono/node-server",
  deno: "Deno.serve",
  bun: "Bun.serve",
};

/**
 * Where the time of a hello request goes on each runtime: the layers of the fetch path
 * (bench/apps/runners/layers.mjs) served alone, each as req/s and microseconds a request (1 / rate, on the
 * one server core), so that a layer's cost is the difference of two columns of one row.
 */
function layerRows(input: AppReportInput): string[] {
  const hello = APP_SCENARIOS.find((s) => s.app === "hello")!.id;
  const cell = (server: string): string => {
    const rates = requestsPerSec(input, server, hello);
    if (rates.length === 0) return "n/a";
    const m = median(rates);
    const cpu = cpuPerRequest(input, server, hello);
    return `${count(Math.round(m))} (${(1e6 / m).toFixed(1)} µs; CPU ${
      cpu.length === 0 ? "n/a" : median(cpu).toFixed(1)
    } µs)`;
  };
  const columns = [...LAYERS, "hello (the whole fetch path)"];
  const rows = [
    `| runtime | ${columns.join(" | ")} | the runtime's own server, hello |`,
    `| --- | ${columns.map(() => "---").join(" | ")} | --- |`,
  ];
  for (const runtime of ["node", "deno", "bun"]) {
    if (!input.servers.some((s) => s.startsWith(`sundial-${runtime} `))) continue;
    const own = OWN_SERVER[runtime]!;
    rows.push(
      `| ${runtime} | ${
        [...LAYERS.map((l) => cell(`sundial-${runtime} ${l}`)), cell(`sundial-${runtime}`)].join(" | ")
      } | ${own}: ${cell(own)} |`,
    );
  }
  return rows;
}

function throughputRows(input: AppReportInput): string[] {
  const header = [
    "server",
    ...APP_SCENARIOS.flatMap((s) => [`${s.id} (req/s)`, `${s.app}: CPU µs / request`]),
    ...APP_SCENARIOS.map((s) => `${s.app}: idle / peak RSS (MiB)`),
  ];
  const rows = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`];
  for (const server of input.servers.filter((name) => APP_SERVERS.find((s) => s.name === name)?.kind !== "layer")) {
    const rate = APP_SCENARIOS.flatMap((s) => [
      spread(requestsPerSec(input, server, s.id)),
      spread(cpuPerRequest(input, server, s.id), 1),
    ]);
    const rss = APP_SCENARIOS.map((s) => {
      const runs = input.samples.filter((x) => x.server === server && x.scenario === s.id);
      if (runs.length === 0) return "n/a";
      const peak = Math.max(0, ...runs.map((x) => x.peakRssMiB));
      return `${input.idle[server]?.[s.id]?.toFixed(1) ?? "n/a"} / ${peak.toFixed(1)}`;
    });
    rows.push(`| ${server} | ${[...rate, ...rss].join(" | ")} |`);
  }
  return rows;
}

function targetRows(input: AppReportInput): string[] {
  const rows = [
    "| comparison | scenario | figure | ratio: median (min-max of per-round ratios) | target | met |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const scenario of APP_SCENARIOS) {
    for (const target of APP_TARGETS.filter((t) => t.apps.includes(scenario.app))) {
      const r = ratios(input, target, scenario.id);
      if (r.length === 0) continue;
      const { atLeast, atMost } = target;
      const goal = atLeast !== undefined
        ? `>= ${atLeast.toFixed(1)}`
        : atMost !== undefined
        ? `<= ${atMost.toFixed(1)}`
        : "none (informative)";
      const m = median(r);
      const met = atLeast !== undefined
        ? (m >= atLeast ? "yes" : "no")
        : atMost !== undefined
        ? (m <= atMost ? "yes" : "no")
        : "-";
      const figure = target.figure === "rate" ? "req/s" : "CPU µs / request";
      rows.push(
        `| ${target.label ?? `${target.over} / ${target.under}`} | ${scenario.id} | ${figure} | ${
          spread(r, 2)
        } | ${goal} | ${met} |`,
      );
    }
  }
  const label = `${count(input.growthRequests)} requests${input.quick ? " (quick mode; 1,000,000 in full mode)" : ""}`;
  for (const g of input.growth) {
    const growth = g.series.at(-1)!.rssMiB - g.startMiB;
    const met = growth <= GROWTH_TOLERANCE * g.startMiB ? "yes" : "no";
    rows.push(
      `| ${g.server} RSS growth | hello c50, ${label} | RSS | ${sign(growth)} MiB (${perRequest(g)}) | none (within ${
        100 * GROWTH_TOLERANCE
      }% of the start) | ${met} |`,
    );
  }
  return rows;
}

const sign = (n: number): string => `${n >= 0 ? "+" : ""}${n.toFixed(1)}`;

/** The growth as bytes a request: what it would be if it were a leak. */
const perRequest = (g: Growth): string =>
  `${sign(((g.series.at(-1)!.rssMiB - g.startMiB) * 1048576) / g.requests)} B/request`;

function growthRows(input: AppReportInput): string[] {
  const rows = [
    `| server | requests sent | RSS after ${
      count(input.warmUp)
    } warm-up (MiB) | halfway (MiB) | end (MiB) | growth (MiB) | per request | peak (MiB) | RSS after each wrk run (MiB) |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const g of input.growth) {
    const end = g.series.at(-1)!;
    const half = g.series.find((s) => s.requests >= end.requests / 2) ?? end;
    const runs = g.series.map((s) => s.rssMiB.toFixed(1)).join(", ");
    rows.push(
      `| ${g.server} | ${count(g.requests)} in ${g.seconds.toFixed(0)} s | ${g.startMiB.toFixed(1)} | ${
        half.rssMiB.toFixed(1)
      } | ${end.rssMiB.toFixed(1)} | ${sign(end.rssMiB - g.startMiB)} | ${perRequest(g)} | ${
        g.peakMiB.toFixed(1)
      } | ${runs} |`,
    );
  }
  return rows;
}

function errorLines(input: AppReportInput): string[] {
  const lines = input.samples
    .filter((s) => s.wrk.non2xx > 0 || s.wrk.socketErrors > 0)
    .map((s) =>
      `- ${s.server}, ${s.scenario}, round ${
        s.round + 1
      }: ${s.wrk.non2xx} unexpected statuses, ${s.wrk.socketErrors} socket errors`
    );
  for (const g of input.growth) {
    if (g.errors > 0) lines.push(`- ${g.server}, RSS series: ${g.errors} unexpected statuses or socket errors`);
  }
  return lines;
}

/** A runner's argv as the report shows it: paths from the repository, APP (a layer keeps its name) and PORT for the two arguments. */
function commandLine(argv: readonly string[]): string {
  const at = argv.findIndex((a, i) =>
    argv[i + 1] === "0" && (a === "hello" || (LAYERS as readonly string[]).includes(a))
  );
  return argv.map((a, i) => (i === at && a === "hello" ? "APP" : i === at + 1 ? "PORT" : a.replace(REPO, "."))).join(
    " ",
  );
}

export function writeAppReport(input: AppReportInput): { table: string; file: string } {
  const throughput = throughputRows(input);
  const layers = layerRows(input);
  const targets = targetRows(input);
  const growth = growthRows(input);
  const errors = errorLines(input);
  const commands = APP_SERVERS.filter((s) => input.servers.includes(s.name))
    .map((s) => `- ${s.name}: \`${commandLine(s.command("hello", 0))}\``);
  const markdown = `## Apps: fetch handlers on sundial and on each runtime's own server

Measured ${input.began.toISOString()} with \`${input.command}\` (${
    input.quick ? "quick mode" : "full mode"
  }, \`bench/apps/run.ts\`):
${input.rounds} round(s), ${input.duration} s per run, servers interleaved in a rotating order each round. Each
server is pinned to core 0 and wrk to core 1 (\`taskset\`; \`wrk -t 1 -c 50\`, keep-alive). One process per
server and app, all started before the first run, each given an uncounted 1 s wrk run first (warm-up). Machine: ${input.machine}. CPU steal time: ${
    input.stealPercent.toFixed(1)
  }%.

The apps (\`bench/apps/runners/apps.mjs\`), the same object given to every server: **hello** is
\`{ fetch: () => new Response("Hello, world!") }\` (GET /); **hono-json** is the example Hono app
(\`examples/hono-app/app.ts\`, the whole app with its \`compress()\` middleware) and its JSON route
GET ${
    APP_SCENARIOS.find((s) => s.app === "hono-json")!.path
  } (route parameters, \`c.json()\`; wrk sends no Accept-Encoding,
so nothing is compressed). Deno and Bun run the example's source; Node runs it bundled by \`bun build\`
into \`dist/bench/hono-app.mjs\` (Node 20 loads no .ts), and sundial from the library build
\`dist/lib/node.js\`. The reference servers: \`@hono/node-server\` (node:http, with its own lighter
Request and Response in place of the globals while it serves), \`Deno.serve\`, \`Bun.serve\`. Beside
each rate, the server's CPU time per request: user + system time from \`/proc/PID/stat\` (the process
and its children) across the wrk run, over the requests wrk counted; it moves less than the rate
when something else takes a core for a moment.
${
    APP_SERVERS.filter((s) => s.note !== undefined && input.servers.includes(s.name)).map((s) =>
      `${s.name}: ${s.note}.`
    ).join("\n")
  }

${throughput.join("\n")}

### Where the time goes (hello c50)

The layers of sundial's fetch path, each served alone in the same run (\`bench/apps/runners/layers.mjs\`):
**constant** is an App that returns one prepared answer (the core alone: parse, frame, write);
**constant-async** the same as a resolved promise; **app-unread** a fetch app whose handler makes
its \`new Response("Hello, world!")\` and is answered with a prepared Response without a body (the
lazy Request, the handler, the Response constructor, the head's conversion; no body read); **hello**
the whole path (its body read and framed). Median req/s, microseconds a request on the one
server core (1 / rate), and the measured CPU µs a request: a layer costs the difference between two
columns of a row. A ratio target above what
the **constant** column reaches on a runtime is beyond the core on that runtime, whatever the fetch
path costs.

${layers.join("\n")}

Step by step in one process (new Response, its stream, sundial's conversion, the Hono route):
\`bench/apps/steps.ts\` (its header says how to run it on each runtime).

### Targets (issue 25)

Each ratio is taken per round from the two runs of that round, and summarised as the median. The
fetch layer's target: sundial's hello CPU µs a request over its **constant** layer's, at most 1.5
(the fetch path adds at most half of what the core costs).

${targets.join("\n")}

### RSS over ${count(input.growthRequests)} requests${input.quick ? " (quick mode)" : ""}

A fresh sundial per runtime serves hello to wrk (50 connections) for ${count(input.warmUp)} requests, then for
${count(input.growthRequests)} more in runs of at most 10 s; RSS is read from /proc after the warm-up and
after each run, and sampled every 100 ms during the runs for the peak. "No growth" is met when the
end is within ${100 * GROWTH_TOLERANCE}% of the RSS after the warm-up (the garbage collector resizes its heap by several
MiB with no leak); "per request" is the growth divided by the requests, what it would be if it were a leak.

${growth.join("\n")}

### Errors

${errors.length === 0 ? "No socket errors and no unexpected statuses in any run." : errors.join("\n")}

### Commands

${commands.join("\n")}
`;
  const file = reportFile(input.quick);
  writeSection(file, APP_SECTION, markdown);
  return { table: [...throughput, "", ...layers, "", ...targets, "", ...growth].join("\n"), file };
}
