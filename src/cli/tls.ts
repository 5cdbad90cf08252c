/** HTTPS for the command line: credentials from files or made at start, and what SIGHUP does. */
import type { Clock } from "../ports/clock.ts";
import type { FileSystem } from "../ports/file-system.ts";
import type { TlsCredentials, TlsListen } from "../ports/transport.ts";
import { readTextFile } from "../io/read-text.ts";
import { checkCredentials } from "../tls/credentials.ts";
import { createSelfSignedCertificate } from "../tls/self-signed/certificate.ts";
import type { TlsOptions } from "./tls-options.ts";

/** A PEM file is a few KiB (a chain of four RSA-4096 certificates is under 10): anything near this is not one. */
const MAX_PEM_BYTES = 1024 * 1024;

export type PreparedTls =
  | { readonly kind: "off" }
  | {
    readonly kind: "on";
    readonly listen: TlsListen;
    /** For the banner: where the certificate came from, and the self-signed one's fingerprint. */
    readonly banner: readonly string[];
    /** SIGHUP: the files read again and checked; null for a self-signed certificate (nothing to read). */
    readonly reread:
      | (() => Promise<{ kind: "ok"; credentials: TlsCredentials } | { kind: "failed"; message: string }>)
      | null;
  }
  | { readonly kind: "failed"; readonly message: string };

export interface TlsDeps {
  readonly fs: FileSystem;
  readonly clock: Clock;
}

export async function prepareTls(
  deps: TlsDeps,
  options: TlsOptions,
  hosts: () => readonly string[],
): Promise<PreparedTls> {
  if (options.selfSigned) {
    const names = hosts();
    const made = await createSelfSignedCertificate({ hosts: names, now: new Date(deps.clock.now()) });
    if (made.kind === "failed") return { kind: "failed", message: `--tls-self-signed: ${made.message}` };
    const { certPem, keyPem, fingerprintSha256, notAfter } = made.certificate;
    return {
      kind: "on",
      listen: { cert: certPem, key: keyPem, passphrase: null, handshakeTimeoutMs: options.handshakeTimeoutMs },
      banner: [
        `  TLS:     self-signed for ${names.join(", ")}, until ${notAfter.toISOString().slice(0, 10)}`,
        `           SHA-256 ${fingerprintSha256}`,
      ],
      reread: null,
    };
  }
  if (options.certFile === null || options.keyFile === null) return { kind: "off" };
  const certFile = options.certFile;
  const keyFile = options.keyFile;
  const read = async (): Promise<{ kind: "ok"; credentials: TlsCredentials } | { kind: "failed"; message: string }> => {
    const cert = await readTextFile(deps.fs, certFile, MAX_PEM_BYTES);
    if (cert.kind === "failed") return { kind: "failed", message: `--tls-cert: ${cert.message}` };
    const key = await readTextFile(deps.fs, keyFile, MAX_PEM_BYTES);
    if (key.kind === "failed") return { kind: "failed", message: `--tls-key: ${key.message}` };
    return checkCredentials({ path: certFile, text: cert.text }, { path: keyFile, text: key.text }, options.passphrase);
  };
  const first = await read();
  if (first.kind === "failed") return first;
  return {
    kind: "on",
    listen: { ...first.credentials, handshakeTimeoutMs: options.handshakeTimeoutMs },
    banner: [`  TLS:     ${certFile} (kill -HUP reloads it)`],
    reread: read,
  };
}

/** The names a self-signed certificate is made for: localhost, the loopback addresses and the machine's own. */
export function selfSignedHosts(bound: string, addresses: readonly string[]): string[] {
  const hosts = ["localhost", "127.0.0.1", "::1", ...addresses];
  if (bound !== "" && bound !== "0.0.0.0" && bound !== "::") hosts.push(bound);
  return [...new Set(hosts)];
}
