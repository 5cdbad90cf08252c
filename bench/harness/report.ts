// What the benches' reports share: a run's sample, the statistics over rounds, and the file they
// all write (the files bench's tables, then the apps and writes benches' sections, which each keeps).
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "./repo.ts";
import type { WrkResult } from "./wrk.ts";

/** One wrk run against one server in one scenario and round. */
export interface Sample {
  readonly server: string;
  readonly scenario: string;
  readonly round: number;
  readonly wrk: WrkResult;
  readonly peakRssMiB: number;
  /** The server's CPU time (user + system, /proc/PID/stat) over the run, in µs per request; where measured. */
  readonly cpuUsPerRequest?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(values: readonly number[], digits = 0): string {
  if (values.length === 0) return "n/a";
  const m = median(values).toFixed(digits);
  if (values.length === 1) return m;
  return `${m} (${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)})`;
}

/** BENCHMARKS.md in full mode, bench/results/quick.md in quick mode: both benches write there. */
export function reportFile(quick: boolean): string {
  return quick ? path.join(REPO, "bench", "results", "quick.md") : path.join(REPO, "BENCHMARKS.md");
}

/** A bench's part of the file, between two marker lines, which the other benches keep as it is. */
export interface Section {
  readonly begin: string;
  readonly end: string;
}

export const APP_SECTION: Section = {
  begin: "<!-- app bench: written by bench/apps/run.ts, kept by bench/files/run.ts -->",
  end: "<!-- end of app bench -->",
};
export const WRITES_SECTION: Section = {
  begin: "<!-- writes bench: written by bench/writes/run.ts, kept by bench/files/run.ts -->",
  end: "<!-- end of writes bench -->",
};

export const WEBSOCKET_SECTION: Section = {
  begin: "<!-- websocket bench: written by bench/websocket/run.ts, kept by bench/files/run.ts -->",
  end: "<!-- end of websocket bench -->",
};

export const HTTP2_SECTION: Section = {
  begin: "<!-- http2 bench: written by bench/http2/run.ts, kept by bench/files/run.ts -->",
  end: "<!-- end of http2 bench -->",
};

/** The section as the last run of its bench left it (undefined: none yet). */
export function section(file: string, which: Section): string | undefined {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const begin = text.indexOf(which.begin);
  const end = text.indexOf(which.end, begin);
  return begin === -1 || end === -1 ? undefined : text.slice(begin, end + which.end.length);
}

/** The sections the files bench keeps below its own tables when it rewrites the file. */
export function keptSections(file: string): string[] {
  return [APP_SECTION, WRITES_SECTION, WEBSOCKET_SECTION, HTTP2_SECTION].map((which) => section(file, which)).filter((
    s,
  ) => s !== undefined);
}

/** Puts a bench's markdown in the file: in place of its last section, else at the end. */
export function writeSection(file: string, which: Section, markdown: string): void {
  const replacement = `${which.begin}\n${markdown.trim()}\n${which.end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const old = section(file, which);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    old === undefined ? `${text.trimEnd()}\n\n${replacement}\n` : text.replace(old, () => replacement),
  );
}
