import { main, type MainPorts } from "./main.ts";

/** What only the process can do: react to signals and end. */
export interface CliPorts extends MainPorts {
  /** Calls stop on the first SIGINT or SIGTERM (where the system has them). */
  readonly onStopSignal: (stop: () => void) => void;
  /** Ends the process at once with this code. */
  readonly exit: (code: number) => void;
}

/**
 * The program as every adapter's main.ts runs it. Serving, it stops on SIGINT/SIGTERM: no new
 * connections, responses in progress finish (up to the server's grace period), then exit 0.
 * Otherwise (help, version, a bad flag, a start that failed) it resolves to the exit code, and
 * the adapter ends its process with it in its own way (Node lets output drain first).
 */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, ports: CliPorts): Promise<number | null> {
  const result = await main(argv, env, ports);
  if (result.kind === "exit") return result.code;
  const { server } = result;
  ports.onStopSignal(() => void server.close().then(() => ports.exit(0)));
  return null;
}
