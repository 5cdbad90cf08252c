import * as os from "node:os";
import { COMPILED } from "./compiled.ts";
import { reusePortSupport, type SpawnResult, type WorkerDeps, type WorkerExit } from "../../src/ports/workers.ts";

/**
 * --workers on Bun: every worker listens on the port with reusePort (SO_REUSEPORT, Linux), and
 * the kernel spreads new connections across them (transport.ts). Workers are this program again:
 * `bun [flags] main.ts args`, or the executable with its args. Each worker's stdin is a pipe
 * from the supervisor that is never written: when it closes, the supervisor is gone.
 */
export function bunWorkers(): WorkerDeps {
  return {
    support: reusePortSupport(process.platform, { sharing: "kernel", description: "SO_REUSEPORT", spawn }),
    cores: () => os.availableParallelism(),
    onSupervisorGone: (fn) => {
      process.stdin.once("end", fn);
      process.stdin.once("error", fn);
      process.stdin.resume();
    },
  };
}

function spawn(env: Readonly<Record<string, string>>): SpawnResult {
  const program = COMPILED ? [process.execPath] : [process.execPath, ...process.execArgv, Bun.main];
  let child: ReturnType<typeof Bun.spawn<"pipe", "inherit", "pipe">>;
  try {
    child = Bun.spawn([...program, ...process.argv.slice(2)], {
      env: { ...process.env, ...env },
      stdin: "pipe",
      stdout: "inherit",
      stderr: "pipe",
    });
  } catch (error) {
    return { kind: "failed", message: (error as Error).message };
  }
  const exited = child.exited.then((): WorkerExit => ({
    code: child.signalCode === null ? child.exitCode : null,
    signal: child.signalCode === null ? null : String(child.signalCode),
  }));
  return {
    kind: "spawned",
    worker: {
      pid: child.pid,
      stderr: child.stderr,
      exited,
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    },
  };
}
