import type { Watched } from "./heartbeat-watch.ts";
import type { WorkerExit, WorkerProcess } from "../ports/workers.ts";

/** A start-up line kept for the banner or for a failure; more than this many are not kept. */
const MAX_EARLY_LINES = 200;

/** One of the supervisor's places for a worker: the worker running in it now, and what outlives it. */
export interface Slot extends Watched {
  readonly id: number;
  worker: WorkerProcess | null;
  serving: boolean;
  /** The pid of the worker it runs or last ran (for the log line after it ended). */
  pid: number;
  startedAt: number;
  /** Quick deaths in a row (backoff.ts). */
  quick: number;
  cancelRestart: (() => void) | null;
  /** Its stderr lines before it was serving: the banner for the first, else shown only if it fails. */
  early: string[];
}

/** The slot numbered id (1 is the first worker), empty. */
export function emptySlot(id: number): Slot {
  return {
    id,
    worker: null,
    serving: false,
    pid: 0,
    startedAt: 0,
    quick: 0,
    cancelRestart: null,
    early: [],
    lastSignAt: 0,
    cancelWatch: null,
  };
}

/** Keeps a start-up line, up to MAX_EARLY_LINES. */
export function keepEarly(slot: Slot, line: string): void {
  if (slot.early.length < MAX_EARLY_LINES) slot.early.push(line);
}

/** " (pid 123)" for a worker that ran, "" for one that could not be started. */
export function pidNote(slot: Slot, exit: WorkerExit | null): string {
  return exit === null ? "" : ` (pid ${slot.pid})`;
}

/** "exited with code 1" or "was killed by SIGKILL". */
export function ended(exit: WorkerExit): string {
  return exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal ?? "a signal"}`;
}

/** The exit code for a start-up that failed because of this end: the worker's own if it exited with one, else 1. */
export function startFailureCode(exit: WorkerExit | null): number {
  return exit !== null && exit.code !== null && exit.code !== 0 ? exit.code : 1;
}

/** The log line for a worker that died while the others serve, and when it starts again. */
export function restartLine(
  slot: Slot,
  exit: WorkerExit | null,
  livedMs: number,
  wasServing: boolean,
  delayMs: number,
): string {
  const what = exit === null
    ? "could not be started"
    : `${ended(exit)} after ${(livedMs / 1000).toFixed(1)} s${wasServing ? "" : " (before it was serving)"}`;
  return `sundial: worker ${slot.id}${pidNote(slot, exit)} ${what}; starting it again in ${formatMs(delayMs)}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
