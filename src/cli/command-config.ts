/** The command line's flags as the composer's config: the CLI door to the one composer. */
import type { OptionNames, SundialConfig, TlsSource } from "../compose/config.ts";
import type { Http2Options } from "../http2/limits.ts";
import type { ServeCommand } from "./arguments.ts";
import type { TlsOptions } from "./tls-options.ts";

/** How messages name the options: by their flags. */
export const FLAG_NAMES: OptionNames = {
  portHint: "choose another with --port, or --port 0 for any free port",
  app: "--app",
  tlsCert: "--tls-cert",
  tlsKey: "--tls-key",
  tlsSelfSigned: "--tls-self-signed",
  adminPort: "--admin-port",
  redirectHttp: "--redirect-http",
  authFile: "--auth-file",
};

export function commandConfig(command: ServeCommand): SundialConfig {
  // With --app and no DIR, no files: the app's own folder (its source, its data) is not a site.
  const root = command.app !== null && !command.dirGiven ? null : command.dir;
  return {
    host: command.host,
    port: command.port,
    limits: command.limits,
    maxConnections: command.maxConnections,
    maxConnectionsPerIp: command.maxConnectionsPerIp,
    capLoopback: command.capLoopback,
    app: command.app === null ? null : { kind: "module", path: command.app },
    site: { root, options: command.site },
    daytimePort: command.daytimePort,
    timePort: command.timePort,
    ops: command.ops,
    tls: tlsSource(command.tls),
    handshakeTimeoutMs: command.tls.handshakeTimeoutMs,
    redirectHttpPort: command.tls.redirectHttpPort,
    ...(command.tls.http2 ? { http2: http2Limits(command.tls) } : {}),
    auth: command.auth,
    catchUncaught: true,
    sweepTemps: true,
    names: FLAG_NAMES,
  };
}

/** The HTTP/2 limits the flags set over the defaults (src/http2/limits.ts). */
function http2Limits(tls: TlsOptions): Partial<Http2Options> {
  return tls.http2ZeroWindowTimeoutMs === null ? {} : { zeroWindowTimeoutMs: tls.http2ZeroWindowTimeoutMs };
}

function tlsSource(tls: TlsOptions): TlsSource | null {
  if (tls.selfSigned) return { kind: "self-signed" };
  if (tls.certFile === null || tls.keyFile === null) return null;
  return { kind: "files", certFile: tls.certFile, keyFile: tls.keyFile, passphrase: tls.passphrase };
}
