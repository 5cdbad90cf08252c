/** --workers N|auto: how many processes serve the port (src/workers/, cli/workers-run.ts); --worker-timeout TIME: when a silent one is replaced. */
import { MIN_WORKER_TIMEOUT_MS } from "../workers/liveness.ts";
import { parseDuration } from "./values.ts";
import { badValue } from "../compose/option-values.ts";
import type { OptionParser } from "./option-parse.ts";

export type WorkersOption = { readonly kind: "count"; readonly count: number } | { readonly kind: "auto" };

/** One process, no supervisor: what sundial always was. */
export const DEFAULT_WORKERS: WorkersOption = { kind: "count", count: 1 };

/** More than this is a typo, not a machine (nginx's worker_processes has no cap; 1024 leaves room). */
export const MAX_WORKERS = 1024;

export type WorkersParse =
  | { readonly kind: "ok"; readonly workers: WorkersOption }
  | { readonly kind: "error"; readonly message: string }
  /** Not this option. */
  | { readonly kind: "unknown" };

/** --workers, if `name` is it: `value()` takes its argument (null when missing). */
export function parseWorkersOption(name: string, value: () => string | null): WorkersParse {
  if (name !== "--workers") return { kind: "unknown" };
  const text = value();
  if (text === "auto") return { kind: "ok", workers: { kind: "auto" } };
  const count = text !== null && /^[0-9]{1,5}$/.test(text) ? Number(text) : 0;
  if (count < 1 || count > MAX_WORKERS) {
    const expected = `a number of processes 1-${MAX_WORKERS}, or auto (one per core)`;
    return { kind: "error", message: badValue(name, text, expected) };
  }
  return { kind: "ok", workers: { kind: "count", count } };
}

export type WorkerTimeoutParse =
  /** timeoutMs null: no liveness check (--worker-timeout 0). */
  | { readonly kind: "ok"; readonly timeoutMs: number | null }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "unknown" };

/** --worker-timeout, if `name` is it: a duration of at least a second (src/workers/liveness.ts), or 0 for never. */
export function parseWorkerTimeoutOption(name: string, value: () => string | null): WorkerTimeoutParse {
  if (name !== "--worker-timeout") return { kind: "unknown" };
  const text = value();
  if (text === "0") return { kind: "ok", timeoutMs: null };
  const ms = text === null ? null : parseDuration(text);
  if (ms === null || ms < MIN_WORKER_TIMEOUT_MS) {
    const expected = `a duration of at least ${MIN_WORKER_TIMEOUT_MS / 1000}s such as 5s, or 0 (never)`;
    return { kind: "error", message: badValue(name, text, expected) };
  }
  return { kind: "ok", timeoutMs: ms };
}

/** The two --workers options as one group. */
export interface WorkersSettings {
  readonly workers: WorkersOption;
  /** null: no liveness check. */
  readonly workerTimeoutMs: number | null;
}

export const parseWorkersOptions: OptionParser<WorkersSettings> = (option, current) => {
  const value = (): string | null => option.value();
  const processes = parseWorkersOption(option.name, value);
  if (processes.kind === "ok") return { kind: "ok", value: { ...current, workers: processes.workers } };
  if (processes.kind === "error") return processes;
  const silence = parseWorkerTimeoutOption(option.name, value);
  if (silence.kind === "ok") return { kind: "ok", value: { ...current, workerTimeoutMs: silence.timeoutMs } };
  return silence;
};

export type WorkerCount =
  | { readonly kind: "count"; readonly count: number; readonly note: string | null }
  | { readonly kind: "error"; readonly message: string };

/**
 * How many processes to run: auto is one per core, and falls back to one process, with a note,
 * where this runtime cannot share a port; an explicit N >= 2 there is an error that says why.
 */
export function workerCount(option: WorkersOption, cores: number, unavailable: string | null): WorkerCount {
  if (option.kind === "auto") {
    const count = Math.max(1, Math.min(MAX_WORKERS, Math.floor(cores)));
    if (count > 1 && unavailable !== null) {
      return { kind: "count", count: 1, note: `--workers auto: one process: ${unavailable}` };
    }
    return { kind: "count", count, note: null };
  }
  if (option.count > 1 && unavailable !== null) {
    return { kind: "error", message: `--workers ${option.count}: ${unavailable}` };
  }
  return { kind: "count", count: option.count, note: null };
}
