/**
 * A small DER encoder: the distinguished encoding rules of ITU-T X.690 (§8 the basic rules, §10
 * and §11 what DER fixes among them), for just the types an X.509 certificate is made of. Every
 * function returns one complete TLV (identifier, length, contents), so a structure is written
 * inside out by nesting calls. Lengths are always definite (X.690 §10.1).
 */

/** Universal tags (X.690 §8.1.2, X.680 §8.4); SEQUENCE and SET with the constructed bit (0x20). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OBJECT_IDENTIFIER: 0x06,
  UTF8_STRING: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** The parts one after the other in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The length octets (X.690 §8.1.3): the short form for 0-127 (§8.1.3.4), otherwise the long form,
 * 0x80 | count then the length big-endian in the fewest octets (§8.1.3.5, DER §10.1).
 */
export function encodeLength(length: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`DER length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** One TLV: the identifier octet (tag numbers below 31 only, X.690 §8.1.2.3), the length, the contents. */
export function tlv(tag: number, contents: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes([Uint8Array.of(tag), encodeLength(contents.length), contents]);
}

/** SEQUENCE and SEQUENCE OF: the elements in the order given (X.690 §8.9, §8.10). */
export function sequence(...elements: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return tlv(TAG.SEQUENCE, concatBytes(elements));
}

/** Unsigned lexicographic order of two encodings, a shorter prefix first (X.690 §11.6). */
function compareEncodings(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** SET OF: DER sorts the elements' encodings in ascending order (X.690 §11.6). */
export function setOf(...elements: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return tlv(TAG.SET, concatBytes([...elements].sort(compareEncodings)));
}

/**
 * A non-negative INTEGER from its big-endian magnitude (X.690 §8.3): two's complement in the
 * fewest octets (§8.3.2), so leading zero octets go, and one 0x00 is put back when the first
 * remaining octet has its top bit set, which would otherwise make the value negative.
 */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array<ArrayBuffer> {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const digits = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(start);
  const contents = digits[0]! & 0x80 ? concatBytes([Uint8Array.of(0), digits]) : digits;
  return tlv(TAG.INTEGER, contents);
}

/** A non-negative safe integer as an INTEGER (X.690 §8.3), e.g. the certificate's version. */
export function smallInteger(value: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`DER small integer ${value}`);
  const octets: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return unsignedInteger(Uint8Array.from(octets));
}

/** Base 128, most significant group first, the top bit set on all but the last octet (X.690 §8.19.2). */
function base128(value: number): number[] {
  const groups = [value % 128];
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift(0x80 | (rest % 128));
  return groups;
}

/**
 * An OBJECT IDENTIFIER from dotted text (X.690 §8.19): the first two arcs as one subidentifier,
 * 40 * X + Y (§8.19.4, X in 0-2 and Y below 40 unless X is 2), then each arc in base 128.
 */
export function objectIdentifier(dotted: string): Uint8Array<ArrayBuffer> {
  const arcs = dotted.split(".").map((arc) => (/^(0|[1-9][0-9]*)$/.test(arc) ? Number(arc) : NaN));
  const [first, second] = arcs;
  const valid = arcs.length >= 2 && arcs.every((arc) => Number.isSafeInteger(arc));
  if (!valid || first! > 2 || (first! < 2 && second! >= 40)) throw new RangeError(`OID ${dotted}`);
  const octets = [first! * 40 + second!, ...arcs.slice(2)].flatMap(base128);
  return tlv(TAG.OBJECT_IDENTIFIER, Uint8Array.from(octets));
}

/** A BIT STRING: the count of unused bits in the last octet, then the octets (X.690 §8.6.2). */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array<ArrayBuffer> {
  if (unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`unused bits ${unusedBits}`);
  }
  return tlv(TAG.BIT_STRING, concatBytes([Uint8Array.of(unusedBits), bytes]));
}

/** An OCTET STRING, primitive in DER (X.690 §8.7, §10.2). */
export function octetString(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** A BOOLEAN: DER writes TRUE as 0xFF (X.690 §11.1). */
export function booleanValue(value: boolean): Uint8Array<ArrayBuffer> {
  return tlv(TAG.BOOLEAN, Uint8Array.of(value ? 0xff : 0x00));
}

const encoder = new TextEncoder();

/** A UTF8String (X.690 §8.23.10). */
export function utf8String(text: string): Uint8Array<ArrayBuffer> {
  return tlv(TAG.UTF8_STRING, encoder.encode(text));
}

/** A context-specific constructed [n] EXPLICIT wrapper around one TLV (X.690 §8.14.2, §8.1.2.5). */
export function explicitTag(n: number, inner: Uint8Array): Uint8Array<ArrayBuffer> {
  if (n < 0 || n > 30) throw new RangeError(`tag number ${n}`);
  return tlv(0xa0 | n, inner);
}

/** A context-specific primitive [n] IMPLICIT value: the contents of the type it replaces (X.690 §8.14.3). */
export function implicitPrimitive(n: number, contents: Uint8Array): Uint8Array<ArrayBuffer> {
  if (n < 0 || n > 30) throw new RangeError(`tag number ${n}`);
  return tlv(0x80 | n, contents);
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/** The date's UTC fields to the second as "MMDDHHMMSSZ", the part the two time types share. */
function monthToSecond(date: Date): string {
  return `${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}${pad(date.getUTCHours(), 2)}` +
    `${pad(date.getUTCMinutes(), 2)}${pad(date.getUTCSeconds(), 2)}Z`;
}

/**
 * A UTCTime "YYMMDDHHMMSSZ" (X.690 §11.8; RFC 5280 §4.1.2.5.1: always Zulu, always seconds),
 * for years 1950-2049, which is all a two-digit year means in a certificate.
 */
export function utcTime(date: Date): Uint8Array<ArrayBuffer> {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 1950 || year > 2049) throw new RangeError(`UTCTime year ${year}`);
  return tlv(TAG.UTC_TIME, encoder.encode(pad(year % 100, 2) + monthToSecond(date)));
}

/**
 * A GeneralizedTime "YYYYMMDDHHMMSSZ" (X.690 §11.7; RFC 5280 §4.1.2.5.2: Zulu, seconds, no
 * fraction of a second); milliseconds are dropped.
 */
export function generalizedTime(date: Date): Uint8Array<ArrayBuffer> {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) throw new RangeError(`GeneralizedTime year ${year}`);
  return tlv(TAG.GENERALIZED_TIME, encoder.encode(pad(year, 4) + monthToSecond(date)));
}

/** A certificate's Time (RFC 5280 §4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050 (and before 1950). */
export function certificateTime(date: Date): Uint8Array<ArrayBuffer> {
  const year = date.getUTCFullYear();
  return year >= 1950 && year <= 2049 ? utcTime(date) : generalizedTime(date);
}
