import cluster from "node:cluster";
import * as os from "node:os";
import { isSea } from "node:sea";
import { Readable } from "node:stream";
import type { SpawnResult, WorkerDeps, WorkerExit } from "../../src/ports/workers.ts";

/**
 * --workers on Node: node:cluster. Node 20 has no reusePort (server.listen's reusePort came in
 * 22.12), so the supervisor is the cluster's primary: it holds the listening socket, accepts,
 * and hands each connection to the next worker (round-robin, SCHED_RR). The other policy,
 * SCHED_NONE, lets every worker accept from one shared socket, and Node's docs say that leaves
 * the load badly unbalanced (nodejs.org/api/cluster.html, "How it works"), so round-robin is set
 * explicitly (Windows would default to the other). Each worker's listen() goes through the
 * primary, which binds each address once: port 0 resolves to one port for all.
 * Works from dist/sundial.mjs and from the single executable (which cluster.fork() starts again,
 * the blob running in each copy); see programArgv for the one difference.
 */
export function nodeWorkers(): WorkerDeps {
  let setUp = false;
  return {
    support: {
      kind: "available",
      mechanism: {
        sharing: "supervisor",
        description: "node:cluster, round-robin",
        spawn: (env) => {
          if (!setUp) {
            // Frozen at the first fork or setupPrimary(), whichever comes first (cluster.schedulingPolicy).
            cluster.schedulingPolicy = cluster.SCHED_RR;
            // stderr through the supervisor (ready line, relayed lines), stdout (the access log) shared.
            cluster.setupPrimary({ stdio: ["ignore", "inherit", "pipe", "ipc"] });
            setUp = true;
          }
          return fork(env);
        },
      },
    },
    cores: () => os.availableParallelism?.() ?? os.cpus().length,
    // A worker whose primary is gone has lost its channel; node:cluster then ends it by itself, at once.
    onSupervisorGone: (fn) => {
      if (cluster.isWorker) process.once("disconnect", fn);
    },
  };
}

function fork(env: Readonly<Record<string, string>>): SpawnResult {
  let worker: ReturnType<typeof cluster.fork>;
  try {
    worker = cluster.fork(env);
  } catch (error) {
    return { kind: "failed", message: (error as Error).message };
  }
  const child = worker.process;
  const exited = new Promise<WorkerExit>((resolve) =>
    child.once(
      "exit",
      (code: number | null, signal: NodeJS.Signals | null) => resolve({ code: signal === null ? code : null, signal }),
    )
  );
  // An exit is reported by 'close'; the worker object's own errors (a failed send) change nothing.
  worker.on("error", () => {});
  return {
    kind: "spawned",
    worker: {
      pid: child.pid ?? 0,
      // Always there: setupPrimary's stdio pipes it.
      stderr: Readable.toWeb(child.stderr!) as ReadableStream<Uint8Array>,
      exited,
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    },
  };
}

/**
 * Ends the process with this code once its output is written (process.exitCode, as main.ts
 * does). A cluster worker's channel to the primary would keep it running: it is let go.
 */
export function exitWhenDone(code: number): void {
  process.exitCode = code;
  if (cluster.isWorker) cluster.worker?.disconnect();
}

/**
 * The program's arguments. A single executable's process.argv is [its path, the name it was
 * started by, ...arguments], as node's is [node, script, ...arguments]; cluster.fork() starts a
 * worker as [path, script, ...arguments] with the primary's argv[1] as the script, which an
 * executable then sees after its two: one more element to drop there (measured on Node 20).
 */
export function programArgv(): string[] {
  return process.argv.slice(cluster.isWorker && isSea() ? 3 : 2);
}
