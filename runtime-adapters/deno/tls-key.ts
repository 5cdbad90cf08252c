import { createPrivateKey } from "node:crypto";
import type { TlsCredentials } from "../../src/ports.ts";

/**
 * Deno.listenTls reads only unencrypted keys: an encrypted one (RFC 5958 EncryptedPrivateKeyInfo,
 * or OpenSSL's traditional Proc-Type form) is decrypted here with its passphrase, in memory, into
 * PKCS #8 PEM. Deno's node:crypto does this (Node and Bun pass the passphrase to their TLS).
 */
export function plainKey(credentials: TlsCredentials): { kind: "ok"; pem: string } | { kind: "failed"; message: string } {
  if (credentials.passphrase === null) return { kind: "ok", pem: credentials.key };
  try {
    const key = createPrivateKey({ key: credentials.key, format: "pem", passphrase: credentials.passphrase });
    return { kind: "ok", pem: String(key.export({ type: "pkcs8", format: "pem" })) };
  } catch (error) {
    return { kind: "failed", message: `cannot decrypt the key: ${(error as Error).message}` };
  }
}
