// The HTTP/2 bench's tables (bench/http2/run.ts), written under a heading of their own into the file
// the file bench writes (bench/files/report.ts keeps the section when it rewrites the file).
import { HTTP2_SECTION, reportFile, spread, writeSection } from "../harness/report.ts";
import type { H2Scenario } from "./scenarios.ts";
import type { H2ServerSpec } from "./servers.ts";

/** One counted h2load run against one server in one scenario and round. */
export interface H2Sample {
  readonly server: string;
  readonly scenario: string;
  readonly round: number;
  readonly requestsPerSec: number;
  /** DATA payload received per second, in MiB. */
  readonly mibPerSec: number;
  /** The server's CPU time (user + system, its process tree) over the run, per 2xx response. */
  readonly cpuUsPerRequest: number;
  /** Requests not answered 2xx: a status other than 2xx, a reset, the network. */
  readonly errors: number;
}

export interface H2ReportInput {
  readonly quick: boolean;
  readonly began: Date;
  readonly rounds: number;
  readonly duration: number;
  readonly scenarios: readonly H2Scenario[];
  readonly servers: readonly H2ServerSpec[];
  readonly samples: readonly H2Sample[];
  readonly machine: string;
  readonly stealPercent: number;
  readonly versions: Readonly<Record<string, string>>;
  readonly command: string;
}

/** A figure's per-round ratios of server a to server b in one scenario (the same round's runs). */
function ratios(input: H2ReportInput, scenario: string, a: string, b: string, figure: (s: H2Sample) => number) {
  const out: number[] = [];
  for (let round = 0; round < input.rounds; round++) {
    const pick = (server: string) =>
      input.samples.find((s) => s.round === round && s.scenario === scenario && s.server === server);
    const x = pick(a);
    const y = pick(b);
    if (x !== undefined && y !== undefined && figure(y) > 0) out.push(figure(x) / figure(y));
  }
  return out;
}

/** A scenario's rate: requests per second, or MiB/s for a large file. */
const rate = (scenario: H2Scenario) => (s: H2Sample): number => scenario.throughput ? s.mibPerSec : s.requestsPerSec;
/** CPU: µs per request, or s per GiB of body for a large file. */
const cpu = (scenario: H2Scenario) => (s: H2Sample): number =>
  scenario.throughput ? (s.cpuUsPerRequest / 1e6) * (1024 ** 3 / scenario.bytes!) : s.cpuUsPerRequest;

function scenarioTable(input: H2ReportInput, scenario: H2Scenario): string {
  const rateHead = scenario.throughput ? "MiB/s" : "requests/s";
  const cpuHead = scenario.throughput ? "server CPU s per GiB" : "server CPU µs/request";
  const rows = input.servers.map((spec) => {
    const mine = input.samples.filter((s) => s.server === spec.name && s.scenario === scenario.name);
    const errors = mine.reduce((n, s) => n + s.errors, 0);
    return `| ${spec.name} | ${spread(mine.map(rate(scenario)))} | ${
      spread(mine.map(cpu(scenario)), scenario.throughput ? 2 : 1)
    } | ${errors} |`;
  });
  return [
    `| ${scenario.name}: server | ${rateHead}, median (min-max) | ${cpuHead} | errors |`,
    "| --- | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
}

/** Each sundial against nginx and Caddy on the same transport, per scenario. */
function ratioTable(input: H2ReportInput): string {
  const rows: string[] = [];
  for (const scenario of input.scenarios) {
    for (const ours of input.servers.filter((s) => s.kind === "sundial")) {
      for (const peer of input.servers.filter((s) => s.kind === "peer" && s.transport === ours.transport)) {
        const r = ratios(input, scenario.name, ours.name, peer.name, rate(scenario));
        const c = ratios(input, scenario.name, ours.name, peer.name, cpu(scenario));
        if (r.length === 0) continue;
        rows.push(`| ${scenario.name} | ${ours.name} / ${peer.name} | ${spread(r, 2)} | ${spread(c, 2)} |`);
      }
    }
  }
  return [
    "| scenario | sundial / peer | rate ratio, median of rounds | CPU ratio (lower: sundial cheaper) |",
    "| --- | --- | ---: | ---: |",
    ...rows,
  ].join("\n");
}

/** The versions this bench's figures depend on. */
const RELEVANT = ["sundial", "node", "deno", "bun", "nginx", "caddy", "h2load"];

export function writeH2Report(input: H2ReportInput): { tables: string; file: string } {
  const tables = input.scenarios.map((s) => scenarioTable(input, s)).join("\n\n");
  const notes = [
    ...new Map(input.servers.filter((s) => s.note !== undefined).map((s) => [s.name.split(" ")[0], s.note])),
  ]
    .map(([name, note]) => `- ${name}: ${note}`);
  const loads = input.scenarios.map((s) => `${s.name} (${s.describe})`).join(", ");
  const markdown = [
    "## HTTP/2",
    "",
    `Run ${input.began.toISOString()} with \`${input.command}\`${
      input.quick ? " (a quick run: figures are indicative)" : ""
    }: ` +
    `${input.rounds} round(s), servers interleaved. h2load (${input.versions.h2load ?? "?"}) on the load core, one ` +
    `thread: ${loads}. Each server over TLS (ALPN h2, one self-signed EC P-256 certificate for all) and h2c ` +
    "(prior knowledge). sundial runs `--http2 --quiet`. CPU is the server's own (user + system, /proc, its " +
    "process tree) over the run, per 2xx response (per GiB of body for the large file). An uncounted " +
    "second of /time warms each server first.",
    "",
    `Machine: ${input.machine}; steal ${input.stealPercent.toFixed(1)}% over the run. Versions: ${
      Object.entries(input.versions).filter(([k]) => RELEVANT.includes(k)).map(([k, v]) => `${k} ${v}`).join(", ")
    }.`,
    "",
    tables,
    "",
    ratioTable(input),
    "",
    ...notes,
  ].join("\n");
  const file = reportFile(input.quick);
  writeSection(file, HTTP2_SECTION, markdown);
  return { tables, file };
}
