import { bitString, booleanValue, implicitPrimitive, objectIdentifier, octetString, sequence } from "./der.ts";
import type { SubjectAltName } from "./host-names.ts";

/**
 * The v3 extensions of a TLS server's self-signed leaf (RFC 5280 §4.2): what it names, that it
 * is no CA, what its key may do, and the key's identifier. Each is an Extension ::= SEQUENCE
 * { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } (RFC 5280 §4.1), the value
 * being the DER of the extension's own type.
 */

/** RFC 5280 §4.2.1.6 id-ce-subjectAltName. */
const SUBJECT_ALT_NAME = "2.5.29.17";
/** RFC 5280 §4.2.1.9 id-ce-basicConstraints. */
const BASIC_CONSTRAINTS = "2.5.29.19";
/** RFC 5280 §4.2.1.3 id-ce-keyUsage. */
const KEY_USAGE = "2.5.29.15";
/** RFC 5280 §4.2.1.12 id-ce-extKeyUsage. */
const EXT_KEY_USAGE = "2.5.29.37";
/** RFC 5280 §4.2.1.12 id-kp-serverAuth. */
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
/** RFC 5280 §4.2.1.2 id-ce-subjectKeyIdentifier. */
const SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
/** RFC 5280 §4.2.1.1 id-ce-authorityKeyIdentifier. */
const AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";

const ascii = new TextEncoder();

/**
 * One Extension. DER leaves out a value equal to its DEFAULT (X.690 §11.5), so `critical` is
 * written only when true.
 */
export function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array<ArrayBuffer> {
  return critical
    ? sequence(objectIdentifier(oid), booleanValue(true), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

/**
 * GeneralNames (RFC 5280 §4.2.1.6): dNSName [2] IA5String and iPAddress [7] OCTET STRING, both
 * IMPLICIT. Not critical: the subject is not empty.
 */
export function subjectAltName(names: readonly SubjectAltName[]): Uint8Array<ArrayBuffer> {
  const general = names.map((name) =>
    name.kind === "dns" ? implicitPrimitive(2, ascii.encode(name.name)) : implicitPrimitive(7, name.octets)
  );
  return extension(SUBJECT_ALT_NAME, false, sequence(...general));
}

/**
 * BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint ... }: for an end
 * entity that is the empty SEQUENCE, cA FALSE being the default (X.690 §11.5). RFC 5280 §4.2.1.9
 * lets an end entity mark it critical or not; critical here, so no verifier may skip it.
 */
export function basicConstraintsNotCa(): Uint8Array<ArrayBuffer> {
  return extension(BASIC_CONSTRAINTS, true, sequence());
}

/**
 * KeyUsage digitalSignature, the only use of an ECDSA TLS server key (RFC 5480 §3; RFC 8446
 * §4.4.3 signs the handshake). digitalSignature is bit 0; DER drops trailing zero bits of a
 * named bit list (X.690 §11.2.2), which leaves one bit: 0x80 with 7 unused bits. Critical, as
 * RFC 5280 §4.2.1.3 says it SHOULD be.
 */
export function keyUsageDigitalSignature(): Uint8Array<ArrayBuffer> {
  return extension(KEY_USAGE, true, bitString(Uint8Array.of(0x80), 7));
}

/** ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId, here id-kp-serverAuth (RFC 5280 §4.2.1.12). */
export function extendedKeyUsageServerAuth(): Uint8Array<ArrayBuffer> {
  return extension(EXT_KEY_USAGE, false, sequence(objectIdentifier(SERVER_AUTH)));
}

/** SubjectKeyIdentifier ::= KeyIdentifier, an OCTET STRING (RFC 5280 §4.2.1.2). */
export function subjectKeyIdentifier(keyId: Uint8Array): Uint8Array<ArrayBuffer> {
  return extension(SUBJECT_KEY_IDENTIFIER, false, octetString(keyId));
}

/**
 * AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT KeyIdentifier, ... } (RFC
 * 5280 §4.2.1.1). A self-signed certificate MAY leave it out; it is the subject's own key id
 * here, so a verifier matching issuers by key id finds this certificate as its own issuer.
 */
export function authorityKeyIdentifier(keyId: Uint8Array): Uint8Array<ArrayBuffer> {
  return extension(AUTHORITY_KEY_IDENTIFIER, false, sequence(implicitPrimitive(0, keyId)));
}
