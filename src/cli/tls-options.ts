/** The HTTPS options of the command line (--tls-*, --redirect-http). */
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from "../tls/credentials.ts";
import { parseDuration, parsePort } from "./values.ts";
import { type OptionParse, type OptionParser, switchOn } from "./option-parse.ts";
import { badValue } from "../compose/option-values.ts";

export interface TlsOptions {
  /** PEM files: the certificate (leaf first, then its chain) and its private key (--tls-cert, --tls-key). */
  readonly certFile: string | null;
  readonly keyFile: string | null;
  /** An encrypted key's passphrase (--tls-key-passphrase, else SUNDIAL_TLS_KEY_PASSPHRASE). */
  readonly passphrase: string | null;
  /** A certificate made at start for this machine's names and addresses (--tls-self-signed). */
  readonly selfSigned: boolean;
  /** A plain-HTTP listener that answers everything with a 308 to https (--redirect-http). */
  readonly redirectHttpPort: number | null;
  /** How long a TLS handshake may take (--tls-handshake-timeout). */
  readonly handshakeTimeoutMs: number;
  /** HTTP/2 beside HTTP/1.1 (--http2): ALPN "h2" over TLS, prior knowledge (h2c) on plain TCP. */
  readonly http2: boolean;
  /**
   * How long an HTTP/2 stream with data to send may find its flow-control windows at zero before
   * the connection is closed (--http2-zero-window-timeout; RFC 9113 §10.5, a peer that never
   * opens its window holds the stream's resources). Null: the default (src/http2/limits.ts, 30 s).
   */
  readonly http2ZeroWindowTimeoutMs: number | null;
}

export const DEFAULT_TLS: TlsOptions = {
  certFile: null,
  keyFile: null,
  passphrase: null,
  selfSigned: false,
  redirectHttpPort: null,
  handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
  http2: false,
  http2ZeroWindowTimeoutMs: null,
};

/** The environment variable an encrypted key's passphrase may come from (not shown by ps, unlike an argument). */
export const PASSPHRASE_ENV = "SUNDIAL_TLS_KEY_PASSPHRASE";

type TlsParse = OptionParse<TlsOptions>;

/** One TLS option, if `name` is one: `value()` takes its argument (null when missing), `inline` was given with `=`. */
export const parseTlsOption: OptionParser<TlsOptions> = (option, tls) => {
  const { name } = option;
  const value = (): string | null => option.value();
  const ok = (change: Partial<TlsOptions>): TlsParse => ({ kind: "ok", value: { ...tls, ...change } });
  const needs = (what: string): TlsParse => ({ kind: "error", message: `option '${name}' needs ${what}` });
  switch (name) {
    case "--tls-cert":
    case "--tls-key": {
      const text = value();
      if (text === null || text === "") return needs("a PEM file");
      return ok(name === "--tls-cert" ? { certFile: text } : { keyFile: text });
    }
    case "--tls-key-passphrase": {
      const text = value();
      if (text === null) return needs("the key's passphrase");
      return ok({ passphrase: text });
    }
    case "--tls-self-signed":
      return switchOn(option, { ...tls, selfSigned: true });
    case "--http2":
      return switchOn(option, { ...tls, http2: true });
    case "--redirect-http": {
      const text = value();
      const port = text === null ? null : parsePort(text);
      if (port === null) {
        return {
          kind: "error",
          message: text === null
            ? `option '${name}' needs a port number`
            : badValue(name, text, "a port number 0-65535"),
        };
      }
      return ok({ redirectHttpPort: port });
    }
    case "--tls-handshake-timeout":
    case "--http2-zero-window-timeout": {
      const text = value();
      const ms = text === null ? null : parseDuration(text);
      if (ms === null) return { kind: "error", message: badValue(name, text, "a duration such as 10s") };
      return ok(name === "--tls-handshake-timeout" ? { handshakeTimeoutMs: ms } : { http2ZeroWindowTimeoutMs: ms });
    }
    default:
      return { kind: "unknown" };
  }
};

/** The options whole: a combination that makes no sense is an error of one line; the passphrase from the environment fills in here. */
export function finishTls(
  tls: TlsOptions,
  env: Readonly<Record<string, string | undefined>>,
): { kind: "ok"; tls: TlsOptions } | { kind: "error"; message: string } {
  if ((tls.certFile === null) !== (tls.keyFile === null)) {
    return {
      kind: "error",
      message: tls.certFile === null
        ? "--tls-key needs --tls-cert (the certificate it belongs to)"
        : "--tls-cert needs --tls-key (its private key)",
    };
  }
  if (tls.selfSigned && tls.certFile !== null) {
    return {
      kind: "error",
      message: "--tls-self-signed makes its own certificate: give it or --tls-cert/--tls-key, not both",
    };
  }
  const on = tls.selfSigned || tls.certFile !== null;
  if (!on && tls.redirectHttpPort !== null) {
    return { kind: "error", message: "--redirect-http needs HTTPS (--tls-cert and --tls-key, or --tls-self-signed)" };
  }
  if (!on && tls.passphrase !== null) return { kind: "error", message: "--tls-key-passphrase needs --tls-key" };
  if (!tls.http2 && tls.http2ZeroWindowTimeoutMs !== null) {
    return { kind: "error", message: "--http2-zero-window-timeout needs --http2" };
  }
  const fromEnv = env[PASSPHRASE_ENV];
  const passphrase = tls.passphrase ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : null);
  return { kind: "ok", tls: { ...tls, passphrase } };
}

/** Whether the options ask for HTTPS. */
export function tlsOn(tls: TlsOptions): boolean {
  return tls.selfSigned || tls.certFile !== null;
}
