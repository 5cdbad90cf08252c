// What both benches' reports share: a run's sample, the statistics over rounds, and the file they
// both write (the files bench's tables, then the apps bench's section, which each keeps for the other).
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

/** The app bench's part of the file lies between these lines (written by writeAppSection). */
const APP_BEGIN = "<!-- app bench: written by bench/apps/run.ts, kept by bench/files/run.ts -->";
const APP_END = "<!-- end of app bench -->";

/** The app bench's section of the file as the last run left it (undefined: none yet). */
export function appSection(file: string): string | undefined {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const begin = text.indexOf(APP_BEGIN);
  const end = text.indexOf(APP_END, begin);
  return begin === -1 || end === -1 ? undefined : text.slice(begin, end + APP_END.length);
}

/** Puts the app bench's markdown in the file: in place of its last section, else after the file bench's tables. */
export function writeAppSection(file: string, markdown: string): void {
  const section = `${APP_BEGIN}\n${markdown.trim()}\n${APP_END}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const old = appSection(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, old === undefined ? `${text.trimEnd()}\n\n${section}\n` : text.replace(old, () => section));
}
