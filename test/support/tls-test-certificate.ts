import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * One self-signed certificate for the TLS variant of the e2e suite and the HTTPS browser test:
 * ECDSA P-256, made by the openssl CLI, for localhost and 127.0.0.1. Clients trust exactly it
 * (node:tls / node:https `ca`, Chromium's --ignore-certificate-errors-spki-list).
 */
export interface TestCertificate {
  readonly dir: string;
  /** The certificate's file (PEM): what --tls-cert gets. */
  readonly certFile: string;
  /** Its key's file (PEM, unencrypted): what --tls-key gets. */
  readonly keyFile: string;
  /** The certificate as PEM text: what a client trusts. */
  readonly certPem: string;
  /** base64 of the SHA-256 of its SubjectPublicKeyInfo (DER), as Chromium's SPKI list takes it. */
  readonly spkiSha256: string;
  remove(): void;
}

/** Why the certificate cannot be made here, or undefined when the openssl CLI runs. */
export function opensslMissing(): string | undefined {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "the openssl CLI is not installed (apt-get install openssl); the test certificate is made with it";
  }
}

export function makeTestCertificate(): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-tls-cert-"));
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  try {
    execFileSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=sundial e2e",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ], { stdio: "pipe" });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const certPem = fs.readFileSync(certFile, "utf8");
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return {
    dir,
    certFile,
    keyFile,
    certPem,
    spkiSha256: createHash("sha256").update(spki).digest("base64"),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
