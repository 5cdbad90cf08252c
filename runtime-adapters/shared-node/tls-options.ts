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

/** ALPN's protocols, most wanted first (RFC 7301; RFC 9113 §3.2: "h2" for HTTP/2 over TLS). */
export function alpnProtocols(http2: boolean | undefined): string[] {
  return http2 === true ? ["h2", "http/1.1"] : ["http/1.1"];
}
