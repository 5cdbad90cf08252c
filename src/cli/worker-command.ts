import type { CliCommand } from "./arguments.ts";
import { workerRole } from "../workers/worker-role.ts";

/**
 * The command as a worker runs it: the RFC 867/868 services are the supervisor's (they run once,
 * not once per worker: cli/workers-run.ts), so a worker opens only the HTTP listeners.
 */
export function forWorker(command: CliCommand, env: Readonly<Record<string, string | undefined>>): CliCommand {
  if (command.kind !== "serve" || workerRole(env) === null) return command;
  return { ...command, daytimePort: null, timePort: null };
}
