import {
  bitString,
  certificateTime,
  explicitTag,
  objectIdentifier,
  sequence,
  setOf,
  smallInteger,
  unsignedInteger,
  utf8String,
} from "./der.ts";
import { ecdsaSignatureToDer } from "./ecdsa-signature.ts";
import {
  authorityKeyIdentifier,
  basicConstraintsNotCa,
  extendedKeyUsageServerAuth,
  keyUsageDigitalSignature,
  subjectAltName,
  subjectKeyIdentifier,
} from "./extensions.ts";
import { readHosts, type SubjectAltName } from "./host-names.ts";
import { toPem } from "./pem.ts";

/**
 * A self-signed X.509 v3 certificate for a TLS server (RFC 5280 §4.1), made at start with
 * WebCrypto alone, which Node, Deno and Bun share: an ECDSA P-256 key, signed with
 * ecdsa-with-SHA256, naming the hosts it serves in subjectAltName. The key exists only in the
 * returned PEM; a new start makes a new key and a new certificate.
 */

export interface SelfSignedOptions {
  /** DNS host names and IPv4/IPv6 literals, e.g. localhost, 127.0.0.1, ::1; at least one. */
  readonly hosts: readonly string[];
  readonly now: Date;
  /** Days from now until notAfter; a positive integer, DEFAULT_VALID_DAYS when absent. */
  readonly validDays?: number;
}

export interface SelfSignedCertificate {
  readonly certPem: string;
  /** The private key as PKCS#8 PrivateKeyInfo in PEM (RFC 5208, RFC 7468 §10). */
  readonly keyPem: string;
  /** SHA-256 of the certificate's DER as upper-case hex pairs joined by ":", as openssl prints it. */
  readonly fingerprintSha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export type SelfSignedResult =
  | { readonly kind: "ok"; readonly certificate: SelfSignedCertificate }
  | { readonly kind: "failed"; readonly message: string };

/**
 * A year. The key lives only as long as the process, so the certificate has to outlast the
 * longest run, not a rotation schedule: a short lifetime would make a server that runs for
 * months start failing every handshake with "certificate has expired". 365 stays under the 398
 * days that browsers accept for a server certificate from a public CA (CA/Browser Forum Baseline
 * Requirements §6.3.2), so no client finds it too long-lived either.
 */
export const DEFAULT_VALID_DAYS = 365;

/** notBefore this far before now, so a client whose clock is a little behind accepts it. */
const BACKDATE_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** RFC 5280 §4.1.2.5: the latest time a certificate can state, 99991231235959Z. */
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The subject, and being self-signed the issuer (RFC 5280 §4.1.2.4, §4.1.2.6). */
export const SUBJECT_COMMON_NAME = "sundial self-signed";

/** RFC 5280 §4.1.2.4 / X.520 id-at-commonName. */
const COMMON_NAME = "2.5.4.3";
/** RFC 5758 §3.2 ecdsa-with-SHA256; its AlgorithmIdentifier has no parameters. */
const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
/** RFC 5280 §4.1.2.1: v3 is the INTEGER 2. */
const VERSION_3 = 2;
/** Serial numbers of 16 random octets (RFC 5280 §4.1.2.2 allows up to 20). */
export const SERIAL_OCTETS = 16;

/**
 * A serial number from random octets (RFC 5280 §4.1.2.2: a positive INTEGER, unique per issuer,
 * which randomness gives every self-signed certificate; a repeated issuer and serial is an error
 * to Firefox). The top bit is cleared so the INTEGER is positive without a 0x00 octet, and a
 * first octet left zero becomes 1 so the INTEGER keeps all its octets.
 */
export function serialNumber(random: Uint8Array): Uint8Array<ArrayBuffer> {
  const octets = Uint8Array.from(random);
  if (octets.length === 0) return Uint8Array.of(1);
  octets[0] = (octets[0]! & 0x7f) || 1;
  return octets;
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName, here one RDN of one commonName (RFC 5280 §4.1.2.4). */
export function commonNameOnly(commonName: string): Uint8Array<ArrayBuffer> {
  return sequence(setOf(sequence(objectIdentifier(COMMON_NAME), utf8String(commonName))));
}

/** AlgorithmIdentifier for ecdsa-with-SHA256, parameters absent (RFC 5758 §3.2). */
function ecdsaWithSha256(): Uint8Array<ArrayBuffer> {
  return sequence(objectIdentifier(ECDSA_WITH_SHA256));
}

const hex = (bytes: Uint8Array): string[] => [...bytes].map((byte) => byte.toString(16).toUpperCase().padStart(2, "0"));

/** "AB:CD:...": SHA-256 of the DER, the form `openssl x509 -fingerprint -sha256` prints. */
export async function fingerprintSha256(der: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", der))).join(":");
}

interface TbsFields {
  readonly serial: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly names: readonly SubjectAltName[];
  readonly spki: Uint8Array;
  readonly keyId: Uint8Array;
}

/**
 * TBSCertificate (RFC 5280 §4.1): version [0] EXPLICIT v3 (§4.1.2.1), serialNumber (§4.1.2.2),
 * signature (§4.1.2.3, the same algorithm as the outer one), issuer = subject (§4.1.2.4, §4.1.2.6),
 * validity (§4.1.2.5), subjectPublicKeyInfo as WebCrypto exports it (§4.1.2.7, RFC 5480 §2),
 * extensions [3] EXPLICIT (§4.1.2.9).
 */
export function tbsCertificate(fields: TbsFields): Uint8Array<ArrayBuffer> {
  const name = commonNameOnly(SUBJECT_COMMON_NAME);
  return sequence(
    explicitTag(0, smallInteger(VERSION_3)),
    unsignedInteger(fields.serial),
    ecdsaWithSha256(),
    name,
    sequence(certificateTime(fields.notBefore), certificateTime(fields.notAfter)),
    name,
    fields.spki,
    explicitTag(
      3,
      sequence(
        basicConstraintsNotCa(),
        keyUsageDigitalSignature(),
        extendedKeyUsageServerAuth(),
        subjectAltName(fields.names),
        subjectKeyIdentifier(fields.keyId),
        authorityKeyIdentifier(fields.keyId),
      ),
    ),
  );
}

/** The validity period to the second (RFC 5280 §4.1.2.5 times have no fraction), or why there is none. */
function validity(now: Date, validDays: number): { notBefore: Date; notAfter: Date } | string {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) return "the current time is not a valid date";
  if (!Number.isSafeInteger(validDays) || validDays < 1) {
    return `validDays must be a positive integer, not ${validDays}`;
  }
  const notAfterMs = nowMs + validDays * DAY_MS;
  if (notAfterMs > LATEST) return `${validDays} days from now is after the year 9999`;
  const second = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);
  return { notBefore: second(nowMs - BACKDATE_MS), notAfter: second(notAfterMs) };
}

/** The certificate, or the reason it cannot be made: a host that is neither name nor address, bad times, a WebCrypto failure. */
export async function createSelfSignedCertificate(options: SelfSignedOptions): Promise<SelfSignedResult> {
  const hosts = readHosts(options.hosts);
  if (hosts.kind === "failed") return hosts;
  const period = validity(options.now, options.validDays ?? DEFAULT_VALID_DAYS);
  if (typeof period === "string") return { kind: "failed", message: period };
  try {
    return { kind: "ok", certificate: await signCertificate(hosts.names, period.notBefore, period.notAfter) };
  } catch (error) {
    return {
      kind: "failed",
      message: `WebCrypto could not make the key or signature: ${
        error instanceof Error ? error.message : String(error)
      }`,
    };
  }
}

/** A new P-256 key, the TBSCertificate, its signature, and the Certificate around them (RFC 5280 §4.1.1). */
async function signCertificate(
  names: readonly SubjectAltName[],
  notBefore: Date,
  notAfter: Date,
): Promise<SelfSignedCertificate> {
  const subtle = crypto.subtle;
  const keys = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const spki = new Uint8Array(await subtle.exportKey("spki", keys.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", keys.privateKey));
  // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's value, which for
  // an EC key is the uncompressed point (RFC 5480 §2.2), what "raw" exports.
  const point = new Uint8Array(await subtle.exportKey("raw", keys.publicKey));
  const keyId = new Uint8Array(await subtle.digest("SHA-1", point));
  const serial = serialNumber(crypto.getRandomValues(new Uint8Array(SERIAL_OCTETS)));
  const tbs = tbsCertificate({ serial, notBefore, notAfter, names, spki, keyId });
  const raw = new Uint8Array(await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, tbs));
  const signature = ecdsaSignatureToDer(raw);
  if (signature === null) throw new Error(`an ECDSA signature of ${raw.length} bytes`);
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 §4.1.1.3).
  const der = sequence(tbs, ecdsaWithSha256(), bitString(signature));
  return {
    certPem: toPem("CERTIFICATE", der),
    keyPem: toPem("PRIVATE KEY", pkcs8),
    fingerprintSha256: await fingerprintSha256(der),
    notBefore,
    notAfter,
  };
}
