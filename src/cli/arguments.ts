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
import { type AuthOptions, DEFAULT_AUTH, finishAuth, parseAuthOption } from "./auth-options.ts";
import type { AuthConfig } from "../compose/config.ts";
import { checkOps, DEFAULT_OPS, type OpsOptions, parseOpsOption } from "./ops-options.ts";
import { DEFAULT_TLS, finishTls, parseTlsOption, type TlsOptions } from "./tls-options.ts";
import { DEFAULT_WORKERS, parseWorkersOptions, type WorkersOption, type WorkersSettings } from "./workers-options.ts";
import { type OptionArg, type OptionParse, type OptionParser, switchOn } from "./option-parse.ts";
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
  /** HTTP Basic (--auth, --auth-file, --auth-scope, --auth-path; auth-options.ts); null: off. */
  readonly auth: AuthConfig | null;
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
  "--upload": { upload: true },
  "--mkdir": { mkdir: true },
  "--allow-delete": { allowDelete: true },
  "--archives": { archives: true },
};

/** A header field value we can send as given (RFC 9110 §5.5: visible characters, spaces, tabs). */
const FIELD_VALUE = /^[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?$/;

const DEFAULT_PORT = 8000;

/** Where and what to listen with: the port (null: from $PORT, else 8000), the address, the app, the time services. */
interface ListenSettings {
  readonly port: number | null;
  readonly host: string;
  readonly app: string | null;
  readonly daytimePort: number | null;
  readonly timePort: number | null;
}

/** The limits, and whether the per-address cap was given (then it applies to loopback too). */
interface LimitSettings {
  readonly limits: Limits;
  readonly capLoopback: boolean;
}

/** What the options build up, one group each. */
interface Draft {
  readonly listen: ListenSettings;
  readonly limits: LimitSettings;
  readonly site: SiteOptions;
  readonly ops: OpsOptions;
  readonly tls: TlsOptions;
  readonly workers: WorkersSettings;
  readonly auth: AuthOptions;
}

const INITIAL: Draft = {
  listen: { port: null, host: "", app: null, daytimePort: null, timePort: null },
  limits: {
    limits: {
      ...DEFAULT_LIMITS,
      maxConnections: DEFAULT_MAX_CONNECTIONS,
      maxConnectionsPerIp: DEFAULT_MAX_CONNECTIONS_PER_IP,
    },
    capLoopback: false,
  },
  site: DEFAULT_SITE,
  ops: DEFAULT_OPS,
  tls: DEFAULT_TLS,
  workers: { workers: DEFAULT_WORKERS, workerTimeoutMs: DEFAULT_WORKER_TIMEOUT_MS },
  auth: DEFAULT_AUTH,
};

const parseListenOption: OptionParser<ListenSettings> = (option, listen) => {
  const { name } = option;
  const ok = (change: Partial<ListenSettings>): OptionParse<ListenSettings> => ({
    kind: "ok",
    value: { ...listen, ...change },
  });
  switch (name) {
    case "-p":
    case "--port": {
      const text = option.value();
      if (text === null) return { kind: "error", message: `option '${name}' needs a port number` };
      const port = parsePort(text);
      return port === null ? { kind: "error", message: `invalid port '${text}' (expected 0-65535)` } : ok({ port });
    }
    case "-H":
    case "--host": {
      const text = option.value();
      if (text === null || text === "") return { kind: "error", message: `option '${name}' needs an address` };
      return ok({ host: text });
    }
    case "--app": {
      const text = option.value();
      if (text === null || text === "") {
        return { kind: "error", message: `option '${name}' needs a module path, such as ./app.mjs` };
      }
      return ok({ app: text });
    }
    case "--daytime-port":
    case "--time-port": {
      const text = option.value();
      const port = text === null ? null : parsePort(text);
      if (port === null) return { kind: "error", message: badValue(name, text, "a port number 0-65535") };
      return ok(name === "--daytime-port" ? { daytimePort: port } : { timePort: port });
    }
    default:
      return { kind: "unknown" };
  }
};

const parseSiteOption: OptionParser<SiteOptions> = (option, site) => {
  const { name } = option;
  const change = SITE_SWITCHES[name];
  if (change !== undefined) return switchOn(option, { ...site, ...change });
  if (name === "--cache-control") {
    const text = option.value();
    if (text === null || !FIELD_VALUE.test(text)) {
      return { kind: "error", message: badValue(name, text, "a header value such as 'max-age=3600'") };
    }
    return { kind: "ok", value: { ...site, cacheControl: text } };
  }
  if (name === "--max-upload") {
    const text = option.value();
    const bytes = text === null ? null : parseSize(text);
    if (bytes === null) return { kind: "error", message: badValue(name, text, SIZE) };
    return { kind: "ok", value: { ...site, maxUpload: bytes } };
  }
  if (name === "--cache-ttl") {
    const text = option.value();
    const ms = text === null ? null : text === "0" ? 0 : parseDuration(text);
    if (ms === null) return { kind: "error", message: badValue(name, text, `${TIME}, or 0`) };
    return { kind: "ok", value: { ...site, cacheTtlMs: ms } };
  }
  return { kind: "unknown" };
};

const parseLimitOption: OptionParser<LimitSettings> = (option, current) => {
  const limit = LIMIT_OPTIONS[option.name];
  if (limit === undefined) return { kind: "unknown" };
  const text = option.value();
  const parsed = text === null ? null : limit.parse(text);
  if (parsed === null) return { kind: "error", message: badValue(option.name, text, limit.expected) };
  return {
    kind: "ok",
    value: {
      limits: { ...current.limits, [limit.key]: parsed },
      capLoopback: current.capLoopback || limit.key === "maxConnectionsPerIp",
    },
  };
};

/** Each group of options, read with the one sub-parser signature. */
type Group = { [K in keyof Draft]: { readonly key: K; readonly parse: OptionParser<Draft[K]> } }[keyof Draft];

const GROUPS: readonly Group[] = [
  { key: "listen", parse: parseListenOption },
  { key: "site", parse: parseSiteOption },
  { key: "workers", parse: parseWorkersOptions },
  { key: "tls", parse: parseTlsOption },
  { key: "ops", parse: parseOpsOption },
  { key: "auth", parse: parseAuthOption },
  { key: "limits", parse: parseLimitOption },
];

function readOption(option: OptionArg, draft: Draft): OptionParse<Draft> {
  for (const group of GROUPS) {
    const parse = group.parse as OptionParser<Draft[typeof group.key]>;
    const parsed = parse(option, draft[group.key]);
    if (parsed.kind === "ok") return { kind: "ok", value: { ...draft, [group.key]: parsed.value } };
    if (parsed.kind === "error") return parsed;
  }
  return { kind: "error", message: `unknown option '${option.name}'` };
}

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let draft = INITIAL;
  let dir: string | null = null;
  let onlyOperands = false;
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
    if (name === "-h" || name === "--help") return { kind: "help" };
    if (name === "-V" || name === "--version") return { kind: "version" };
    const inline = eq > 0 ? arg.slice(eq + 1) : null;
    const value = (): string | null => {
      if (inline !== null) return inline;
      const next = argv[i + 1];
      if (next === undefined) return null;
      i++;
      return next;
    };
    const read = readOption({ name, inline, value }, draft);
    if (read.kind !== "ok") return read as CliCommand;
    draft = read.value;
  }
  return finish(draft, dir, env);
}

/** The command, once every option is read: the port from the environment, the checks across options. */
function finish(draft: Draft, dir: string | null, env: Readonly<Record<string, string | undefined>>): CliCommand {
  const port = draft.listen.port ?? portFromEnv(env.PORT);
  if (typeof port === "string") return { kind: "error", message: port };
  const conflict = checkOps(draft.ops);
  if (conflict !== null) return { kind: "error", message: conflict };
  const finished = finishTls(draft.tls, env);
  if (finished.kind === "error") return finished;
  const auth = finishAuth(draft.auth);
  if (auth.kind === "error") return auth;
  const { maxConnections, maxConnectionsPerIp, ...httpLimits } = draft.limits.limits;
  const { host, app, daytimePort, timePort } = draft.listen;
  return {
    kind: "serve",
    dir: dir ?? ".",
    dirGiven: dir !== null,
    port,
    host,
    limits: httpLimits,
    maxConnections,
    maxConnectionsPerIp,
    capLoopback: draft.limits.capLoopback,
    site: draft.site,
    daytimePort,
    timePort,
    app,
    ops: draft.ops,
    tls: finished.tls,
    auth: auth.auth,
    workers: draft.workers.workers,
    workerTimeoutMs: draft.workers.workerTimeoutMs,
  };
}

/** $PORT when set, else 8000; a message when it is not a port. */
function portFromEnv(fromEnv: string | undefined): number | string {
  if (fromEnv === undefined || fromEnv === "") return DEFAULT_PORT;
  return parsePort(fromEnv) ?? `invalid PORT '${fromEnv}' in the environment (expected 0-65535)`;
}
