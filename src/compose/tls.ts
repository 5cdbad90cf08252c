/** HTTPS credentials, from PEM text, from files (read again on reload), or made at start. */
import type { Clock } from "../ports/clock.ts";
import type { FileSystem } from "../ports/file-system.ts";
import type { TlsCredentials, TlsListen } from "../ports/transport.ts";
import { readTextFile } from "../io/read-text.ts";
import { checkCredentials } from "../tls/credentials.ts";
import { createSelfSignedCertificate } from "../tls/self-signed/certificate.ts";
import type { OptionNames, TlsSource } from "./config.ts";

/** A PEM file is a few KiB (a chain of four RSA-4096 certificates is under 10): anything near this is not one. */
const MAX_PEM_BYTES = 1024 * 1024;

export type CredentialsRead = { kind: "ok"; credentials: TlsCredentials } | { kind: "failed"; message: string };

export type PreparedTls =
  | { readonly kind: "off" }
  | {
    readonly kind: "on";
    readonly listen: TlsListen;
    /** For the banner: where the certificate came from, and the self-signed one's fingerprint. */
    readonly banner: readonly string[];
    /** Reload (SIGHUP): the files read again and checked; null when there is nothing to read again. */
    readonly reread: (() => Promise<CredentialsRead>) | null;
    /** What a reload says it reloaded, or why there is nothing to reload. */
    readonly source: string;
  }
  | { readonly kind: "failed"; readonly message: string };

export interface TlsDeps {
  readonly fs: FileSystem;
  readonly clock: Clock;
}

export async function prepareTls(
  deps: TlsDeps,
  source: TlsSource | null,
  handshakeTimeoutMs: number,
  names: OptionNames,
  hosts: () => readonly string[],
): Promise<PreparedTls> {
  if (source === null) return { kind: "off" };
  if (source.kind === "self-signed") return selfSigned(deps, handshakeTimeoutMs, names, hosts());
  if (source.kind === "pem") {
    const checked = checkCredentials(
      { path: names.tlsCert, text: source.cert },
      { path: names.tlsKey, text: source.key },
      source.passphrase,
    );
    if (checked.kind === "failed") return checked;
    return {
      kind: "on",
      listen: { ...checked.credentials, handshakeTimeoutMs },
      banner: ["  TLS:     the certificate given"],
      reread: null,
      source: "the certificate was given as text",
    };
  }
  const { certFile, keyFile, passphrase } = source;
  const read = async (): Promise<CredentialsRead> => {
    const cert = await readTextFile(deps.fs, certFile, MAX_PEM_BYTES);
    if (cert.kind === "failed") return { kind: "failed", message: `${names.tlsCert}: ${cert.message}` };
    const key = await readTextFile(deps.fs, keyFile, MAX_PEM_BYTES);
    if (key.kind === "failed") return { kind: "failed", message: `${names.tlsKey}: ${key.message}` };
    return checkCredentials({ path: certFile, text: cert.text }, { path: keyFile, text: key.text }, passphrase);
  };
  const first = await read();
  if (first.kind === "failed") return first;
  return {
    kind: "on",
    listen: { ...first.credentials, handshakeTimeoutMs },
    banner: [`  TLS:     ${certFile} (kill -HUP reloads it)`],
    reread: read,
    source: certFile,
  };
}

async function selfSigned(
  deps: TlsDeps,
  handshakeTimeoutMs: number,
  names: OptionNames,
  hosts: readonly string[],
): Promise<PreparedTls> {
  const made = await createSelfSignedCertificate({ hosts, now: new Date(deps.clock.now()) });
  if (made.kind === "failed") return { kind: "failed", message: `${names.tlsSelfSigned}: ${made.message}` };
  const { certPem, keyPem, fingerprintSha256, notAfter } = made.certificate;
  return {
    kind: "on",
    listen: { cert: certPem, key: keyPem, passphrase: null, handshakeTimeoutMs },
    banner: [
      `  TLS:     self-signed for ${hosts.join(", ")}, until ${notAfter.toISOString().slice(0, 10)}`,
      `           SHA-256 ${fingerprintSha256}`,
    ],
    reread: null,
    source: "the certificate is self-signed, made at start",
  };
}

/** The names a self-signed certificate is made for: localhost, the loopback addresses and the machine's own. */
export function selfSignedHosts(bound: string, addresses: readonly string[]): string[] {
  const hosts = ["localhost", "127.0.0.1", "::1", ...addresses];
  if (bound !== "" && bound !== "0.0.0.0" && bound !== "::") hosts.push(bound);
  return [...new Set(hosts)];
}
