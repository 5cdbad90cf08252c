/** The command line shared by every adapter: the adapter passes argv and the environment. */

export interface ServeCommand {
  readonly kind: "serve";
  readonly dir: string;
  readonly port: number;
  /** "" = every interface. */
  readonly host: string;
}

export type CliCommand =
  | ServeCommand
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "error"; readonly message: string };

export const USAGE = `Usage: sundial [DIR] [options]

Serve the files in DIR (default: the current folder) over HTTP/1.1, and the time at /time.

Options:
  -p, --port N      port to listen on (default: $PORT, else 8000; 0 picks a free port)
  -H, --host ADDR   address to listen on (default: every interface)
  -h, --help        show this help and exit
  -V, --version     show the version and the runtime, and exit`;

const DEFAULT_PORT = 8000;

/** Parses a port number: an integer 0-65535 written in decimal. */
export function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let dir: string | null = null;
  let port: number | null = null;
  let host = "";
  let onlyOperands = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyOperands || arg === "-" || !arg.startsWith("-")) {
      if (dir !== null) return { kind: "error", message: `unexpected argument '${arg}' (only one folder can be served)` };
      dir = arg;
      continue;
    }
    if (arg === "--") {
      onlyOperands = true;
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : null;
    const value = (): string | null => {
      if (inline !== null) return inline;
      const next = argv[i + 1];
      if (next === undefined) return null;
      i++;
      return next;
    };
    switch (name) {
      case "-h":
      case "--help":
        return { kind: "help" };
      case "-V":
      case "--version":
        return { kind: "version" };
      case "-p":
      case "--port": {
        const text = value();
        if (text === null) return { kind: "error", message: `option '${name}' needs a port number` };
        port = parsePort(text);
        if (port === null) return { kind: "error", message: `invalid port '${text}' (expected 0-65535)` };
        break;
      }
      case "-H":
      case "--host": {
        const text = value();
        if (text === null || text === "") return { kind: "error", message: `option '${name}' needs an address` };
        host = text;
        break;
      }
      default:
        return { kind: "error", message: `unknown option '${name}'` };
    }
  }
  if (port === null) {
    const fromEnv = env.PORT;
    if (fromEnv !== undefined && fromEnv !== "") {
      port = parsePort(fromEnv);
      if (port === null) return { kind: "error", message: `invalid PORT '${fromEnv}' in the environment (expected 0-65535)` };
    } else {
      port = DEFAULT_PORT;
    }
  }
  return { kind: "serve", dir: dir ?? ".", port, host };
}
