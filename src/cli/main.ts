/** The program, shared by every adapter: the command line turned into the composer's config, started, announced. */
import { parseCli, USAGE } from "./arguments.ts";
import { forWorker } from "./worker-command.ts";
import { commandConfig } from "./command-config.ts";
import { launch } from "../compose/launch.ts";
import type { ComposeDeps } from "../compose/deps.ts";
import type { Server } from "../compose/server.ts";
import { VERSION } from "../version.ts";
import { workerRole } from "../workers/worker-role.ts";

export type { NetworkInterface } from "../compose/deps.ts";

/** What the program needs from the runtime: what the composer needs. */
export type MainDeps = ComposeDeps;

/** What the adapter does next: exit with a code, or keep running until a signal. */
export type MainResult = { readonly kind: "exit"; readonly code: number } | {
  readonly kind: "serving";
  readonly server: Server;
};

type Env = Readonly<Record<string, string | undefined>>;

export async function main(argv: readonly string[], env: Env, deps: MainDeps): Promise<MainResult> {
  const { output } = deps;
  // A worker of --workers leaves the RFC 867/868 services to its supervisor.
  const command = forWorker(parseCli(argv, env), env);
  switch (command.kind) {
    case "help":
      output.out(USAGE);
      return { kind: "exit", code: 0 };
    case "version":
      output.out(`sundial ${VERSION} (${deps.runtime})`);
      return { kind: "exit", code: 0 };
    case "error":
      output.err(`sundial: ${command.message}`);
      output.err(USAGE);
      return { kind: "exit", code: 2 };
  }
  // A worker leaves stale upload temporaries to its supervisor (cli/workers-run.ts): another worker's may be live.
  const config = { ...commandConfig(command), sweepTemps: workerRole(env) === null };
  const launched = await launch(deps, config, (line) => output.err(line));
  if (launched.kind === "failed") {
    output.err(`sundial: ${launched.message}`);
    return { kind: "exit", code: 1 };
  }
  // The banner goes to stderr, with the errors: stdout is the access log alone (as nginx's and Caddy's logs).
  for (const line of launched.banner) output.err(line);
  return { kind: "serving", server: launched.server };
}
