/** --worker-timeout: the heartbeat a worker writes, and the supervisor killing a worker that went silent (src/workers/liveness.ts). */
import { describe, expect, it } from "vitest";
import { runWithWorkers, type WorkersRunDeps } from "../../../src/cli/workers-run.ts";
import { parseCli, USAGE } from "../../../src/cli/arguments.ts";
import { parseWorkerTimeoutOption } from "../../../src/cli/workers-options.ts";
import { heartbeatInterval, judgeLiveness } from "../../../src/workers/liveness.ts";
import { startSupervisor } from "../../../src/workers/supervisor.ts";
import { HEARTBEAT_LINE } from "../../../src/workers/worker-role.ts";
import { FakeClock, FakeTransport } from "../../support/fake-ports.ts";
import { FakeMechanism, type FakeWorker, settle } from "../../support/fake-workers.ts";

describe("liveness: the verdict", () => {
  it("a worker heard from within the deadline is alive, and checked again when the deadline would pass", () => {
    expect(judgeLiveness(1000, 5000, 5000, 5000)).toEqual({ kind: "alive", checkInMs: 1000 });
    expect(judgeLiveness(5000, 5000, 5000, 5000)).toEqual({ kind: "alive", checkInMs: 5000 });
  });
  it("one silent for the whole deadline or more is silent", () => {
    expect(judgeLiveness(0, 5000, 5000, 5000)).toEqual({ kind: "silent", silentMs: 5000 });
    expect(judgeLiveness(0, 5000, 5900, 5000)).toEqual({ kind: "silent", silentMs: 5900 });
  });
  it("a check that ran more than a second late (the supervisor held up, the clock jumped) judges nothing", () => {
    expect(judgeLiveness(0, 5000, 6001, 5000)).toEqual({ kind: "unwatched" });
    expect(judgeLiveness(0, 5000, 60_000, 5000)).toEqual({ kind: "unwatched" });
  });
  it("a clock that went back is no silence", () => {
    expect(judgeLiveness(9000, 5000, 5000, 5000)).toEqual({ kind: "alive", checkInMs: 5000 });
  });
  it("the heartbeat comes once a second, or five times per deadline if it is shorter", () => {
    expect([5000, 30_000, 2000, 1000].map(heartbeatInterval)).toEqual([1000, 1000, 400, 200]);
  });
});

describe("--worker-timeout", () => {
  const value = (text: string | null) => () => text;
  it("takes a duration of at least a second, or 0 for never", () => {
    expect(parseWorkerTimeoutOption("--worker-timeout", value("10s"))).toEqual({ kind: "ok", timeoutMs: 10_000 });
    expect(parseWorkerTimeoutOption("--worker-timeout", value("1500ms"))).toEqual({ kind: "ok", timeoutMs: 1500 });
    expect(parseWorkerTimeoutOption("--worker-timeout", value("0"))).toEqual({ kind: "ok", timeoutMs: null });
    expect(parseWorkerTimeoutOption("--workers", value("2"))).toEqual({ kind: "unknown" });
    for (const bad of ["500ms", "0s", "-1", "soon", ""]) {
      expect(parseWorkerTimeoutOption("--worker-timeout", value(bad)).kind).toBe("error");
    }
    expect(parseWorkerTimeoutOption("--worker-timeout", value(null))).toEqual({
      kind: "error",
      message: "option '--worker-timeout' needs a duration of at least 1s such as 5s, or 0 (never)",
    });
  });
  it("is on the command line, default 5 s, and in --help", () => {
    expect(parseCli([], {})).toMatchObject({ kind: "serve", workerTimeoutMs: 5000 });
    expect(parseCli(["--worker-timeout=2s"], {})).toMatchObject({ kind: "serve", workerTimeoutMs: 2000 });
    expect(parseCli(["--worker-timeout", "0"], {})).toMatchObject({ kind: "serve", workerTimeoutMs: null });
    expect(parseCli(["--worker-timeout", "0.5s"], {})).toMatchObject({
      kind: "error",
      message:
        "invalid value '0.5s' for --worker-timeout (expected a duration of at least 1s such as 5s, or 0 (never))",
    });
    expect(USAGE).toContain("--worker-timeout TIME");
  });
});

describe("a worker's heartbeat", () => {
  function worker(argv: string[]) {
    const err: string[] = [];
    const clock = new FakeClock(1_000_000);
    const deps = {
      transport: new FakeTransport(),
      clock,
      output: { out: () => {}, err: (line: string) => void err.push(line), log: () => {} },
      onSignal: () => {},
      exit: () => {},
      workers: {
        support: { kind: "available", mechanism: new FakeMechanism() },
        cores: () => 2,
        onSupervisorGone: () => {},
      },
    } as unknown as WorkersRunDeps;
    return {
      err,
      clock,
      run: (serve: () => Promise<number | null>) => runWithWorkers(argv, { SUNDIAL_WORKER: "2" }, deps, serve),
    };
  }

  it("is written to stderr once a second from the time it serves, after its ready line", async () => {
    const w = worker(["--workers", "2"]);
    await w.run(async () => null);
    expect(w.err).toEqual(["sundial-worker: ready ports=-"]);
    w.clock.advance(999);
    expect(w.err).toHaveLength(1);
    w.clock.advance(1);
    w.clock.advance(2000);
    expect(w.err.slice(1)).toEqual([HEARTBEAT_LINE, HEARTBEAT_LINE, HEARTBEAT_LINE]);
  });

  it("comes five times per --worker-timeout when that is under 5 s, never with 0, and not from a worker that could not start", async () => {
    const fast = worker(["--workers", "2", "--worker-timeout", "2s"]);
    await fast.run(async () => null);
    fast.clock.advance(2000);
    expect(fast.err.filter((line) => line === HEARTBEAT_LINE)).toHaveLength(5);
    const never = worker(["--workers", "2", "--worker-timeout", "0"]);
    await never.run(async () => null);
    never.clock.advance(60_000);
    expect(never.err).toEqual(["sundial-worker: ready ports=-"]);
    const failed = worker(["--workers", "2"]);
    await failed.run(async () => 1);
    failed.clock.advance(60_000);
    expect(failed.err).toEqual([]);
  });
});

describe("supervisor: a worker that went silent", () => {
  async function serving(workerTimeoutMs: number | null = 5000) {
    const clock = new FakeClock(1_000_000);
    // What the supervisor reads: the fake clock, plus `skew.ms` (its timers then fire that late).
    const skew = { ms: 0 };
    const skewed = {
      now: () => clock.now() + skew.ms,
      timeZone: () => "UTC",
      after: (ms: number, fn: () => void) => clock.after(ms, fn),
    };
    const mechanism = new FakeMechanism();
    const lines: string[] = [];
    const supervisor = startSupervisor({ clock: skewed, output: { err: (line) => void lines.push(line) }, mechanism }, {
      count: 2,
      workerTimeoutMs,
    });
    mechanism.latest(1).ready([40000]);
    await settle();
    mechanism.latest(2).ready([40000]);
    await settle();
    /** Time passes by seconds; the workers given beat once a second. */
    const seconds = async (n: number, beating: readonly FakeWorker[]): Promise<void> => {
      for (let i = 0; i < n; i++) {
        clock.advance(1000);
        for (const w of beating) w.write(`${HEARTBEAT_LINE}\n`);
        await settle();
      }
    };
    return { clock, skew, mechanism, lines, supervisor, seconds };
  }

  it("lets workers that beat live on, and never relays their heartbeats", async () => {
    const { mechanism, lines, seconds } = await serving();
    await seconds(60, [mechanism.latest(1), mechanism.latest(2)]);
    expect(mechanism.spawned.map((w) => w.signals)).toEqual([[], []]);
    expect(lines).toEqual([]);
  });

  it("kills one silent for 5 s with SIGKILL, saying why, starts it again, and watches the new one too", async () => {
    const { clock, mechanism, lines, seconds } = await serving();
    const [one, hung] = [mechanism.latest(1), mechanism.latest(2)];
    await seconds(4, [one]);
    expect(hung.signals).toEqual([]);
    await seconds(1, [one]);
    expect(hung.signals).toEqual(["SIGKILL"]);
    expect(lines).toEqual([
      `sundial: worker 2 (pid ${hung.pid}) sent no heartbeat for 5.0 s (hung or stopped): killing it`,
    ]);
    hung.exit({ code: null, signal: "SIGKILL" });
    await settle();
    expect(lines.at(-1)).toBe(
      `sundial: worker 2 (pid ${hung.pid}) was killed by SIGKILL after 5.0 s; starting it again in 100 ms`,
    );
    clock.advance(100);
    const next = mechanism.latest(2);
    expect(next).not.toBe(hung);
    next.ready([40000]);
    await settle();
    expect(lines.at(-1)).toBe(`sundial: worker 2 is serving again (pid ${next.pid})`);
    await seconds(4, [one]);
    expect(next.signals).toEqual([]);
    await seconds(1, [one]);
    expect(next.signals).toEqual(["SIGKILL"]);
    expect(one.signals).toEqual([]);
  });

  it("counts any line as a sign of life, the ones it relays too", async () => {
    const { mechanism, lines, seconds } = await serving();
    const talking = mechanism.latest(2);
    for (let i = 0; i < 10; i++) {
      await seconds(4, [mechanism.latest(1)]);
      talking.write("sundial: something happened\n");
      await settle();
    }
    expect(talking.signals).toEqual([]);
    expect(lines).toHaveLength(10);
  });

  it("judges nothing on a check that ran late (the supervisor itself was held up): it counts again from then", async () => {
    const { clock, skew, mechanism } = await serving();
    const quiet = mechanism.latest(2);
    clock.advance(4000);
    skew.ms = 3000; // the check due at 5 s runs at 8 s: the supervisor was stopped for 3 s
    clock.advance(1000);
    expect(quiet.signals).toEqual([]);
    clock.advance(4999);
    expect(quiet.signals).toEqual([]);
    clock.advance(1);
    expect(quiet.signals).toEqual(["SIGKILL"]);
  });

  it("never kills with --worker-timeout 0, nor during a drain", async () => {
    const off = await serving(null);
    off.clock.advance(60_000);
    expect(off.mechanism.spawned.map((w) => w.signals)).toEqual([[], []]);
    const draining = await serving();
    void draining.supervisor.drain();
    draining.clock.advance(60_000);
    expect(draining.mechanism.spawned.map((w) => w.signals)).toEqual([["SIGTERM"], ["SIGTERM"]]);
    expect(draining.clock.pendingTimers).toBe(0);
  });

  it("does not watch a worker during start-up, while the others are still starting", async () => {
    const clock = new FakeClock(0);
    const mechanism = new FakeMechanism();
    startSupervisor({ clock, output: { err: () => {} }, mechanism }, { count: 2, workerTimeoutMs: 5000 });
    mechanism.latest(1).ready([40000]);
    await settle();
    clock.advance(60_000);
    expect(mechanism.latest(1).signals).toEqual([]);
  });
});
