/**
 * sundial as an H2ServerSpec, for the HTTP/2 parts: a target started with --http2 on the site
 * folder over cleartext (h2c with prior knowledge, beside HTTP/1.1 on the same port) or TLS
 * (--tls-cert/--tls-key with a certificate made by openssl; ALPN h2). `optionArgs` turns
 * H2StartOptions into the flags that set them (sundialH2Args: the zero window hold's timeout).
 */
import * as fs from "node:fs";
import type { H2Server, H2ServerSpec, H2StartOptions } from "./h2-servers.ts";
import { startSundial, type Target } from "./server-process.ts";
import { makeCertificates } from "./tls-certs.ts";

/** The flags that start sundial with H2StartOptions: --http2-zero-window-timeout for the hold's timeout. */
export function sundialH2Args(options: H2StartOptions): readonly string[] {
  const holdS = options.zeroWindowTimeoutS;
  return holdS === undefined ? [] : ["--http2-zero-window-timeout", `${holdS}s`];
}

export function sundialH2Spec(
  target: Target,
  tls: boolean,
  optionArgs: (options: H2StartOptions) => readonly string[] = sundialH2Args,
): H2ServerSpec {
  return {
    name: `sundial on ${target.name} ${tls ? "h2 (TLS)" : "h2c"}`,
    tls,
    start: async (root: string, options: H2StartOptions = {}): Promise<H2Server> => {
      const certs = tls ? makeCertificates() : undefined;
      const tlsArgs = certs === undefined ? [] : ["--tls-cert", certs.chain, "--tls-key", certs.key];
      const running = await startSundial(target, [root, "--quiet", "--http2", ...tlsArgs, ...optionArgs(options)]);
      return {
        endpoint: {
          host: "127.0.0.1",
          port: running.port,
          tls,
          ca: certs === undefined ? undefined : fs.readFileSync(certs.caCert, "utf8"),
        },
        pid: () => running.process.pid,
        log: () => running.stderr(),
        stop: async () => {
          await running.stop();
          certs?.remove();
        },
      };
    },
  };
}
