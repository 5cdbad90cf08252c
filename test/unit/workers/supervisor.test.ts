import { describe, expect, it } from "vitest";
import { startSupervisor, type Supervisor } from "../../../src/workers/supervisor.ts";
import { FakeClock } from "../../support/fake-ports.ts";
import { FakeMechanism, settle } from "../../support/fake-workers.ts";
import type { PortSharing } from "../../../src/ports/workers.ts";

function setUp(count = 2, sharing: PortSharing = "kernel") {
  const clock = new FakeClock(1_000_000);
  const mechanism = new FakeMechanism(sharing);
  const lines: string[] = [];
  const supervisor: Supervisor = startSupervisor(
    { clock, output: { err: (line) => void lines.push(line) }, mechanism },
    { count },
  );
  return { clock, mechanism, lines, supervisor };
}

/** Starts `count` workers and has them all serving; the first one's banner is two lines. */
async function serving(count = 2, sharing: PortSharing = "kernel") {
  const t = setUp(count, sharing);
  const first = t.mechanism.latest(1);
  first.write("sundial 0.1.0 (fake)\n  Local:   http://127.0.0.1:40000/\n");
  first.ready([40000, 40001]);
  await settle();
  for (let id = 2; id <= count; id++) {
    t.mechanism.latest(id).write(`sundial 0.1.0 (fake)\n`);
    t.mechanism.latest(id).ready([40000, 40001]);
  }
  await settle();
  return t;
}

describe("supervisor: start", () => {
  it("starts the first worker alone, and the others once it serves, with the ports it got for port 0 (SO_REUSEPORT)", async () => {
    const { mechanism } = setUp(3);
    await settle();
    expect(mechanism.spawned.map((w) => w.env)).toEqual([{ SUNDIAL_WORKER: "1" }]);
    mechanism.latest(1).ready([40000, 40001]);
    await settle();
    expect(mechanism.spawned.map((w) => w.env)).toEqual([
      { SUNDIAL_WORKER: "1" },
      { SUNDIAL_WORKER: "2", SUNDIAL_WORKER_PORTS: "40000,40001" },
      { SUNDIAL_WORKER: "3", SUNDIAL_WORKER_PORTS: "40000,40001" },
    ]);
  });

  it("pins nothing where the runtime shares the port itself (node:cluster)", async () => {
    const { mechanism } = setUp(2, "supervisor");
    mechanism.latest(1).ready([40000]);
    await settle();
    expect(mechanism.latest(2).env).toEqual({ SUNDIAL_WORKER: "2" });
  });

  it("is serving once every worker is, with the first one's lines as the banner; the others' start-up lines are not repeated", async () => {
    const { supervisor, lines, mechanism } = await serving(2);
    await expect(supervisor.started).resolves.toEqual({
      kind: "serving",
      banner: ["sundial 0.1.0 (fake)", "  Local:   http://127.0.0.1:40000/"],
    });
    expect(lines).toEqual([]);
    expect(supervisor.pids()).toEqual([mechanism.latest(1).pid, mechanism.latest(2).pid]);
  });

  it("is not serving while one worker is still starting", async () => {
    const { supervisor, mechanism } = setUp(2);
    let done = false;
    void supervisor.started.then(() => (done = true));
    mechanism.latest(1).ready();
    await settle();
    expect(done).toBe(false);
  });

  it("fails with the worker's code and relays its lines when it ends before serving (a port in use), stopping the others", async () => {
    const { supervisor, mechanism, lines } = setUp(2);
    mechanism.latest(1).write("sundial: port 8000 is already in use\n");
    mechanism.latest(1).exit({ code: 1, signal: null });
    await settle();
    await expect(supervisor.started).resolves.toEqual({ kind: "failed", code: 1 });
    expect(lines).toEqual(["sundial: port 8000 is already in use"]);
    expect(mechanism.spawned).toHaveLength(1);
  });

  it("says so when a worker is killed during start-up, and stops the one already serving", async () => {
    const { supervisor, mechanism, lines } = setUp(2);
    mechanism.latest(1).ready();
    await settle();
    mechanism.latest(2).exit({ code: null, signal: "SIGKILL" });
    await settle();
    expect(lines).toEqual([
      `sundial: worker 2 (pid ${mechanism.latest(2).pid}) was killed by SIGKILL before it was serving`,
    ]);
    expect(mechanism.latest(1).signals).toEqual(["SIGTERM"]);
    mechanism.latest(1).exit({ code: 0, signal: null });
    await settle();
    await expect(supervisor.started).resolves.toEqual({ kind: "failed", code: 1 });
  });

  it("fails when a worker cannot be started at all", async () => {
    const clock = new FakeClock();
    const mechanism = new FakeMechanism();
    mechanism.failNext = 1;
    const lines: string[] = [];
    const supervisor = startSupervisor({ clock, output: { err: (l) => void lines.push(l) }, mechanism }, { count: 2 });
    await expect(supervisor.started).resolves.toEqual({ kind: "failed", code: 1 });
    expect(lines).toEqual(["sundial: cannot start worker 1: no such file"]);
  });
});

describe("supervisor: serving", () => {
  it("relays a serving worker's stderr by whole lines, however the bytes arrive", async () => {
    const { mechanism, lines } = await serving(2);
    const worker = mechanism.latest(2);
    worker.write("sundial: some");
    worker.write("thing happened\r\nsecond ");
    await settle();
    expect(lines).toEqual(["sundial: something happened"]);
    worker.write("line\n");
    await settle();
    expect(lines).toEqual(["sundial: something happened", "second line"]);
  });

  it("starts a worker that died again after 100 ms, saying why, and tells when it serves", async () => {
    const { clock, mechanism, lines, supervisor } = await serving(2);
    const dead = mechanism.latest(2);
    clock.advance(60_000);
    dead.exit({ code: null, signal: "SIGKILL" });
    await settle();
    expect(lines).toEqual([
      `sundial: worker 2 (pid ${dead.pid}) was killed by SIGKILL after 60.0 s; starting it again in 100 ms`,
    ]);
    expect(mechanism.of(2)).toHaveLength(1);
    clock.advance(99);
    expect(mechanism.of(2)).toHaveLength(1);
    clock.advance(1);
    const next = mechanism.latest(2);
    expect(next).not.toBe(dead);
    expect(next.env).toEqual({ SUNDIAL_WORKER: "2", SUNDIAL_WORKER_PORTS: "40000,40001" });
    next.write("sundial 0.1.0 (fake)\n");
    next.ready([40000, 40001]);
    await settle();
    expect(lines.slice(1)).toEqual([`sundial: worker 2 is serving again (pid ${next.pid})`]);
    expect(supervisor.pids()).toEqual([mechanism.latest(1).pid, next.pid]);
  });

  it("waits twice as long after each quick death in a row, up to 30 s, and starts over after a healthy run", async () => {
    const { clock, mechanism, lines } = await serving(2);
    const delays: string[] = [];
    for (let i = 0; i < 12; i++) {
      const worker = mechanism.latest(2);
      clock.advance(500);
      worker.write("sundial: --app ./app.mjs: boom\n");
      worker.exit({ code: 1, signal: null });
      await settle();
      const delay = /again in (.*)$/.exec(lines.at(-1)!)![1]!;
      delays.push(delay);
      clock.advance(delay.endsWith(" ms") ? parseFloat(delay) : parseFloat(delay) * 1000);
    }
    expect(delays).toEqual([
      "100 ms",
      "200 ms",
      "400 ms",
      "800 ms",
      "1.6 s",
      "3.2 s",
      "6.4 s",
      "12.8 s",
      "25.6 s",
      "30.0 s",
      "30.0 s",
      "30.0 s",
    ]);
    // A worker that is not serving yet says why itself: its lines are relayed.
    expect(lines).toContain("sundial: --app ./app.mjs: boom");
    const healthy = mechanism.latest(2);
    healthy.ready();
    await settle();
    clock.advance(10_000);
    healthy.exit({ code: 1, signal: null });
    await settle();
    expect(lines.at(-1)).toMatch(/exited with code 1 after 10\.0 s; starting it again in 100 ms$/);
  });

  it("forwards SIGHUP and SIGUSR1 to every worker", async () => {
    const { mechanism, supervisor } = await serving(3);
    supervisor.forward("SIGHUP");
    supervisor.forward("SIGUSR1");
    for (const id of [1, 2, 3]) expect(mechanism.latest(id).signals).toEqual(["SIGHUP", "SIGUSR1"]);
  });
});

describe("supervisor: drain", () => {
  it("sends SIGTERM to every worker and resolves 0 once all have ended with 0", async () => {
    const { mechanism, supervisor } = await serving(2);
    let code: number | null = null;
    void supervisor.drain().then((c) => (code = c));
    expect(mechanism.spawned.map((w) => w.signals)).toEqual([["SIGTERM"], ["SIGTERM"]]);
    mechanism.latest(1).exit({ code: 0, signal: null });
    await settle();
    expect(code).toBe(null);
    mechanism.latest(2).exit({ code: 0, signal: null });
    await settle();
    expect(code).toBe(0);
    expect(supervisor.pids()).toEqual([]);
  });

  it("resolves 1 when a worker did not end cleanly, and starts none again", async () => {
    const { clock, mechanism, supervisor } = await serving(2);
    const drained = supervisor.drain();
    mechanism.latest(1).exit({ code: 0, signal: null });
    mechanism.latest(2).exit({ code: null, signal: "SIGKILL" });
    await expect(drained).resolves.toBe(1);
    clock.advance(60_000);
    expect(mechanism.spawned).toHaveLength(2);
  });

  it("cancels a restart that was waiting, and resolves at once when no worker is left", async () => {
    const { clock, mechanism, supervisor } = await serving(2);
    mechanism.latest(2).exit({ code: null, signal: "SIGKILL" });
    await settle();
    const drained = supervisor.drain();
    mechanism.latest(1).exit({ code: 0, signal: null });
    await expect(drained).resolves.toBe(0);
    clock.advance(1000);
    expect(mechanism.of(2)).toHaveLength(1);
  });

  it("kill() sends SIGKILL to every worker", async () => {
    const { mechanism, supervisor } = await serving(2);
    supervisor.kill();
    expect(mechanism.spawned.map((w) => w.signals)).toEqual([["SIGKILL"], ["SIGKILL"]]);
  });

  it("a drain during start-up stops the workers started so far and starts no more", async () => {
    const { mechanism, supervisor } = setUp(3);
    const drained = supervisor.drain();
    expect(mechanism.latest(1).signals).toEqual(["SIGTERM"]);
    mechanism.latest(1).ready();
    await settle();
    expect(mechanism.spawned).toHaveLength(1);
    mechanism.latest(1).exit({ code: 0, signal: null });
    await expect(drained).resolves.toBe(0);
    await expect(supervisor.started).resolves.toEqual({ kind: "failed", code: 0 });
  });
});

describe("supervisor: what a dead worker leaves", () => {
  it("tells onWorkerEnded the pid of each worker that ended, and only of those, before its replacement starts", async () => {
    const clock = new FakeClock(1_000_000);
    const mechanism = new FakeMechanism("kernel");
    const ended: number[] = [];
    const supervisor = startSupervisor({ clock, output: { err: () => {} }, mechanism }, {
      count: 2,
      onWorkerEnded: (pid) => void ended.push(pid),
    });
    mechanism.latest(1).ready([40000]);
    await settle();
    mechanism.latest(2).ready([40000]);
    await settle();
    const [first, second] = [mechanism.latest(1), mechanism.latest(2)];
    second.exit({ code: null, signal: "SIGKILL" });
    await settle();
    // The temporaries of the dead one only: the first is alive, maybe mid-upload.
    expect(ended).toEqual([second.pid]);
    expect(ended).not.toContain(first.pid);
    expect(mechanism.spawned).toHaveLength(2);
    clock.advance(100);
    await settle();
    expect(mechanism.spawned).toHaveLength(3);
    const drained = supervisor.drain();
    first.exit({ code: 0, signal: null });
    mechanism.latest(2).exit({ code: 0, signal: null });
    await drained;
    expect(ended).toEqual([second.pid, first.pid, mechanism.latest(2).pid]);
  });
});
