import { createPrivateKey, X509Certificate } from "node:crypto";
import type { TlsCredentials } from "../../src/ports/transport.ts";

export type PairCheck = { readonly kind: "ok" } | { readonly kind: "failed"; readonly message: string };

/**
 * Whether the key opens (with its passphrase) and belongs to the certificate's public key. Node's
 * tls.createSecureContext refuses a mismatched pair itself; Deno's node:tls takes any pair and
 * fails only at the first handshake, so the Deno adapter asks node:crypto first, at start and on
 * each reload (a refused pair leaves the one in use).
 */
export function checkPair(credentials: TlsCredentials): PairCheck {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(credentials.cert);
  } catch (error) {
    return { kind: "failed", message: `cannot read the certificate: ${(error as Error).message}` };
  }
  try {
    const key = createPrivateKey({
      key: credentials.key,
      format: "pem",
      passphrase: credentials.passphrase ?? undefined,
    });
    if (!certificate.checkPrivateKey(key)) {
      return { kind: "failed", message: "the key does not match the certificate (key values mismatch)" };
    }
    return { kind: "ok" };
  } catch (error) {
    return { kind: "failed", message: `cannot read the key: ${(error as Error).message}` };
  }
}
