/**
 * --workers N: the program as a supervisor of N workers, or as one of those workers. The
 * supervisor (src/workers/supervisor.ts) starts, restarts and stops them; here it is composed
 * with the command line: the banner once, the RFC 867/868 services once (in the supervisor),
 * signals. A worker is the ordinary program (serve) with a few of its ports wrapped.
 */
import { parseCli, type ServeCommand } from "./arguments.ts";
import type { MainDeps } from "./main.ts";
import { workerCount } from "./workers-options.ts";
import { SIGNAL_EXIT } from "./signals.ts";
import type { Clock } from "../ports/clock.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import type { Listener, Transport } from "../ports/transport.ts";
import { listenServices } from "../server/listen.ts";
import { serviceLines } from "../compose/banner.ts";
import { listenFailure } from "../compose/listen-failure.ts";
import { timeServices } from "../compose/time-services.ts";
import { commandConfig, FLAG_NAMES } from "./command-config.ts";
import { sweepAfterWorker, sweepAtStart } from "../compose/stale-temps.ts";
import { siteRoot } from "../site/site.ts";
import { heartbeatInterval } from "../workers/liveness.ts";
import { linePieces } from "../workers/pipe-pieces.ts";
import { pinnedTransport } from "../workers/pinned-transport.ts";
import { startSupervisor, type Supervisor } from "../workers/supervisor.ts";
import type { WorkerDeps, WorkerMechanism } from "../ports/workers.ts";
import { HEARTBEAT_LINE, readyLine, type WorkerRole, workerRole } from "../workers/worker-role.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** What this needs of the CLI's ports (run.ts's CliDeps has it all; signals as strings, so that it takes any CliSignal). */
export interface WorkersRunDeps extends MainDeps {
  readonly onSignal: (fn: (signal: string) => void) => void;
  readonly exit: (code: number) => void;
  readonly workers: WorkerDeps;
}

/** The single-process program (run.ts), which a worker runs as it is. */
export type Serve<P> = (argv: readonly string[], env: Env, deps: P) => Promise<number | null>;

/** A supervisor waits this much longer than --shutdown-timeout for its workers' drain before it kills them. */
const DRAIN_MARGIN_MS = 5_000;

/** Decides what this process is: a worker, a supervisor of workers, or the single process `serve` is. */
export async function runWithWorkers<P extends WorkersRunDeps>(
  argv: readonly string[],
  env: Env,
  deps: P,
  serve: Serve<P>,
): Promise<number | null> {
  const role = workerRole(env);
  if (role !== null) return runWorker(role, argv, env, deps, serve);
  const command = parseCli(argv, env);
  if (command.kind !== "serve") return serve(argv, env, deps);
  const support = deps.workers.support;
  const count = workerCount(
    command.workers,
    deps.workers.cores(),
    support.kind === "unavailable" ? support.reason : null,
  );
  if (count.kind === "error") {
    deps.output.err(`sundial: ${count.message}`);
    return 1;
  }
  if (count.note !== null) deps.output.err(`sundial: ${count.note}`);
  if (count.count <= 1 || support.kind === "unavailable") return serve(argv, env, deps);
  if (command.tls.selfSigned) {
    // Each worker would make its own certificate: a client would meet a different one per connection.
    deps.output.err(
      `sundial: --tls-self-signed cannot be used with --workers ${count.count} yet (each worker would make its own certificate): give --tls-cert and --tls-key`,
    );
    return 2;
  }
  return supervise(command, count.count, deps, support.mechanism);
}

/**
 * A worker: the program as it is, with its listeners shared (pinned-transport.ts), its access
 * log written in pieces no other worker's can cut (pipe-pieces.ts), and one drain however many
 * signals arrive (the supervisor itself stops workers at once on a second signal; a terminal's
 * Ctrl+C reaches the whole process group, so a worker gets that SIGINT and the supervisor's SIGTERM).
 * Once serving it writes a heartbeat to stderr from its event loop (src/workers/liveness.ts).
 */
async function runWorker<P extends WorkersRunDeps>(
  role: WorkerRole,
  argv: readonly string[],
  env: Env,
  deps: P,
  serve: Serve<P>,
): Promise<number | null> {
  const support = deps.workers.support;
  const transport = pinnedTransport(
    deps.transport,
    role.pinned,
    support.kind === "available" && support.mechanism.sharing === "kernel",
  );
  let drain: (() => void) | null = null;
  let draining = false;
  const onSignal = (fn: (signal: string) => void): void => {
    drain = () => fn("SIGTERM");
    deps.onSignal((signal) => {
      if (signal === "SIGINT" || signal === "SIGTERM") {
        if (draining) return;
        draining = true;
      }
      fn(signal);
    });
  };
  const output = {
    ...deps.output,
    log: (bytes: Uint8Array) => linePieces(bytes).forEach((piece) => deps.output.log(piece)),
  };
  const code = await serve(argv, env, { ...deps, transport, output, onSignal });
  if (code !== null) return code;
  deps.output.err(readyLine(transport.boundForPortZero()));
  const command = parseCli(argv, env);
  if (command.kind === "serve" && command.workerTimeoutMs !== null) {
    heartbeat(deps.clock, deps.output, heartbeatInterval(command.workerTimeoutMs));
  }
  deps.workers.onSupervisorGone(() => {
    if (draining) return;
    draining = true;
    drain?.();
  });
  return null;
}

/** HEARTBEAT_LINE every `everyMs`, for as long as the process lives (a drain included: the supervisor then no longer checks, but a worker drained by a signal of its own is still watched). */
function heartbeat(clock: Clock, output: Pick<ConsoleOutput, "err">, everyMs: number): void {
  const beat = (): void => {
    output.err(HEARTBEAT_LINE);
    clock.after(everyMs, beat);
  };
  clock.after(everyMs, beat);
}

/** The supervisor: N workers, the time services, the banner once, signals to every worker. */
async function supervise(
  command: ServeCommand,
  count: number,
  deps: WorkersRunDeps,
  mechanism: WorkerMechanism,
): Promise<number | null> {
  const { output } = deps;
  // Without --upload no await: the first worker starts at once.
  const uploads = command.site.upload === true ? await uploadRoot(deps, command) : null;
  const supervisor = startSupervisor({ clock: deps.clock, output, mechanism }, {
    count,
    workerTimeoutMs: command.workerTimeoutMs,
    onWorkerEnded: (pid) => {
      if (uploads !== null) void sweepAfterWorker(deps, uploads, command.site, pid, (line) => output.err(line));
    },
  });
  let services: Listener[] = [];
  let stopping = false;
  deps.onSignal((signal) => {
    if (signal === "SIGHUP" || signal === "SIGUSR1") return supervisor.forward(signal);
    if (signal !== "SIGINT" && signal !== "SIGTERM") return;
    if (stopping) {
      supervisor.kill();
      return deps.exit(SIGNAL_EXIT[signal]);
    }
    stopping = true;
    output.err(`sundial: ${signal}: draining ${count} workers (again to stop at once)`);
    void stopAll(deps, supervisor, () => services, command.ops.shutdownTimeoutMs + DRAIN_MARGIN_MS).then((code) =>
      deps.exit(code)
    );
  });
  const started = await supervisor.started;
  if (started.kind === "failed" || stopping) return started.kind === "failed" ? started.code : null;
  const listening = await startServices(deps.transport, command, deps.clock);
  if (listening.kind === "failed") {
    output.err(`sundial: ${listening.message}`);
    await supervisor.drain();
    return 1;
  }
  services = listening.listeners;
  for (const line of started.banner) output.err(line);
  output.err(`  Workers: ${count} processes (pids ${supervisor.pids().join(", ")}), ${mechanism.description}`);
  for (const line of listening.lines) output.err(line);
  return null;
}

/**
 * With --upload, the folder's real path, its stale temporaries removed before any worker starts
 * (docs/static-files.md: an upload's temporary never outlives its process); else null. A folder
 * that cannot be found is left to the first worker to report.
 */
async function uploadRoot(deps: WorkersRunDeps, command: ServeCommand): Promise<string | null> {
  const config = commandConfig(command);
  if (config.site === null || config.site.root === null) return null;
  const folder = await siteRoot(deps.fs, config.site.root);
  if (folder.kind === "failed") return null;
  await sweepAtStart(deps, folder.root, command.site, (line) => deps.output.err(line));
  return folder.root;
}

/** The drain: every worker's, the services closed; workers still running after `limitMs` are killed. */
async function stopAll(
  deps: WorkersRunDeps,
  supervisor: Supervisor,
  services: () => Listener[],
  limitMs: number,
): Promise<number> {
  const cancel = deps.clock.after(limitMs, () => {
    deps.output.err(`sundial: workers still running ${limitMs / 1000} s after the drain began: killing them`);
    supervisor.kill();
  });
  const drained = supervisor.drain();
  for (const listener of services()) await listener.close();
  const code = await drained;
  cancel();
  return code;
}

/** RFC 867 Daytime and RFC 868 Time, in the supervisor only: one listener each, whatever the number of workers. */
async function startServices(
  transport: Transport,
  command: ServeCommand,
  clock: Clock,
): Promise<{ kind: "listening"; listeners: Listener[]; lines: string[] } | { kind: "failed"; message: string }> {
  const services = timeServices(command.daytimePort, command.timePort, clock);
  const result = await listenServices(transport, command.host, services);
  if (result.kind === "failed") {
    return {
      kind: "failed",
      message: listenFailure(result.code, command.host, result.port, result.message, FLAG_NAMES.portHint),
    };
  }
  const lines = [...result.ports].flatMap(([name, port]) =>
    serviceLines(result.hosts.get(name)!, name === "daytime" ? port : null, name === "time" ? port : null)
  );
  return { kind: "listening", listeners: [...result.listeners], lines };
}
