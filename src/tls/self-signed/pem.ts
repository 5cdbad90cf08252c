/**
 * PEM text (RFC 7468): "-----BEGIN label-----", the DER in base64 (RFC 4648 §4) in lines of
 * exactly 64 characters but the last (§2, the strict form of §3), "-----END label-----", and a
 * final line break. Labels: CERTIFICATE (§5.1) and PRIVATE KEY for a PKCS#8 key (§10).
 */

export type PemLabel = "CERTIFICATE" | "PRIVATE KEY";

const LINE = 64;

/** Base64 (RFC 4648 §4, with padding) of any bytes; btoa takes one character per byte. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  // Chunked so String.fromCharCode never gets more arguments than an engine allows.
  for (let i = 0; i < bytes.length; i += 0x2000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return btoa(binary);
}

/** The DER as one PEM block with the given label (RFC 7468 §2). */
export function toPem(label: PemLabel, der: Uint8Array): string {
  const text = base64(der);
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += LINE) lines.push(text.slice(i, i + LINE));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
