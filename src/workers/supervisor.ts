import type { Clock } from "../ports/clock.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import { type BackoffPolicy, DEFAULT_BACKOFF, quickDeaths, restartDelay } from "./backoff.ts";
import { lineReader } from "./line-reader.ts";
import { judgeLiveness } from "./liveness.ts";
import type { WorkerExit, WorkerMechanism, WorkerProcess, WorkerSignal } from "../ports/workers.ts";
import { HEARTBEAT_LINE, parseReadyLine, workerEnv } from "./worker-role.ts";

export interface SupervisorDeps {
  readonly clock: Clock;
  readonly output: Pick<ConsoleOutput, "err">;
  readonly mechanism: WorkerMechanism;
}

export interface SupervisorOptions {
  /** How many workers (at least 2: one is a single process, without a supervisor). */
  readonly count: number;
  readonly backoff?: BackoffPolicy;
  /** A serving worker not heard from (a heartbeat, any line) for this long is killed and started again (liveness.ts); absent or null: never. */
  readonly workerTimeoutMs?: number | null;
}

export type SupervisorStart =
  /** banner: the first worker's lines before it was serving (its banner), to print once. */
  | { readonly kind: "serving"; readonly banner: readonly string[] }
  /** A worker could not start (its lines are relayed already), or a signal came first: exit with code. */
  | { readonly kind: "failed"; readonly code: number };

export interface Supervisor {
  /** Resolves once every worker is serving, or once start-up has failed and every worker is gone. */
  readonly started: Promise<SupervisorStart>;
  /** The workers alive now, by slot. */
  pids(): number[];
  /** Sends a signal on to every worker (SIGHUP: certificates, SIGUSR1: the log file). */
  forward(signal: WorkerSignal): void;
  /** No more restarts; SIGTERM to every worker. Resolves when all have ended: 0 if each ended with 0, else 1. */
  drain(): Promise<number>;
  /** SIGKILL to every worker (a second signal: stop at once). */
  kill(): void;
}

/** How long a worker's stderr may stay open after it ended before its end is acted on. */
const STDERR_AFTER_EXIT_MS = 1000;

/** A start-up line kept for the banner or for a failure; more than this many are not kept. */
const MAX_EARLY_LINES = 200;

interface Slot {
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
  /** When it was last heard from: any line on its stderr, its heartbeat included. */
  lastSignAt: number;
  /** Stops its liveness check (--worker-timeout). */
  cancelWatch: (() => void) | null;
}

/**
 * Runs `count` workers and keeps them running: the first is started alone (it checks the
 * command line, the folder, the app and the port; with SO_REUSEPORT it also picks port 0 for
 * all), then the others; a worker that dies is started again after backoff.ts's delay, with
 * the reason logged; one that stops sending its heartbeat (a hung or stopped process) is killed,
 * with the reason logged, and started again the same way; signals go on to every worker; a
 * drain waits for all to end.
 * A worker's stderr is relayed line by line, once it is serving (before, its lines are the
 * banner, which the caller prints once, or repeat the first worker's).
 */
export function startSupervisor(deps: SupervisorDeps, options: SupervisorOptions): Supervisor {
  const { clock, output, mechanism } = deps;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const timeoutMs = options.workerTimeoutMs ?? null;
  const slots: Slot[] = Array.from({ length: options.count }, (_, i) => ({
    id: i + 1,
    worker: null,
    serving: false,
    pid: 0,
    startedAt: 0,
    quick: 0,
    cancelRestart: null,
    early: [],
    lastSignAt: 0,
    cancelWatch: null,
  }));
  let state: "starting" | "serving" | "stopping" = "starting";
  /** With SO_REUSEPORT: the ports the first worker got for port 0, which the others bind. */
  let pinned: readonly number[] = [];
  let startFailure: number | null = null;
  let resolveStarted: (start: SupervisorStart) => void = () => {};
  const started = new Promise<SupervisorStart>((resolve) => (resolveStarted = resolve));
  let cleanEnds = true;
  const whenAllEnded: Array<() => void> = [];
  const live = (): Slot[] => slots.filter((slot) => slot.worker !== null);

  const allEnded = (): void => {
    if (live().length > 0) return;
    // Ended before all were serving: a start that failed, or a signal during it (resolving twice does nothing).
    resolveStarted({ kind: "failed", code: startFailure ?? 0 });
    for (const fn of whenAllEnded.splice(0)) fn();
  };

  const start = (slot: Slot): void => {
    slot.cancelRestart = null;
    if (state === "stopping") return;
    slot.serving = false;
    slot.early = [];
    slot.startedAt = clock.now();
    const spawned = mechanism.spawn(workerEnv(slot.id, pinned));
    if (spawned.kind === "failed") {
      output.err(`sundial: cannot start worker ${slot.id}: ${spawned.message}`);
      return died(slot, null);
    }
    const worker = spawned.worker;
    slot.worker = worker;
    slot.pid = worker.pid;
    const read = readLines(worker.stderr, (line) => onLine(slot, worker, line));
    void worker.exited.then(async (exit) => {
      // Its last lines (a stack trace, say) come before the news of its end, unless the pipe is
      // held open by a process it started: then only STDERR_AFTER_EXIT_MS later.
      let cancel = (): void => {};
      await Promise.race([
        read,
        new Promise((resolve) => (cancel = clock.after(STDERR_AFTER_EXIT_MS, () => resolve(null)))),
      ]);
      cancel();
      if (slot.worker === worker) slot.worker = null;
      died(slot, exit);
    });
  };

  const onLine = (slot: Slot, worker: WorkerProcess, line: string): void => {
    if (slot.worker !== worker) return;
    slot.lastSignAt = clock.now();
    if (line === HEARTBEAT_LINE) return;
    const ready = slot.serving ? null : parseReadyLine(line);
    if (ready !== null) return onServing(slot, ready);
    if (slot.serving) output.err(line);
    else if (slot.early.length < MAX_EARLY_LINES) slot.early.push(line);
  };

  const onServing = (slot: Slot, boundForPortZero: readonly number[]): void => {
    slot.serving = true;
    if (state === "serving") {
      output.err(`sundial: worker ${slot.id} is serving again (pid ${slot.pid})`);
      return watch(slot);
    }
    if (state !== "starting") return;
    if (slot.id === 1) {
      if (mechanism.sharing === "kernel") pinned = boundForPortZero;
      for (const other of slots.slice(1)) start(other);
    }
    if (slots.every((s) => s.serving)) {
      state = "serving";
      slots.forEach(watch);
      resolveStarted({ kind: "serving", banner: slots[0]!.early });
    }
  };

  /** Checks a serving worker's heartbeat until it ends; one that has gone silent is killed (its end is then a death like any other). */
  const watch = (slot: Slot): void => {
    const worker = slot.worker;
    if (timeoutMs === null || worker === null) return;
    slot.lastSignAt = clock.now();
    const check = (dueAt: number): void => {
      slot.cancelWatch = null;
      if (slot.worker !== worker || state !== "serving") return;
      const now = clock.now();
      const verdict = judgeLiveness(slot.lastSignAt, dueAt, now, timeoutMs);
      if (verdict.kind === "unwatched") slot.lastSignAt = now;
      if (verdict.kind !== "silent") return next(verdict.kind === "alive" ? verdict.checkInMs : timeoutMs);
      output.err(
        `sundial: worker ${slot.id} (pid ${worker.pid}) sent no heartbeat for ${
          (verdict.silentMs / 1000).toFixed(1)
        } s (hung or stopped): killing it`,
      );
      worker.kill("SIGKILL");
    };
    const next = (inMs: number): void => {
      const dueAt = clock.now() + inMs;
      slot.cancelWatch = clock.after(inMs, () => check(dueAt));
    };
    slot.cancelWatch?.();
    next(timeoutMs);
  };

  const unwatch = (slot: Slot): void => {
    slot.cancelWatch?.();
    slot.cancelWatch = null;
  };

  const died = (slot: Slot, exit: WorkerExit | null): void => {
    const wasServing = slot.serving;
    unwatch(slot);
    slot.serving = false;
    if (state === "stopping") {
      if (exit === null || exit.code !== 0) cleanEnds = false;
      return allEnded();
    }
    // A worker that was not serving yet says why itself (a bad flag, a port in use): relay it.
    if (!wasServing) { for (const line of slot.early) output.err(line); }
    const pid = exit === null ? "" : ` (pid ${slot.pid})`;
    if (state === "starting") {
      if (exit !== null && (exit.code === null || slot.early.length === 0)) {
        output.err(`sundial: worker ${slot.id}${pid} ${ended(exit)} before it was serving`);
      }
      startFailure = exit?.code !== null && exit?.code !== undefined && exit.code !== 0 ? exit.code : 1;
      state = "stopping";
      for (const other of live()) other.worker!.kill("SIGTERM");
      return allEnded();
    }
    const lived = clock.now() - slot.startedAt;
    slot.quick = quickDeaths(slot.quick, lived, policy);
    const delay = restartDelay(slot.quick, policy);
    const what = exit === null
      ? "could not be started"
      : `${ended(exit)} after ${(lived / 1000).toFixed(1)} s${wasServing ? "" : " (before it was serving)"}`;
    output.err(`sundial: worker ${slot.id}${pid} ${what}; starting it again in ${formatMs(delay)}`);
    slot.cancelRestart = clock.after(delay, () => start(slot));
  };

  start(slots[0]!);

  return {
    started,
    pids: () => live().map((slot) => slot.worker!.pid),
    forward: (signal) => {
      for (const slot of live()) slot.worker!.kill(signal);
    },
    drain: () => {
      if (state !== "stopping") {
        state = "stopping";
        for (const slot of slots) {
          slot.cancelRestart?.();
          slot.cancelRestart = null;
          unwatch(slot);
        }
        for (const slot of live()) slot.worker!.kill("SIGTERM");
      }
      return new Promise<number>((resolve) => {
        whenAllEnded.push(() => resolve(cleanEnds ? 0 : 1));
        allEnded();
      });
    },
    kill: () => {
      state = "stopping";
      for (const slot of slots) {
        slot.cancelRestart?.();
        unwatch(slot);
      }
      for (const slot of live()) slot.worker!.kill("SIGKILL");
    },
  };
}

/** Calls fn with each line of the stream; resolves when it has ended (or failed). */
async function readLines(stream: ReadableStream<Uint8Array>, fn: (line: string) => void): Promise<void> {
  const lines = lineReader();
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const line of lines.push(value)) fn(line);
    }
  } catch {
    // the pipe broke: what was read is all there is
  }
  for (const line of lines.end()) fn(line);
}

/** "exited with code 1" or "was killed by SIGKILL". */
function ended(exit: WorkerExit): string {
  return exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal ?? "a signal"}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
