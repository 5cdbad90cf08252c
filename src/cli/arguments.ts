/** The command line shared by every adapter: the adapter passes argv and the environment. */
import { parseCount, parseDuration, parsePort, parseSize } from "./values.ts";
import { badValue } from "../compose/option-values.ts";
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  type HttpLimits,
} from "../http/limits.ts";
import { DEFAULT_SITE, type SiteOptions } from "../static/options.ts";
import { checkOps, DEFAULT_OPS, type OpsOptions, parseOpsOption } from "./ops-options.ts";
import { DEFAULT_TLS, finishTls, parseTlsOption, type TlsOptions } from "./tls-options.ts";
import {
  DEFAULT_WORKERS,
  parseWorkersOption,
  parseWorkerTimeoutOption,
  type WorkersOption,
} from "./workers-options.ts";
import { DEFAULT_WORKER_TIMEOUT_MS } from "../workers/liveness.ts";

export { USAGE } from "./usage.ts";
export { parsePort } from "./values.ts";

export interface ServeCommand {
  readonly kind: "serve";
  readonly dir: string;
  /** DIR was given. With --app and no DIR no files are served (the app's own folder is not a site). */
  readonly dirGiven: boolean;
  readonly port: number;
  /** "" = every interface. */
  readonly host: string;
  readonly limits: HttpLimits;
  /** Connections served at once (src/server/server.ts: at the cap, idle ones make room; else 503). */
  readonly maxConnections: number;
  /** Connections from one address at once; more are answered 503. 0: no cap. */
  readonly maxConnectionsPerIp: number;
  /** The per-address cap applies to loopback peers too: only when it was given on the command line. */
  readonly capLoopback: boolean;
  readonly site: SiteOptions;
  /** RFC 867 Daytime / RFC 868 Time service ports; null: off. */
  readonly daytimePort: number | null;
  readonly timePort: number | null;
  /** A module whose default export is a fetch handler (--app): it answers what the site does not. */
  readonly app: string | null;
  /** The production options: access log, proxies, health, metrics, drain, extra fields (ops-options.ts). */
  readonly ops: OpsOptions;
  /** HTTPS: certificate files or a self-signed one, the plain-HTTP redirect (tls-options.ts). */
  readonly tls: TlsOptions;
  /** How many processes serve the port (--workers; cli/workers-run.ts). */
  readonly workers: WorkersOption;
  /** --worker-timeout: a worker silent this long is killed and started again; null: never (src/workers/liveness.ts). */
  readonly workerTimeoutMs: number | null;
}

export type CliCommand =
  | ServeCommand
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "error"; readonly message: string };

/** The numbers the limit options set: every HttpLimits field, and the connection caps. */
type Limits = { -readonly [K in keyof HttpLimits]: number } & { maxConnections: number; maxConnectionsPerIp: number };

interface LimitOption {
  readonly key: keyof Limits;
  readonly parse: (text: string) => number | null;
  readonly expected: string;
}

const SIZE = "a size such as 8192, 8k or 1m";
const COUNT = "a whole number of at least 1";
const TIME = "a duration such as 30, 30s, 500ms or 2m";

/** A value that may also be 0 (off). */
const orZero =
  (parse: (text: string) => number | null) => (text: string): number | null => (/^0+$/.test(text) ? 0 : parse(text));

const LIMIT_OPTIONS: Readonly<Record<string, LimitOption>> = {
  "--max-request-line": { key: "maxRequestLineBytes", parse: parseSize, expected: SIZE },
  "--max-header-size": { key: "maxHeaderBytes", parse: parseSize, expected: SIZE },
  "--max-headers": { key: "maxHeaderCount", parse: parseCount, expected: COUNT },
  "--max-body": { key: "maxBodyBytes", parse: parseSize, expected: SIZE },
  "--max-connections": { key: "maxConnections", parse: parseCount, expected: COUNT },
  "--max-connections-per-ip": { key: "maxConnectionsPerIp", parse: orZero(parseCount), expected: `${COUNT}, or 0` },
  "--header-timeout": { key: "headerTimeoutMs", parse: parseDuration, expected: TIME },
  "--body-timeout": { key: "bodyTimeoutMs", parse: parseDuration, expected: TIME },
  "--min-body-rate": { key: "minBodyRate", parse: orZero(parseSize), expected: `${SIZE} (bytes per second), or 0` },
  "--request-timeout": { key: "requestTimeoutMs", parse: parseDuration, expected: TIME },
  "--idle-timeout": { key: "idleTimeoutMs", parse: parseDuration, expected: TIME },
  "--send-timeout": { key: "sendTimeoutMs", parse: parseDuration, expected: TIME },
  "--response-timeout": { key: "responseTimeoutMs", parse: orZero(parseDuration), expected: `${TIME}, or 0` },
};

/** Switches that set one SiteOptions field. */
const SITE_SWITCHES: Readonly<Record<string, Partial<SiteOptions>>> = {
  "--no-listing": { listing: false },
  "--dotfiles": { dotfiles: true },
  "--compress": { compress: true },
  "--cors": { cors: true },
  "--spa": { spa: true },
  "--no-symlinks": { symlinks: false },
};

/** A header field value we can send as given (RFC 9110 §5.5: visible characters, spaces, tabs). */
const FIELD_VALUE = /^[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?$/;

const DEFAULT_PORT = 8000;

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let dir: string | null = null;
  let port: number | null = null;
  let host = "";
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    maxConnections: DEFAULT_MAX_CONNECTIONS,
    maxConnectionsPerIp: DEFAULT_MAX_CONNECTIONS_PER_IP,
  };
  let site: SiteOptions = DEFAULT_SITE;
  let daytimePort: number | null = null;
  let timePort: number | null = null;
  let onlyOperands = false;
  let capLoopback = false;
  let app: string | null = null;
  let ops = DEFAULT_OPS;
  let tls = DEFAULT_TLS;
  let workers = DEFAULT_WORKERS;
  let workerTimeoutMs: number | null = DEFAULT_WORKER_TIMEOUT_MS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyOperands || arg === "-" || !arg.startsWith("-")) {
      if (dir !== null) {
        return { kind: "error", message: `unexpected argument '${arg}' (only one folder can be served)` };
      }
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
      case "--app": {
        const text = value();
        if (text === null || text === "") {
          return { kind: "error", message: `option '${name}' needs a module path, such as ./app.mjs` };
        }
        app = text;
        break;
      }
      case "--daytime-port":
      case "--time-port": {
        const text = value();
        const servicePort = text === null ? null : parsePort(text);
        if (servicePort === null) return { kind: "error", message: badValue(name, text, "a port number 0-65535") };
        if (name === "--daytime-port") daytimePort = servicePort;
        else timePort = servicePort;
        break;
      }
      case "--cache-control": {
        const text = value();
        if (text === null || !FIELD_VALUE.test(text)) {
          return { kind: "error", message: badValue(name, text, "a header value such as 'max-age=3600'") };
        }
        site = { ...site, cacheControl: text };
        break;
      }
      case "--cache-ttl": {
        const text = value();
        const ms = text === null ? null : text === "0" ? 0 : parseDuration(text);
        if (ms === null) return { kind: "error", message: badValue(name, text, `${TIME}, or 0`) };
        site = { ...site, cacheTtlMs: ms };
        break;
      }
      default: {
        const processes = parseWorkersOption(name, value);
        if (processes.kind === "error") return processes;
        if (processes.kind === "ok") {
          workers = processes.workers;
          break;
        }
        const silence = parseWorkerTimeoutOption(name, value);
        if (silence.kind === "error") return silence;
        if (silence.kind === "ok") {
          workerTimeoutMs = silence.timeoutMs;
          break;
        }
        const secure = parseTlsOption(name, value, inline, tls);
        if (secure.kind === "error") return secure;
        if (secure.kind === "ok") {
          tls = secure.tls;
          break;
        }
        const production = parseOpsOption(name, value, inline, ops);
        if (production.kind === "error") return production;
        if (production.kind === "ok") {
          ops = production.ops;
          break;
        }
        const change = SITE_SWITCHES[name];
        if (change !== undefined) {
          if (inline !== null) return { kind: "error", message: `option '${name}' takes no value` };
          site = { ...site, ...change };
          break;
        }
        const option = LIMIT_OPTIONS[name];
        if (option === undefined) return { kind: "error", message: `unknown option '${name}'` };
        const text = value();
        const parsed = text === null ? null : option.parse(text);
        if (parsed === null) return { kind: "error", message: badValue(name, text, option.expected) };
        limits[option.key] = parsed;
        if (option.key === "maxConnectionsPerIp") capLoopback = true;
      }
    }
  }
  if (port === null) {
    const fromEnv = env.PORT;
    if (fromEnv !== undefined && fromEnv !== "") {
      port = parsePort(fromEnv);
      if (port === null) {
        return { kind: "error", message: `invalid PORT '${fromEnv}' in the environment (expected 0-65535)` };
      }
    } else {
      port = DEFAULT_PORT;
    }
  }
  const conflict = checkOps(ops);
  if (conflict !== null) return { kind: "error", message: conflict };
  const finished = finishTls(tls, env);
  if (finished.kind === "error") return finished;
  const { maxConnections, maxConnectionsPerIp, ...httpLimits } = limits;
  return {
    kind: "serve",
    dir: dir ?? ".",
    dirGiven: dir !== null,
    port,
    host,
    limits: httpLimits,
    maxConnections,
    maxConnectionsPerIp,
    capLoopback,
    site,
    daytimePort,
    timePort,
    app,
    ops,
    tls: finished.tls,
    workers,
    workerTimeoutMs,
  };
}
