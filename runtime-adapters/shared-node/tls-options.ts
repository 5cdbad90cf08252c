import type * as tls from "node:tls";
import type { TlsCredentials } from "../../src/ports/transport.ts";

/** node:tls's options for credentials; TLS 1.2 and 1.3 only, ALPN http/1.1 (RFC 7301). */
export function secureOptions(credentials: TlsCredentials): tls.SecureContextOptions {
  return {
    cert: credentials.cert,
    key: credentials.key,
    passphrase: credentials.passphrase ?? undefined,
    minVersion: "TLSv1.2",
  };
}
