/**
 * nginx serving a folder over HTTP/2, the reference the HTTP/2 parts are proven against: h2c
 * with prior knowledge (`listen PORT http2;` before nginx 1.25.1, `http2 on;` from it) and TLS
 * with ALPN (a certificate made at test time with openssl). Started and stopped by PID through
 * nginx.ts, on a port in 47000-47999.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { H2Server, H2ServerSpec, H2StartOptions } from "./h2-servers.ts";
import { freePortInRange } from "./h2-servers.ts";
import { startNginxWith } from "./nginx.ts";
import { haveOpenssl, makeCertificates } from "./tls-certs.ts";

/** nginx's version as [major, minor, patch], from `nginx -v` (which prints it on stderr). */
export function nginxVersion(bin: string): readonly [number, number, number] {
  const run = spawnSync(bin, ["-v"], { encoding: "utf8" });
  return versionOf(`${run.stdout}${run.stderr}`);
}

function versionOf(text: string): readonly [number, number, number] {
  const match = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (match === null) return [0, 0, 0];
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** `http2 on;` exists from nginx 1.25.1; before it, http2 is a parameter of listen. */
function hasHttp2Directive([major, minor, patch]: readonly [number, number, number]): boolean {
  return major > 1 || minor > 25 || (minor === 25 && patch >= 1);
}

export interface NginxH2ConfigOptions {
  readonly port: number;
  readonly root: string;
  readonly version: readonly [number, number, number];
  readonly tls?: { readonly cert: string; readonly key: string };
  /** send_timeout: how long nginx waits on a client that takes nothing (the zero-window hold). */
  readonly sendTimeoutS?: number;
}

/** A static site over HTTP/2 on 127.0.0.1:port, one worker, nginx's HTTP/2 limits left at their defaults. */
export function nginxH2Config(options: NginxH2ConfigOptions): string {
  const modern = hasHttp2Directive(options.version);
  const ssl = options.tls === undefined ? "" : " ssl";
  const listen = modern
    ? `listen 127.0.0.1:${options.port}${ssl};\n        http2 on;`
    : `listen 127.0.0.1:${options.port}${ssl} http2;`;
  const certificate = options.tls === undefined
    ? ""
    : `\n        ssl_certificate ${options.tls.cert};\n        ssl_certificate_key ${options.tls.key};`;
  const sendTimeout = options.sendTimeoutS === undefined ? "" : `\n    send_timeout ${options.sendTimeoutS}s;`;
  return `worker_processes 1;
worker_rlimit_nofile 16384;
pid nginx.pid;
error_log error.log info;

events {
    worker_connections 8192;
}

http {
    access_log off;
    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;
    default_type application/octet-stream;
    server_tokens off;${sendTimeout}

    server {
        ${listen}${certificate}
        root ${options.root};
        location / {
        }
    }
}
`;
}

/** Why nginx cannot serve HTTP/2 over TLS here, or null. */
export function nginxTlsSkip(): string | null {
  return haveOpenssl() ? null : "openssl is missing: no certificate for nginx's TLS listener";
}

/**
 * nginx as an H2ServerSpec: each start() gets its own prefix, certificate (over TLS) and port,
 * retried on another port when the one picked was taken meanwhile.
 */
export function nginxH2Spec(bin: string, tls: boolean): H2ServerSpec {
  const version = nginxVersion(bin);
  return {
    name: `nginx ${version.join(".")} ${tls ? "h2 (TLS)" : "h2c"}`,
    tls,
    start: (root: string, options: H2StartOptions = {}) => startNginxH2(bin, version, root, tls, options),
  };
}

async function startNginxH2(
  bin: string,
  version: readonly [number, number, number],
  root: string,
  tls: boolean,
  options: H2StartOptions,
): Promise<H2Server> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-nginx-h2-"));
  const certs = tls ? makeCertificates() : undefined;
  const cleanup = (): void => {
    fs.rmSync(prefix, { recursive: true, force: true });
    certs?.remove();
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePortInRange();
    const config = nginxH2Config({
      port,
      root,
      version,
      tls: certs === undefined ? undefined : { cert: certs.chain, key: certs.key },
      sendTimeoutS: options.zeroWindowTimeoutS,
    });
    try {
      const nginx = await startNginxWith(bin, prefix, port, config);
      return {
        endpoint: {
          host: "127.0.0.1",
          port,
          tls,
          ca: certs === undefined ? undefined : fs.readFileSync(certs.caCert, "utf8"),
        },
        pid: () => nginx.workers()[0],
        log: () => nginx.errorLog(),
        stop: async () => {
          await nginx.stop();
          cleanup();
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  cleanup();
  throw lastError;
}
