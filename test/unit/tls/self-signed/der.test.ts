import { createPublicKey, verify, webcrypto } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bitString,
  booleanValue,
  certificateTime,
  encodeLength,
  explicitTag,
  generalizedTime,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  setOf,
  smallInteger,
  unsignedInteger,
  utcTime,
  utf8String,
} from "../../../../src/tls/self-signed/der.ts";
import { ecdsaSignatureToDer } from "../../../../src/tls/self-signed/ecdsa-signature.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/ /g, ""), "hex"));

describe("DER lengths (X.690 §8.1.3)", () => {
  it.each([
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8180"],
    [255, "81ff"],
    [256, "820100"],
    [65535, "82ffff"],
    [65536, "83010000"],
    [2 ** 32, "850100000000"],
  ])("%d is %s (short form below 128, else the fewest octets)", (length, expected) => {
    expect(hex(encodeLength(length))).toBe(expected);
  });

  it("refuses what is not a length", () => {
    for (const bad of [-1, 0.5, Number.NaN, 2 ** 53]) expect(() => encodeLength(bad)).toThrow(RangeError);
  });

  it("long contents get a long-form length", () => {
    const big = octetString(new Uint8Array(300));
    expect(hex(big.subarray(0, 4))).toBe("0482012c");
    expect(big.length).toBe(304);
  });
});

describe("DER INTEGER (X.690 §8.3)", () => {
  it.each([
    ["", "020100"],
    ["00", "020100"],
    ["0000", "020100"],
    ["01", "020101"],
    ["7f", "02017f"],
    ["80", "02020080"],
    ["ff", "020200ff"],
    ["00007f", "02017f"],
    ["000080", "02020080"],
    ["0100", "02020100"],
    ["8000000000000000", "0209008000000000000000"],
  ])("magnitude %j is %s (no leading zeros, one 0x00 before a set top bit)", (magnitude, expected) => {
    expect(hex(unsignedInteger(bytes(magnitude)))).toBe(expected);
  });

  it.each([
    [0, "020100"],
    [2, "020102"],
    [127, "02017f"],
    [128, "02020080"],
    [256, "02020100"],
    [2 ** 32, "02050100000000"],
  ])("small integer %d is %s", (value, expected) => {
    expect(hex(smallInteger(value))).toBe(expected);
  });

  it("reads back as the same non-negative number, in the fewest octets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (magnitude) => {
        const der = unsignedInteger(magnitude);
        expect(der[0]).toBe(0x02);
        const contents = der.subarray(2);
        expect(der[1]).toBe(contents.length);
        expect(contents[0]! & 0x80).toBe(0); // never negative
        // X.690 §8.3.2: the first nine bits are not all zero (nor all one).
        if (contents.length > 1) expect(contents[0] === 0 && (contents[1]! & 0x80) === 0).toBe(false);
        const value = (u: Uint8Array): bigint => u.reduce((acc, b) => acc * 256n + BigInt(b), 0n);
        expect(value(contents)).toBe(value(magnitude));
      }),
    );
  });
});

describe("DER OBJECT IDENTIFIER (X.690 §8.19)", () => {
  it.each([
    ["1.2.840.10045.4.3.2", "06082a8648ce3d040302"], // ecdsa-with-SHA256, RFC 5758 §3.2
    ["1.2.840.10045.2.1", "06072a8648ce3d0201"], // id-ecPublicKey, RFC 5480 §2.1.1
    ["2.5.29.17", "0603551d11"], // subjectAltName
    ["2.5.4.3", "0603550403"], // commonName
    ["1.3.6.1.5.5.7.3.1", "06082b06010505070301"], // id-kp-serverAuth
    ["2.100.3", "0603813403"], // a first subidentifier above 127: 40 * 2 + 100 = 180 (X.690 §8.19.4)
    ["2.999.3", "0603883703"], // 40 * 2 + 999 = 1079
    ["0.0", "060100"],
    ["1.39", "06014f"],
  ])("%s is %s", (oid, expected) => {
    expect(hex(objectIdentifier(oid))).toBe(expected);
  });

  it.each(["1", "3.1", "1.40", "0.40", "1..2", "1.2.", "1.02", "a.b", "1.-2", ""])("refuses %j", (oid) => {
    expect(() => objectIdentifier(oid)).toThrow(RangeError);
  });
});

describe("DER times (X.690 §11.7, §11.8; RFC 5280 §4.1.2.5)", () => {
  it("UTCTime is YYMMDDHHMMSSZ, seconds always, milliseconds dropped", () => {
    expect(Buffer.from(utcTime(new Date("2026-03-04T05:06:07.890Z"))).toString("latin1")).toBe("\x17\x0d260304050607Z");
    expect(Buffer.from(utcTime(new Date("1950-01-01T00:00:00Z"))).toString("latin1")).toBe("\x17\x0d500101000000Z");
  });

  it("GeneralizedTime is YYYYMMDDHHMMSSZ without a fraction", () => {
    expect(Buffer.from(generalizedTime(new Date("2050-01-01T00:00:00.999Z"))).toString("latin1")).toBe(
      "\x18\x0f20500101000000Z",
    );
    expect(Buffer.from(generalizedTime(new Date("9999-12-31T23:59:59Z"))).toString("latin1")).toBe(
      "\x18\x0f99991231235959Z",
    );
  });

  it("a certificate's Time is UTCTime through 2049 and GeneralizedTime from 2050", () => {
    expect(certificateTime(new Date("2049-12-31T23:59:59Z"))[0]).toBe(0x17);
    expect(certificateTime(new Date("2050-01-01T00:00:00Z"))[0]).toBe(0x18);
    expect(certificateTime(new Date("1950-01-01T00:00:00Z"))[0]).toBe(0x17);
    expect(certificateTime(new Date("1949-12-31T23:59:59Z"))[0]).toBe(0x18);
  });

  it("UTCTime refuses years it cannot mean", () => {
    expect(() => utcTime(new Date("2050-01-01T00:00:00Z"))).toThrow(RangeError);
    expect(() => utcTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => generalizedTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("the other DER types", () => {
  it("BOOLEAN TRUE is 0xFF (X.690 §11.1)", () => {
    expect(hex(booleanValue(true))).toBe("0101ff");
    expect(hex(booleanValue(false))).toBe("010100");
  });

  it("BIT STRING starts with its unused-bit count (X.690 §8.6.2)", () => {
    expect(hex(bitString(bytes("80"), 7))).toBe("03020780");
    expect(hex(bitString(bytes("0a0b")))).toBe("0303000a0b");
    expect(hex(bitString(new Uint8Array(0)))).toBe("030100");
    expect(() => bitString(bytes("80"), 8)).toThrow(RangeError);
  });

  it("strings, tags and constructed types", () => {
    expect(hex(utf8String("hé"))).toBe("0c0368c3a9");
    expect(hex(explicitTag(0, smallInteger(2)))).toBe("a003020102");
    expect(hex(explicitTag(3, sequence()))).toBe("a3023000");
    expect(hex(implicitPrimitive(2, new TextEncoder().encode("a")))).toBe("820161");
    expect(hex(sequence(smallInteger(1), booleanValue(true)))).toBe("30060201010101ff");
  });

  it("SET OF sorts its elements' encodings (X.690 §11.6)", () => {
    expect(hex(setOf(smallInteger(2), smallInteger(1), octetString(bytes("00"))))).toBe("3109020101020102040100");
    expect(hex(setOf(octetString(bytes("0101")), octetString(bytes("01"))))).toBe("310704010104020101");
  });
});

describe("ECDSA signatures from P1363 to DER (RFC 3279 §2.2.3, RFC 5758 §3.2)", () => {
  const half = (first: string): string => first + "11".repeat(32 - first.length / 2);

  it("keeps 32-octet halves whose top bit is clear", () => {
    const r = half("7f");
    const s = half("01");
    expect(hex(ecdsaSignatureToDer(bytes(r + s))!)).toBe(`3044${"0220" + r}${"0220" + s}`);
  });

  it("puts 0x00 before a half whose top bit is set, and drops leading zeros", () => {
    const r = half("80");
    const s = "0000" + "22".repeat(30);
    expect(hex(ecdsaSignatureToDer(bytes(r + s))!)).toBe(`3043022100${r}021e${"22".repeat(30)}`);
  });

  it("an all-zero half is the INTEGER 0", () => {
    expect(hex(ecdsaSignatureToDer(new Uint8Array(64))!)).toBe("3006020100020100");
  });

  it("refuses a signature that has no two halves", () => {
    expect(ecdsaSignatureToDer(new Uint8Array(0))).toBeNull();
    expect(ecdsaSignatureToDer(new Uint8Array(63))).toBeNull();
  });

  it("what WebCrypto signs, converted, OpenSSL verifies as DER", async () => {
    const keys = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const publicKey = createPublicKey({
      key: Buffer.from(await webcrypto.subtle.exportKey("spki", keys.publicKey)),
      format: "der",
      type: "spki",
    });
    let sawPadding = false;
    for (let i = 0; i < 24; i++) {
      const data = new TextEncoder().encode(`message ${i}`);
      const raw = new Uint8Array(
        await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, data),
      );
      const der = ecdsaSignatureToDer(raw)!;
      const rLength = der[3]!;
      sawPadding ||= rLength === 33 || der[5 + rLength] === 33;
      expect(verify("sha256", data, { key: publicKey, dsaEncoding: "der" }, der)).toBe(true);
    }
    // Half of all r and s have the top bit set: 24 signatures without one padded INTEGER is 1 in 2^48.
    expect(sawPadding).toBe(true);
  });
});
