import type { TlsCredentials } from "../ports/transport.ts";

/**
 * What sundial checks of PEM credentials itself before a runtime sees them, so that a wrong file
 * gets one line that names it (each runtime's own TLS library reports these as it likes, or not
 * at all until the first handshake). RFC 7468 §2: a PEM block is "-----BEGIN label-----", base64
 * lines, "-----END label-----"; §5 labels a certificate CERTIFICATE, §10–11 a private key
 * PRIVATE KEY or ENCRYPTED PRIVATE KEY; "RSA PRIVATE KEY" and "EC PRIVATE KEY" are the older
 * OpenSSL forms (RFC 8017 and RFC 5915 key structures) that every runtime still reads.
 */

/**
 * 10 s: a handshake is two round trips and some CPU, so a client that has not finished by then
 * is gone or holding a slot on purpose (Caddy and nginx give 10 s and 60 s; Node 120 s).
 */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

export type CredentialsCheck = { readonly kind: "ok"; readonly credentials: TlsCredentials } | {
  readonly kind: "failed";
  readonly message: string;
};

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;
const KEY_LABELS = new Set(["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]);

function labels(text: string): string[] {
  return [...text.matchAll(BLOCK)].map((m) => m[1]!);
}

/** Whether a traditional OpenSSL key is encrypted (its "Proc-Type: 4,ENCRYPTED" header, RFC 1421 §4.6.1.1). */
function legacyEncrypted(text: string): boolean {
  return /Proc-Type:\s*4,ENCRYPTED/.test(text);
}

export function checkCredentials(
  cert: { readonly path: string; readonly text: string },
  key: { readonly path: string; readonly text: string },
  passphrase: string | null,
): CredentialsCheck {
  const certLabels = labels(cert.text);
  if (certLabels.length === 0) {
    return { kind: "failed", message: `${cert.path} holds no PEM block (expected -----BEGIN CERTIFICATE-----)` };
  }
  if (certLabels[0] !== "CERTIFICATE") {
    return {
      kind: "failed",
      message: `${cert.path} starts with a ${
        certLabels[0]
      } block, not a CERTIFICATE (the certificate file holds the leaf first, then its chain)`,
    };
  }
  if (certLabels.some((l) => KEY_LABELS.has(l))) {
    return { kind: "failed", message: `${cert.path} holds a private key: keep it in the --tls-key file only` };
  }
  const keyLabels = labels(key.text).filter((l) => KEY_LABELS.has(l));
  if (keyLabels.length === 0) {
    return { kind: "failed", message: `${key.path} holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)` };
  }
  if (keyLabels.length > 1) {
    return { kind: "failed", message: `${key.path} holds ${keyLabels.length} private keys; give it one` };
  }
  const encrypted = keyLabels[0] === "ENCRYPTED PRIVATE KEY" || legacyEncrypted(key.text);
  if (encrypted && passphrase === null) {
    return {
      kind: "failed",
      message: `${key.path} is encrypted: give its passphrase in SUNDIAL_TLS_KEY_PASSPHRASE (or --tls-key-passphrase)`,
    };
  }
  return { kind: "ok", credentials: { cert: cert.text, key: key.text, passphrase: encrypted ? passphrase : null } };
}
