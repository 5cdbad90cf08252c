/** serve()'s options as the composer's config: the library door to the one composer. */
import { isLogFormat, LOG_FORMATS } from "../access-log/format.ts";
import {
  DEFAULT_OPS,
  type OpsOptions,
  type OptionNames,
  type SundialConfig,
  type TlsSource,
} from "../compose/config.ts";
import { badValue, basePath, extraField, proxyProtocolNeedsTrust } from "../compose/option-values.ts";
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  type HttpLimits,
} from "../http/limits.ts";
import { parseTrustList, type TrustList } from "../proxy/trust-list.ts";
import { DEFAULT_SITE } from "../static/options.ts";
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from "../tls/credentials.ts";
import type { ServeAuth, ServeOptions, ServeTls } from "./serve-options.ts";
import { AUTH_SCOPES } from "../auth/auth-app.ts";
import { canonicalAuthPath } from "../compose/auth-paths.ts";
import { type Credential, CREDENTIAL_FORMS, parseCredential } from "../auth/credentials.ts";
import type { AuthConfig } from "../compose/config.ts";
import { DEFLATE_VALUES, deflateOption } from "../websocket/deflate-params.ts";

/** How messages name the options: by serve()'s option names. */
export const OPTION_NAMES: OptionNames = {
  portHint: "choose another port, or port 0 for any free one",
  app: "fetch",
  tlsCert: "tls.cert",
  tlsKey: "tls.key",
  tlsSelfSigned: "tls.selfSigned",
  adminPort: "adminPort",
  redirectHttp: "tls.redirectHttpPort",
  authFile: "auth.file",
};

/** serve()'s default port, as Bun's serve() and srvx. */
export const DEFAULT_SERVE_PORT = 3000;
/** close() waits this long for responses in progress unless told otherwise. */
const SERVE_SHUTDOWN_TIMEOUT_MS = 5_000;

const DEFLATE_HINT = `true, false or { compress, decompress }, each ${DEFLATE_VALUES}`;

type Checked<T> = { readonly kind: "ok"; readonly value: T } | { readonly kind: "failed"; readonly message: string };

export function serveConfig(options: ServeOptions): Checked<SundialConfig> {
  const ops = opsOptions(options);
  if (ops.kind === "failed") return ops;
  const auth = authConfig(options.auth);
  if (auth.kind === "failed") return auth;
  const maxUpload = options.static?.maxUpload;
  if (maxUpload !== undefined && !(Number.isSafeInteger(maxUpload) && maxUpload >= 0)) {
    return { kind: "failed", message: badValue("static.maxUpload", String(maxUpload), "a whole number of bytes") };
  }
  const deflate = options.websocket?.perMessageDeflate;
  if (deflateOption(deflate).kind === "invalid") {
    return { kind: "failed", message: badValue("websocket.perMessageDeflate", JSON.stringify(deflate), DEFLATE_HINT) };
  }
  const { root, ...siteOptions } = options.static ?? { root: null };
  return {
    kind: "ok",
    value: {
      host: options.hostname ?? "",
      port: options.port ?? DEFAULT_SERVE_PORT,
      limits: limits(options),
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      maxConnectionsPerIp: options.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP,
      capLoopback: options.maxConnectionsPerIp !== undefined,
      app: { kind: "handler", fetch: options.fetch, websocket: options.websocket },
      site: options.static === undefined && options.time !== true
        ? null
        : { root, options: { ...DEFAULT_SITE, ...siteOptions } },
      daytimePort: options.daytimePort ?? null,
      timePort: options.timePort ?? null,
      ops: ops.value,
      tls: tlsSource(options.tls),
      handshakeTimeoutMs: options.tls?.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      redirectHttpPort: options.tls?.redirectHttpPort ?? null,
      ...(options.http2 === undefined || options.http2 === false
        ? {}
        : { http2: options.http2 === true ? {} : options.http2 }),
      auth: auth.value,
      catchUncaught: options.catchUncaught !== false,
      sweepTemps: true,
      names: OPTION_NAMES,
    },
  };
}

function limits(options: ServeOptions): HttpLimits {
  return {
    ...DEFAULT_LIMITS,
    ...options.limits,
    ...(options.maxRequestBodySize === undefined ? {} : { maxBodyBytes: options.maxRequestBodySize }),
  };
}

function tlsSource(tls: ServeTls | undefined): TlsSource | null {
  if (tls === undefined) return null;
  const passphrase = tls.passphrase ?? null;
  if ("selfSigned" in tls) return { kind: "self-signed" };
  if ("certFile" in tls) return { kind: "files", certFile: tls.certFile, keyFile: tls.keyFile, passphrase };
  return { kind: "pem", cert: tls.cert, key: tls.key, passphrase };
}

/** The operations options, checked as the command line checks its flags. */
function opsOptions(options: ServeOptions): Checked<OpsOptions> {
  const log = accessLog(options.accessLog);
  if (log.kind === "failed") return log;
  const trust = trustList(options.trustProxy);
  if (trust.kind === "failed") return trust;
  const proxyProtocol = options.proxyProtocol === true;
  const conflict = proxyProtocolNeedsTrust(proxyProtocol, trust.value !== null, "proxyProtocol needs trustProxy");
  if (conflict !== null) return { kind: "failed", message: conflict };
  const path = options.basePath === undefined ? "" : basePath(options.basePath);
  if (path === null) {
    return {
      kind: "failed",
      message: badValue("basePath", options.basePath!, "a path such as /files (no '..', '?' or '#')"),
    };
  }
  const headers = extraFields(options.headers);
  if (headers.kind === "failed") return headers;
  return {
    kind: "ok",
    value: {
      ...DEFAULT_OPS,
      ...log.value,
      trustProxy: trust.value,
      proxyProtocol,
      basePath: path,
      health: options.health === true,
      metrics: options.metrics === true,
      adminPort: options.adminPort ?? null,
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? SERVE_SHUTDOWN_TIMEOUT_MS,
      headers: headers.value,
    },
  };
}

function accessLog(option: ServeOptions["accessLog"]): Checked<Pick<OpsOptions, "logFormat" | "logFile">> {
  if (option === undefined || option === false) return { kind: "ok", value: { logFormat: null, logFile: null } };
  const given = option === true ? {} : option;
  const format = given.format ?? "combined";
  if (!isLogFormat(format)) {
    return { kind: "failed", message: badValue("accessLog.format", format, LOG_FORMATS.join(", ")) };
  }
  return { kind: "ok", value: { logFormat: format, logFile: given.file ?? null } };
}

function trustList(option: ServeOptions["trustProxy"]): Checked<TrustList | null> {
  if (option === undefined) return { kind: "ok", value: null };
  const text = typeof option === "string" ? option : option.join(",");
  const parsed = parseTrustList(text);
  return parsed.kind === "ok"
    ? { kind: "ok", value: parsed.list }
    : { kind: "failed", message: `invalid value '${text}' for trustProxy: ${parsed.message}` };
}

function extraFields(option: ServeOptions["headers"]): Checked<ReadonlyArray<readonly [string, string]>> {
  const given = option === undefined ? [] : Array.isArray(option) ? option : Object.entries(option);
  const fields: Array<readonly [string, string]> = [];
  for (const [name, value] of given as ReadonlyArray<readonly [string, string]>) {
    const checked = extraField(name, value, "headers");
    if (checked.kind === "failed") return checked;
    fields.push(checked.field);
  }
  return { kind: "ok", value: fields };
}

/** The auth option, checked as --auth, --auth-file and --auth-scope are; null: off. */
function authConfig(option: ServeAuth | undefined): Checked<AuthConfig | null> {
  if (option === undefined) return { kind: "ok", value: null };
  const credentials: Credential[] = [];
  for (const text of option.users ?? []) {
    const parsed = typeof text === "string" ? parseCredential(text) : null;
    // The value is not repeated in the message: it may be a password.
    if (parsed?.kind !== "ok") {
      return {
        kind: "failed",
        message: `invalid auth.users entry: ${parsed?.message ?? `expected ${CREDENTIAL_FORMS}`}`,
      };
    }
    credentials.push(parsed.credential);
  }
  const scope = option.scope ?? "all";
  if (!AUTH_SCOPES.includes(scope)) {
    return { kind: "failed", message: badValue("auth.scope", String(scope), AUTH_SCOPES.join(" or ")) };
  }
  const file = option.file ?? null;
  if (credentials.length === 0 && file === null) {
    return { kind: "failed", message: "auth needs users or a file" };
  }
  const paths: string[] = [];
  for (const text of option.paths ?? []) {
    const path = typeof text === "string" ? canonicalAuthPath(text) : null;
    if (path === null) {
      return { kind: "failed", message: badValue("auth.paths", String(text), "a URL path such as /private/") };
    }
    paths.push(path);
  }
  return { kind: "ok", value: { credentials, file, scope, paths } };
}
