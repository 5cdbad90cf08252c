/** cli/workers-run.ts: the supervisor and a worker composed with the command line, on fake deps. */
import { describe, expect, it } from "vitest";
import { runWithWorkers, type WorkersRunDeps } from "../../../src/cli/workers-run.ts";
import type { WorkerDeps, WorkerSupport } from "../../../src/ports/workers.ts";
import { FakeClock, FakeTransport } from "../../support/fake-ports.ts";
import { FakeMechanism, settle } from "../../support/fake-workers.ts";

interface Harness {
  readonly deps: WorkersRunDeps;
  readonly err: string[];
  readonly logs: Uint8Array[];
  readonly exits: number[];
  readonly transport: FakeTransport;
  readonly clock: FakeClock;
  /** Plays a signal to the process. */
  signal(name: string): void;
  /** Plays the supervisor going away (a worker's stdin closing). */
  supervisorGone(): void;
}

function harness(support: WorkerSupport, cores = 4): Harness {
  const err: string[] = [];
  const logs: Uint8Array[] = [];
  const exits: number[] = [];
  const handlers: Array<(signal: string) => void> = [];
  const gone: Array<() => void> = [];
  const transport = new FakeTransport();
  const clock = new FakeClock(1_000_000);
  const workers: WorkerDeps = { support, cores: () => cores, onSupervisorGone: (fn) => void gone.push(fn) };
  // Only what runWithWorkers itself reaches; `serve` is a stub in these tests.
  const deps = {
    transport,
    clock,
    output: {
      out: () => {},
      err: (line: string) => void err.push(line),
      log: (bytes: Uint8Array) => void logs.push(bytes),
    },
    onSignal: (fn: (signal: string) => void) => void handlers.push(fn),
    exit: (code: number) => void exits.push(code),
    workers,
  } as unknown as WorkersRunDeps;
  return {
    deps,
    err,
    logs,
    exits,
    transport,
    clock,
    signal: (name) => handlers.forEach((fn) => fn(name)),
    supervisorGone: () => gone.forEach((fn) => fn()),
  };
}

const unavailable: WorkerSupport = { kind: "unavailable", reason: "this runtime cannot" };

describe("runWithWorkers: one process", () => {
  it("without --workers, or with 1, runs the program as it is", async () => {
    const h = harness(unavailable);
    const calls: (readonly string[])[] = [];
    const serve = async (argv: readonly string[]) => (calls.push(argv), 0);
    expect(await runWithWorkers(["static"], {}, h.deps, serve)).toBe(0);
    expect(await runWithWorkers(["--workers", "1"], {}, h.deps, serve)).toBe(0);
    expect(await runWithWorkers(["--help"], {}, h.deps, serve)).toBe(0);
    expect(calls).toEqual([["static"], ["--workers", "1"], ["--help"]]);
  });

  it("--workers 2 where the runtime cannot share a port: one line why, exit 1", async () => {
    const h = harness(unavailable);
    expect(await runWithWorkers(["--workers", "2"], {}, h.deps, async () => 0)).toBe(1);
    expect(h.err).toEqual(["sundial: --workers 2: this runtime cannot"]);
  });

  it("--tls-self-signed with --workers 2 is refused: each worker would make its own certificate", async () => {
    const h = harness({ kind: "available", mechanism: new FakeMechanism() });
    expect(await runWithWorkers(["--workers", "2", "--tls-self-signed"], {}, h.deps, async () => 0)).toBe(2);
    expect(h.err).toEqual([
      "sundial: --tls-self-signed cannot be used with --workers 2 yet (each worker would make its own certificate): give --tls-cert and --tls-key",
    ]);
  });

  it("--workers auto there: a note, and one process", async () => {
    const h = harness(unavailable);
    let served = false;
    expect(await runWithWorkers(["--workers", "auto"], {}, h.deps, async () => ((served = true), null))).toBe(null);
    expect(served).toBe(true);
    expect(h.err).toEqual(["sundial: --workers auto: one process: this runtime cannot"]);
  });
});

describe("runWithWorkers: a worker", () => {
  const kernel = (): WorkerSupport => ({ kind: "available", mechanism: new FakeMechanism("kernel") });

  it("listens with reusePort on the pinned ports, and says so on stderr once serving", async () => {
    const h = harness(kernel());
    const code = await runWithWorkers(
      ["--workers", "2"],
      { SUNDIAL_WORKER: "2", SUNDIAL_WORKER_PORTS: "41000" },
      h.deps,
      async (_argv, _env, deps) => {
        await deps.transport.listen({ host: "::", port: 0 }, () => {});
        return null;
      },
    );
    expect(code).toBe(null);
    expect(h.transport.listeners.map((l) => l.options)).toEqual([{ host: "::", port: 41000, reusePort: true }]);
    expect(h.err).toEqual(["sundial-worker: ready ports=41000"]);
  });

  it("drains once, however many SIGINT and SIGTERM come (the supervisor escalates), and when the supervisor is gone", async () => {
    const h = harness(kernel());
    const seen: string[] = [];
    await runWithWorkers([], { SUNDIAL_WORKER: "1" }, h.deps, async (_argv, _env, deps) => {
      deps.onSignal((signal) => void seen.push(signal));
      return null;
    });
    h.signal("SIGINT");
    h.signal("SIGTERM");
    h.signal("SIGUSR1");
    h.supervisorGone();
    expect(seen).toEqual(["SIGINT", "SIGUSR1"]);
    const other = harness(kernel());
    const seenOther: string[] = [];
    await runWithWorkers([], { SUNDIAL_WORKER: "1" }, other.deps, async (_argv, _env, deps) => {
      deps.onSignal((signal) => void seenOther.push(signal));
      return null;
    });
    other.supervisorGone();
    other.signal("SIGTERM");
    expect(seenOther).toEqual(["SIGTERM"]);
  });

  it("writes the access log in pieces of at most PIPE_BUF bytes that end with a line", async () => {
    const h = harness(kernel());
    await runWithWorkers([], { SUNDIAL_WORKER: "1" }, h.deps, async (_argv, _env, deps) => {
      deps.output.log(new TextEncoder().encode(`${"a".repeat(3000)}\n${"b".repeat(3000)}\n`));
      return null;
    });
    expect(h.logs.map((piece) => piece.length)).toEqual([3001, 3001]);
  });

  it("a worker that cannot start returns its code, and prints no ready line", async () => {
    const h = harness(kernel());
    expect(await runWithWorkers([], { SUNDIAL_WORKER: "1" }, h.deps, async () => 1)).toBe(1);
    expect(h.err).toEqual([]);
  });
});

describe("runWithWorkers: the supervisor", () => {
  async function supervising(argv: string[]) {
    const mechanism = new FakeMechanism("kernel");
    const h = harness({ kind: "available", mechanism });
    const result = runWithWorkers(argv, {}, h.deps, async () => {
      throw new Error("a supervisor does not serve");
    });
    const first = mechanism.latest(1);
    first.write("sundial 0.1.0 (fake)\n  Local:   http://127.0.0.1:40000/\n");
    first.ready([40000]);
    await settle();
    mechanism.latest(2).write("sundial 0.1.0 (fake)\n");
    mechanism.latest(2).ready([40000]);
    await settle();
    return { h, mechanism, result };
  }

  it("prints the banner once, with the workers, and runs the time services once, itself", async () => {
    const { h, mechanism, result } = await supervising([
      "--workers",
      "2",
      "--daytime-port",
      "0",
      "--host",
      "127.0.0.1",
    ]);
    expect(await result).toBe(null);
    const [a, b] = [mechanism.latest(1).pid, mechanism.latest(2).pid];
    expect(h.err).toEqual([
      "sundial 0.1.0 (fake)",
      "  Local:   http://127.0.0.1:40000/",
      `  Workers: 2 processes (pids ${a}, ${b}), fake`,
      "  Daytime: tcp://127.0.0.1:8000 (RFC 867)",
    ]);
    expect(h.transport.listeners.map((l) => l.options)).toEqual([{ host: "127.0.0.1", port: 0 }]);
  });

  it("SIGHUP and SIGUSR1 go to every worker; SIGTERM drains them all and exits 0 when they have ended", async () => {
    const { h, mechanism } = await supervising(["--workers", "2", "--daytime-port", "0"]);
    h.signal("SIGHUP");
    h.signal("SIGUSR1");
    h.signal("SIGTERM");
    expect(h.err.at(-1)).toBe("sundial: SIGTERM: draining 2 workers (again to stop at once)");
    for (const id of [1, 2]) expect(mechanism.latest(id).signals).toEqual(["SIGHUP", "SIGUSR1", "SIGTERM"]);
    await settle();
    expect(h.transport.listeners[0]!.closed).toBe(true);
    mechanism.latest(1).exit({ code: 0, signal: null });
    await settle();
    expect(h.exits).toEqual([]);
    mechanism.latest(2).exit({ code: 0, signal: null });
    await settle();
    expect(h.exits).toEqual([0]);
  });

  it("a second signal kills the workers and exits at once (143 for SIGTERM, 130 for SIGINT)", async () => {
    const { h, mechanism } = await supervising(["--workers", "2"]);
    h.signal("SIGINT");
    h.signal("SIGINT");
    expect(h.exits).toEqual([130]);
    for (const id of [1, 2]) expect(mechanism.latest(id).signals).toEqual(["SIGTERM", "SIGKILL"]);
  });

  it("kills workers still draining --shutdown-timeout plus 5 s after the signal", async () => {
    const { h, mechanism } = await supervising(["--workers", "2", "--shutdown-timeout", "2s"]);
    h.signal("SIGTERM");
    await settle();
    h.clock.advance(6_999);
    expect(mechanism.latest(1).signals).toEqual(["SIGTERM"]);
    h.clock.advance(1);
    expect(mechanism.latest(1).signals).toEqual(["SIGTERM", "SIGKILL"]);
    expect(h.err.at(-1)).toBe("sundial: workers still running 7 s after the drain began: killing them");
  });
});
