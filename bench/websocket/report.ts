// The WebSocket bench's tables (bench/websocket/run.ts), written under a heading of their own into the
// file the file bench writes (bench/files/report.ts keeps the section when it rewrites the file).
import { median, reportFile, spread, WEBSOCKET_SECTION, writeSection } from "../harness/report.ts";
import type { WebSocketServerSpec } from "./servers.ts";

/** One counted echo run against one server. */
export interface EchoSample {
  readonly server: string;
  readonly round: number;
  readonly messagesPerSec: number;
  /** The server's CPU time (user + system) over the run, per message echoed. */
  readonly cpuUsPerMessage: number;
  /** The load client's CPU time over the run, per second (1.0: its core was busy throughout). */
  readonly clientCpuShare: number;
  readonly peakMiB: number;
  readonly errors: number;
}

/** A server's RSS before the sockets, and with them all open and idle. */
export interface Opened {
  readonly server: string;
  readonly beforeMiB: number;
  readonly openMiB: number;
  readonly sockets: number;
}

export interface WebSocketReportInput {
  readonly quick: boolean;
  readonly began: Date;
  readonly rounds: number;
  readonly duration: number;
  readonly sockets: number;
  readonly size: number;
  readonly servers: readonly WebSocketServerSpec[];
  readonly samples: readonly EchoSample[];
  readonly opened: readonly Opened[];
  readonly machine: string;
  readonly stealPercent: number;
  readonly command: string;
}

/** sundial's forms against the peer each is compared with (messages per second, the same round's runs). */
const COMPARED: ReadonlyArray<readonly [string, string]> = [
  ["sundial-bun", "Bun.serve"],
  ["sundial-bun-exe", "Bun.serve"],
  ["sundial-deno", "Deno.serve"],
  ["sundial-node", "ws (node)"],
];

function ratios(input: WebSocketReportInput, over: string, under: string, figure: (s: EchoSample) => number): number[] {
  const out: number[] = [];
  for (let round = 0; round < input.rounds; round++) {
    const a = input.samples.find((s) => s.round === round && s.server === over);
    const b = input.samples.find((s) => s.round === round && s.server === under);
    if (a !== undefined && b !== undefined && figure(b) > 0) out.push(figure(a) / figure(b));
  }
  return out;
}

function echoTable(input: WebSocketReportInput): string {
  const rows = input.servers.map((spec) => {
    const mine = input.samples.filter((s) => s.server === spec.name);
    const open = input.opened.find((o) => o.server === spec.name);
    const perSocketKiB = open === undefined ? Number.NaN : ((open.openMiB - open.beforeMiB) * 1024) / open.sockets;
    const errors = mine.reduce((n, s) => n + s.errors, 0);
    return `| ${spec.name} | ${spread(mine.map((s) => s.messagesPerSec))} | ${
      spread(mine.map((s) => s.cpuUsPerMessage), 1)
    } | ${open?.beforeMiB.toFixed(1) ?? "n/a"} | ${open?.openMiB.toFixed(1) ?? "n/a"} | ${perSocketKiB.toFixed(1)} | ${
      Math.max(...mine.map((s) => s.peakMiB)).toFixed(1)
    } | ${median(mine.map((s) => s.clientCpuShare)).toFixed(2)} | ${errors} |`;
  });
  return [
    "| server | messages/s, median (min-max) | server CPU µs/message | RSS before, MiB | RSS with the sockets open, MiB | KiB per open socket | peak RSS, MiB | load client's core busy | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
}

function ratioTable(input: WebSocketReportInput): string {
  const rows = COMPARED.filter(([a, b]) =>
    input.samples.some((s) => s.server === a) && input.samples.some((s) => s.server === b)
  )
    .map(([a, b]) => {
      const rate = ratios(input, a, b, (s) => s.messagesPerSec);
      const cpu = ratios(input, a, b, (s) => s.cpuUsPerMessage);
      return `| ${a} / ${b} | ${spread(rate, 2)} | ${spread(cpu, 2)} |`;
    });
  return [
    "| sundial / peer | messages/s ratio, median of rounds | CPU per message ratio (lower: sundial cheaper) |",
    "| --- | ---: | ---: |",
    ...rows,
  ].join("\n");
}

export function writeWebSocketReport(input: WebSocketReportInput): { table: string; file: string } {
  const table = `${echoTable(input)}\n\n${ratioTable(input)}`;
  const notes = input.servers.filter((s) => s.note !== undefined).map((s) => `- ${s.name}: ${s.note}`);
  const markdown = [
    "## WebSocket echo",
    "",
    `Run ${input.began.toISOString()} with \`${input.command}\`: ${input.rounds} round(s) of ${input.duration} s per server, ` +
    `interleaved. ${input.sockets} sockets to each server (all open at once, from one client on the load core: ` +
    `bench/websocket/load.mjs under Bun, writing and reading frames itself), each sending a ${input.size}-byte text ` +
    "message and the next as soon as its echo is back. sundial runs `bench/websocket/runners/echo-app.mjs` " +
    "(Bun's shape) with `--app ... --quiet`; Bun.serve runs the same module. CPU is the server's own " +
    '(user + system, /proc/PID/stat) over the run, per message echoed. "RSS with the sockets open" is read ' +
    "1 s after the last handshake, before any message.",
    "",
    `Machine: ${input.machine}; steal ${input.stealPercent.toFixed(1)}% over the run.`,
    "",
    echoTable(input),
    "",
    ratioTable(input),
    "",
    ...notes,
  ].join("\n");
  const file = reportFile(input.quick);
  writeSection(file, WEBSOCKET_SECTION, markdown);
  return { table, file };
}
