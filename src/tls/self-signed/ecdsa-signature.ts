import { sequence, unsignedInteger } from "./der.ts";

/**
 * WebCrypto's ECDSA signature is r and s as two fixed-width big-endian halves (W3C Web Crypto,
 * the ECDSA sign operation: the IEEE P1363 form). X.509 carries it as the DER of Ecdsa-Sig-Value ::= SEQUENCE
 * { r INTEGER, s INTEGER } (RFC 3279 §2.2.3, kept for ecdsa-with-SHA256 by RFC 5758 §3.2; also
 * in RFC 5480's ASN.1 module, Appendix A), where each INTEGER loses its leading zero octets and
 * gains one when its top bit is set (X.690 §8.3.2). Null for a signature with no two halves.
 */
export function ecdsaSignatureToDer(raw: Uint8Array): Uint8Array<ArrayBuffer> | null {
  if (raw.length === 0 || raw.length % 2 !== 0) return null;
  const half = raw.length / 2;
  return sequence(unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half)));
}
