/**
 * A fake of src/workers/worker-ports.ts for the supervisor's tests: workers the test drives
 * (what they write to stderr, when they end), every spawn and signal recorded.
 */
import type {
  PortSharing,
  SpawnResult,
  WorkerExit,
  WorkerMechanism,
  WorkerProcess,
  WorkerSignal,
} from "../../src/ports/workers.ts";

export class FakeWorker implements WorkerProcess {
  readonly stderr: ReadableStream<Uint8Array>;
  readonly exited: Promise<WorkerExit>;
  readonly signals: WorkerSignal[] = [];
  ended = false;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private resolveExit!: (exit: WorkerExit) => void;

  constructor(
    readonly pid: number,
    readonly env: Readonly<Record<string, string>>,
  ) {
    this.stderr = new ReadableStream<Uint8Array>({ start: (controller) => void (this.controller = controller) });
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Bytes on its stderr, as given (a line may be split across calls). */
  write(text: string): void {
    this.controller.enqueue(new TextEncoder().encode(text));
  }

  /** Says it is serving, with the ports it bound for port 0. */
  ready(ports: readonly number[] = []): void {
    this.write(`sundial-worker: ready ports=${ports.length === 0 ? "-" : ports.join(",")}\n`);
  }

  /** Ends, with its stderr closed first (as a process's pipe closes when it exits). */
  exit(exit: WorkerExit): void {
    if (this.ended) return;
    this.ended = true;
    this.controller.close();
    this.resolveExit(exit);
  }

  kill(signal: WorkerSignal): void {
    if (!this.ended) this.signals.push(signal);
  }
}

export class FakeMechanism implements WorkerMechanism {
  readonly description = "fake";
  readonly spawned: FakeWorker[] = [];
  /** Makes the next spawns fail with this message. */
  failNext = 0;
  private nextPid = 100;

  constructor(readonly sharing: PortSharing = "kernel") {}

  spawn(env: Readonly<Record<string, string>>): SpawnResult {
    if (this.failNext > 0) {
      this.failNext--;
      return { kind: "failed", message: "no such file" };
    }
    const worker = new FakeWorker(this.nextPid++, env);
    this.spawned.push(worker);
    return { kind: "spawned", worker };
  }

  /** The workers started for slot `id` (1-based), oldest first. */
  of(id: number): FakeWorker[] {
    return this.spawned.filter((w) => w.env.SUNDIAL_WORKER === String(id));
  }

  latest(id: number): FakeWorker {
    const all = this.of(id);
    if (all.length === 0) throw new Error(`no worker ${id} was started`);
    return all[all.length - 1]!;
  }
}

/** Lets promise callbacks and stream reads run (the supervisor reads stderr through promises). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}
