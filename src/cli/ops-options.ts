/** The production options of the command line (access log, proxies, health, metrics, drain, headers). */
import { isLogFormat, LOG_FORMATS } from "../access-log/format.ts";
import { parseTrustList } from "../proxy/trust-list.ts";
import { parseDuration, parsePort } from "./values.ts";
import { type OptionParse, type OptionParser, switchOn } from "./option-parse.ts";
import { DEFAULT_OPS, DEFAULT_SHUTDOWN_TIMEOUT_MS, type OpsOptions } from "../compose/config.ts";
import { badValue, basePath, extraField, fieldLine, proxyProtocolNeedsTrust } from "../compose/option-values.ts";

export { basePath, DEFAULT_OPS, DEFAULT_SHUTDOWN_TIMEOUT_MS, type OpsOptions };

type OpsParse = OptionParse<OpsOptions>;

/** One production option, if it is one. */
export const parseOpsOption: OptionParser<OpsOptions> = (option, ops) => {
  const { name } = option;
  const value = (): string | null => option.value();
  const ok = (change: Partial<OpsOptions>): OpsParse => ({ kind: "ok", value: { ...ops, ...change } });
  const flag = (change: Partial<OpsOptions>): OpsParse => switchOn(option, { ...ops, ...change });
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
      const field = text === null ? null : fieldLine(text);
      if (field === null) {
        return bad(name, text, "'Name: value', such as 'Strict-Transport-Security: max-age=31536000'");
      }
      const allowed = extraField(field[0], field[1], name);
      if (allowed.kind === "failed") return { kind: "error", message: allowed.message };
      return ok({ headers: [...ops.headers, allowed.field] });
    }
    default:
      return { kind: "unknown" };
  }
};

/** Checks that hold across options, once all are read. */
export function checkOps(ops: OpsOptions): string | null {
  return proxyProtocolNeedsTrust(ops.proxyProtocol, ops.trustProxy !== null, "--proxy-protocol needs --trust-proxy");
}

function bad(name: string, text: string | null, expected: string): OpsParse {
  return { kind: "error", message: badValue(name, text, expected) };
}
