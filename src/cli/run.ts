import { main, type MainDeps } from "./main.ts";
import { runWithWorkers } from "./workers-run.ts";
import type { WorkerDeps } from "../ports/workers.ts";

import { type CliSignal, SIGNAL_EXIT } from "./signals.ts";

export type { CliSignal };

/** What only the process can do: react to signals and end. */
export interface CliDeps extends MainDeps {
  /** Calls fn on every SIGINT, SIGTERM, SIGUSR1 and SIGHUP from now on (replacing the runtime's own handling). */
  readonly onSignal: (fn: (signal: CliSignal) => void) => void;
  /** Ends the process at once with this code. */
  readonly exit: (code: number) => void;
  /** --workers: how this runtime shares a port between processes, or why it cannot (src/workers/). */
  readonly workers: WorkerDeps;
}

/**
 * The program as every adapter's main.ts runs it, the same on every runtime. Serving:
 * - SIGTERM or SIGINT drains: /readyz turns 503, the listener closes, idle connections close,
 *   responses in progress finish (with Connection: close) and event streams end, up to
 *   --shutdown-timeout; then the access log is written out and the process exits 0;
 * - a second SIGTERM or SIGINT during the drain exits at once (130 or 143), as nginx's fast stop;
 * - SIGUSR1 reopens the access log file (logrotate), as nginx does;
 * - SIGHUP reloads the TLS certificate and key (certbot, cert-manager), keeping the old ones
 *   when the new ones are refused, and the --auth-file, keeping the old users when it does not
 *   read well; without either it is ignored, as Caddy does, never a reason to end.
 * Otherwise (help, version, a bad flag, a start that failed) it resolves to the exit code, and
 * the adapter ends its process with it in its own way (Node lets output drain first).
 */
export function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: CliDeps,
): Promise<number | null> {
  // --workers N: a supervisor of N processes, each of which runs serveOne (runWithWorkers: cli/workers-run.ts).
  return runWithWorkers(argv, env, deps, serveOne);
}

/** One process: the program as described above (a worker of --workers is one too). */
async function serveOne(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: CliDeps,
): Promise<number | null> {
  const result = await main(argv, env, deps);
  if (result.kind === "exit") return result.code;
  const { server } = result;
  let draining = false;
  deps.onSignal((signal) => {
    if (signal === "SIGUSR1") {
      const reopened = server.reopenLog();
      if (reopened.kind === "failed") deps.output.err(`sundial: ${reopened.message}`);
      return;
    }
    if (signal === "SIGHUP") {
      void server.reloadTls().then((reload) => deps.output.err(`sundial: SIGHUP: ${reload.message}`));
      // Said only with an --auth-file, so that SIGHUP's output is unchanged without one.
      void server.reloadAuth().then((reload) => {
        if (reload.kind !== "unchanged") deps.output.err(`sundial: SIGHUP: ${reload.message}`);
      });
      return;
    }
    if (draining) return deps.exit(SIGNAL_EXIT[signal]);
    draining = true;
    deps.output.err(`sundial: ${signal}: draining (again to stop at once)`);
    void server.close().then(() => deps.exit(0));
  });
  return null;
}
