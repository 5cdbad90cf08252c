/** The production options of the command line (access log, proxies, health, metrics, drain, headers). */
import { isLogFormat, LOG_FORMATS, type LogFormat } from "../access-log/format.ts";
import { parseTrustList, type TrustList } from "../proxy/trust-list.ts";
import { parseDuration, parsePort } from "./values.ts";

export interface OpsOptions {
  /** The access log's format; null: no access log (--quiet). */
  readonly logFormat: LogFormat | null;
  /** Append the access log to this file instead of stdout (--log). */
  readonly logFile: string | null;
  /** Peers whose forwarding fields are believed (--trust-proxy); null: nobody's. */
  readonly trustProxy: TrustList | null;
  /** Read a PROXY protocol header from trusted peers (--proxy-protocol). */
  readonly proxyProtocol: boolean;
  /** The path the site is served under ("" at the root; no trailing slash) (--base-path). */
  readonly basePath: string;
  readonly health: boolean;
  readonly metrics: boolean;
  /** A separate listener for /healthz, /readyz and /metrics (--admin-port); null: none. */
  readonly adminPort: number | null;
  /** How long a drain waits for responses in progress (--shutdown-timeout). */
  readonly shutdownTimeoutMs: number;
  /** Fields added to every response (--header, repeatable). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** Kubernetes' default terminationGracePeriodSeconds is 30 s: a drain fits inside it by default. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

export const DEFAULT_OPS: OpsOptions = {
  logFormat: "combined",
  logFile: null,
  trustProxy: null,
  proxyProtocol: false,
  basePath: "",
  health: false,
  metrics: false,
  adminPort: null,
  shutdownTimeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
  headers: [],
};

export type OpsParse =
  | { readonly kind: "ok"; readonly ops: OpsOptions }
  | { readonly kind: "error"; readonly message: string }
  /** Not one of these options. */
  | { readonly kind: "unknown" };

/** RFC 9110 §5.1: field-name = token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110 §5.5: a field value of visible characters, spaces and tabs, trimmed. */
const FIELD_VALUE = /^([\x21-\x7e\x80-\xff]([\x20-\x7e\t\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;
/** What the server frames or sets itself (RFC 9112 §6, RFC 9110 §6.6.1, §7.6.1): not for --header. */
const SERVER_FIELDS = new Set([
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "date",
  "server",
]);

/** One production option, if `name` is one: `value()` takes its argument (null when missing), `inline` was given with `=`. */
export function parseOpsOption(
  name: string,
  value: () => string | null,
  inline: string | null,
  ops: OpsOptions,
): OpsParse {
  const ok = (change: Partial<OpsOptions>): OpsParse => ({ kind: "ok", ops: { ...ops, ...change } });
  const flag = (
    change: Partial<OpsOptions>,
  ): OpsParse => (inline !== null ? { kind: "error", message: `option '${name}' takes no value` } : ok(change));
  switch (name) {
    case "-q":
    case "--quiet":
      return flag({ logFormat: null });
    case "--proxy-protocol":
      return flag({ proxyProtocol: true });
    case "--health":
      return flag({ health: true });
    case "--metrics":
      return flag({ metrics: true });
    case "--log-format": {
      const text = value();
      if (text === null || !isLogFormat(text)) return bad(name, text, LOG_FORMATS.join(", "));
      return ok({ logFormat: text });
    }
    case "--log": {
      const text = value();
      if (text === null || text === "") return bad(name, text, "a file to append the access log to");
      return ok({ logFile: text });
    }
    case "--trust-proxy": {
      const text = value();
      if (text === null) return bad(name, text, "a list of addresses and CIDR ranges, such as 127.0.0.1,10.0.0.0/8");
      const parsed = parseTrustList(text);
      if (parsed.kind === "failed") {
        return { kind: "error", message: `invalid value '${text}' for ${name}: ${parsed.message}` };
      }
      return ok({ trustProxy: parsed.list });
    }
    case "--base-path": {
      const text = value();
      const path = text === null ? null : basePath(text);
      if (path === null) return bad(name, text, "a path such as /files (no '..', '?' or '#')");
      return ok({ basePath: path });
    }
    case "--admin-port": {
      const text = value();
      const port = text === null ? null : parsePort(text);
      if (port === null) return bad(name, text, "a port number 0-65535");
      return ok({ adminPort: port });
    }
    case "--shutdown-timeout": {
      const text = value();
      const ms = text === null ? null : parseDuration(text);
      if (ms === null) return bad(name, text, "a duration such as 30, 30s, 500ms or 2m");
      return ok({ shutdownTimeoutMs: ms });
    }
    case "--header": {
      const text = value();
      const field = text === null ? null : headerField(text);
      if (field === null) {
        return bad(name, text, "'Name: value', such as 'Strict-Transport-Security: max-age=31536000'");
      }
      if (SERVER_FIELDS.has(field[0].toLowerCase())) {
        return { kind: "error", message: `${name} cannot set ${field[0]}: the server sets it itself` };
      }
      return ok({ headers: [...ops.headers, field] });
    }
    default:
      return { kind: "unknown" };
  }
}

/** Checks that hold across options, once all are read. */
export function checkOps(ops: OpsOptions): string | null {
  if (ops.proxyProtocol && ops.trustProxy === null) {
    return "--proxy-protocol needs --trust-proxy: a PROXY header is read only from trusted peers";
  }
  return null;
}

function bad(name: string, text: string | null, expected: string): OpsParse {
  return {
    kind: "error",
    message: text === null
      ? `option '${name}' needs ${expected}`
      : `invalid value '${text}' for ${name} (expected ${expected})`,
  };
}

/** "Name: value" as --header takes it. */
function headerField(text: string): readonly [string, string] | null {
  const colon = text.indexOf(":");
  if (colon <= 0) return null;
  const name = text.slice(0, colon);
  const value = text.slice(colon + 1).trim();
  return TOKEN.test(name) && FIELD_VALUE.test(value) ? [name, value] : null;
}

/** "/files" from "/files", "/files/" or "files"; "" for "/"; null when it is not a plain path. */
export function basePath(text: string): string | null {
  const path = (text.startsWith("/") ? text : `/${text}`).replace(/\/+$/, "");
  if (path === "") return "";
  if (!/^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/.test(path)) return null;
  return path.split("/").some((segment) => segment === "." || segment === "..") ? null : path;
}
