import type { Clock } from "../ports/clock.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import { type BackoffPolicy, DEFAULT_BACKOFF, quickDeaths, restartDelay } from "./backoff.ts";
import { unwatch, watchHeartbeat } from "./heartbeat-watch.ts";
import { emptySlot, ended, keepEarly, pidNote, restartLine, type Slot, startFailureCode } from "./slot.ts";
import { endAfterLastLines, readLines } from "./worker-lines.ts";
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
  /**
   * Told the pid of each worker that ended (a crash, a kill, a drain), before it is started again:
   * what it left behind (its upload temporaries) can go, as no other worker owns it.
   */
  readonly onWorkerEnded?: (pid: number) => void;
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
  const pool = new WorkerPool(deps, options);
  pool.startFirst();
  return {
    started: pool.started,
    pids: () => pool.live().map((slot) => slot.worker!.pid),
    forward: (signal) => pool.signal(signal),
    drain: () => pool.drain(),
    kill: () => pool.stop("SIGKILL"),
  };
}

/**
 * The state behind startSupervisor(): its slots and where the whole is (starting, serving,
 * stopping). Each method makes one of its decisions: spawning, readiness, the restart
 * after a death (backoff.ts), heartbeat liveness (heartbeat-watch.ts), stopping.
 */
class WorkerPool {
  readonly started: Promise<SupervisorStart>;
  private resolveStarted: (start: SupervisorStart) => void = () => {};
  private readonly slots: Slot[];
  private readonly policy: BackoffPolicy;
  private readonly timeoutMs: number | null;
  private state: "starting" | "serving" | "stopping" = "starting";
  /** With SO_REUSEPORT: the ports the first worker got for port 0, which the others bind. */
  private pinned: readonly number[] = [];
  private startFailure: number | null = null;
  private cleanEnds = true;
  private readonly whenAllEnded: Array<() => void> = [];
  private readonly onWorkerEnded: (pid: number) => void;

  constructor(private readonly deps: SupervisorDeps, options: SupervisorOptions) {
    this.policy = options.backoff ?? DEFAULT_BACKOFF;
    this.timeoutMs = options.workerTimeoutMs ?? null;
    this.onWorkerEnded = options.onWorkerEnded ?? (() => {});
    this.slots = Array.from({ length: options.count }, (_, i) => emptySlot(i + 1));
    this.started = new Promise<SupervisorStart>((resolve) => (this.resolveStarted = resolve));
  }

  /** Starts the first worker, alone: the others follow once it serves (onServing). */
  startFirst(): void {
    this.start(this.slots[0]!);
  }

  /** The slots with a worker alive now. */
  live(): Slot[] {
    return this.slots.filter((slot) => slot.worker !== null);
  }

  /** Sends a signal to every live worker. */
  signal(signal: WorkerSignal): void {
    for (const slot of this.live()) slot.worker!.kill(signal);
  }

  /** No more restarts or heartbeat checks; then the signal to every worker (SIGTERM: drain, SIGKILL: at once). */
  stop(signal: WorkerSignal): void {
    this.state = "stopping";
    for (const slot of this.slots) {
      slot.cancelRestart?.();
      slot.cancelRestart = null;
      unwatch(slot);
    }
    this.signal(signal);
  }

  /** Stops with SIGTERM unless stopping already; resolves once all have ended: 0 if each ended with 0, else 1. */
  drain(): Promise<number> {
    if (this.state !== "stopping") this.stop("SIGTERM");
    return new Promise<number>((resolve) => {
      this.whenAllEnded.push(() => resolve(this.cleanEnds ? 0 : 1));
      this.allEnded();
    });
  }

  /** Spawns a worker in the slot, unless stopping. */
  private start(slot: Slot): void {
    slot.cancelRestart = null;
    if (this.state === "stopping") return;
    slot.serving = false;
    slot.early = [];
    slot.startedAt = this.deps.clock.now();
    const spawned = this.deps.mechanism.spawn(workerEnv(slot.id, this.pinned));
    if (spawned.kind === "failed") {
      this.deps.output.err(`sundial: cannot start worker ${slot.id}: ${spawned.message}`);
      return this.died(slot, null);
    }
    this.follow(slot, spawned.worker);
  }

  /** Reads a spawned worker's lines until it ends, then acts on its end. */
  private follow(slot: Slot, worker: WorkerProcess): void {
    slot.worker = worker;
    slot.pid = worker.pid;
    const read = readLines(worker.stderr, (line) => this.onLine(slot, worker, line));
    void endAfterLastLines(worker, read, this.deps.clock).then((exit) => {
      if (slot.worker === worker) slot.worker = null;
      this.died(slot, exit);
    });
  }

  /** A line from a worker: a sign of life; its ready line; relayed once serving, else kept. */
  private onLine(slot: Slot, worker: WorkerProcess, line: string): void {
    if (slot.worker !== worker) return;
    slot.lastSignAt = this.deps.clock.now();
    if (line === HEARTBEAT_LINE) return;
    const ready = slot.serving ? null : parseReadyLine(line);
    if (ready !== null) return this.onServing(slot, ready);
    if (slot.serving) this.deps.output.err(line);
    else keepEarly(slot, line);
  }

  /** A worker is serving: a restarted one is watched again; at start-up, the first starts the others. */
  private onServing(slot: Slot, boundForPortZero: readonly number[]): void {
    slot.serving = true;
    if (this.state === "serving") {
      this.deps.output.err(`sundial: worker ${slot.id} is serving again (pid ${slot.pid})`);
      return this.watch(slot);
    }
    if (this.state !== "starting") return;
    if (slot.id === 1) this.startOthers(boundForPortZero);
    if (this.slots.every((s) => s.serving)) this.allServing();
  }

  /** The first worker serves: the others start, on the ports it got for port 0 when the kernel shares the port. */
  private startOthers(boundForPortZero: readonly number[]): void {
    if (this.deps.mechanism.sharing === "kernel") this.pinned = boundForPortZero;
    for (const other of this.slots.slice(1)) this.start(other);
  }

  private allServing(): void {
    this.state = "serving";
    for (const slot of this.slots) this.watch(slot);
    this.resolveStarted({ kind: "serving", banner: this.slots[0]!.early });
  }

  /** Watches a serving worker's heartbeat (--worker-timeout); one gone silent is killed, and its end is a death like any other. */
  private watch(slot: Slot): void {
    const worker = slot.worker;
    const timeoutMs = this.timeoutMs;
    if (timeoutMs === null || worker === null) return;
    const watching = (): boolean => slot.worker === worker && this.state === "serving";
    watchHeartbeat(this.deps.clock, slot, timeoutMs, watching, (silentMs) => {
      const silent = (silentMs / 1000).toFixed(1);
      this.deps.output.err(
        `sundial: worker ${slot.id} (pid ${worker.pid}) sent no heartbeat for ${silent} s (hung or stopped): killing it`,
      );
      worker.kill("SIGKILL");
    });
  }

  /** A worker ended (exit) or could not be started (null): counted while stopping, a failed start-up, or restarted. */
  private died(slot: Slot, exit: WorkerExit | null): void {
    // exit null: no process was started, so none ended.
    if (exit !== null) this.onWorkerEnded(slot.pid);
    const wasServing = slot.serving;
    unwatch(slot);
    slot.serving = false;
    if (this.state === "stopping") return this.endedWhileStopping(exit);
    // A worker that was not serving yet says why itself (a bad flag, a port in use): relay it.
    if (!wasServing) { for (const line of slot.early) this.deps.output.err(line); }
    if (this.state === "starting") return this.startFailed(slot, exit);
    this.restartLater(slot, exit, wasServing);
  }

  private endedWhileStopping(exit: WorkerExit | null): void {
    if (exit === null || exit.code !== 0) this.cleanEnds = false;
    this.allEnded();
  }

  /** A worker ended before all were serving: start-up has failed, and the others are stopped. */
  private startFailed(slot: Slot, exit: WorkerExit | null): void {
    if (exit !== null && (exit.code === null || slot.early.length === 0)) {
      this.deps.output.err(`sundial: worker ${slot.id}${pidNote(slot, exit)} ${ended(exit)} before it was serving`);
    }
    this.startFailure = startFailureCode(exit);
    this.state = "stopping";
    this.signal("SIGTERM");
    this.allEnded();
  }

  /** A worker died while the others serve: it starts again after the backoff's delay (backoff.ts). */
  private restartLater(slot: Slot, exit: WorkerExit | null, wasServing: boolean): void {
    const { clock, output } = this.deps;
    const lived = clock.now() - slot.startedAt;
    slot.quick = quickDeaths(slot.quick, lived, this.policy);
    const delay = restartDelay(slot.quick, this.policy);
    output.err(restartLine(slot, exit, lived, wasServing, delay));
    slot.cancelRestart = clock.after(delay, () => this.start(slot));
  }

  /** Once no worker is alive: start-up has failed if it had not succeeded (resolving twice does nothing), and drains resolve. */
  private allEnded(): void {
    if (this.live().length > 0) return;
    this.resolveStarted({ kind: "failed", code: this.startFailure ?? 0 });
    for (const fn of this.whenAllEnded.splice(0)) fn();
  }
}
