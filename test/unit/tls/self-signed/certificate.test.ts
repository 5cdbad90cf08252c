import { execFileSync, spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSelfSignedCertificate,
  DEFAULT_VALID_DAYS,
  type SelfSignedCertificate,
  type SelfSignedOptions,
  serialNumber,
} from "../../../../src/tls/self-signed/certificate.ts";

const OPENSSL = "/usr/bin/openssl";
const hasOpenssl = spawnSync(OPENSSL, ["version"]).status === 0;

async function create(options: SelfSignedOptions): Promise<SelfSignedCertificate> {
  const result = await createSelfSignedCertificate(options);
  if (result.kind !== "ok") throw new Error(result.message);
  return result.certificate;
}

/** The certificate and key written to a fresh folder, for openssl to read. */
function writePair(dir: string, name: string, certificate: SelfSignedCertificate): { cert: string; key: string } {
  const cert = path.join(dir, `${name}-cert.pem`);
  const key = path.join(dir, `${name}-key.pem`);
  writeFileSync(cert, certificate.certPem);
  writeFileSync(key, certificate.keyPem);
  return { cert, key };
}

const openssl = (...args: string[]): string => execFileSync(OPENSSL, args, { encoding: "utf8", timeout: 10_000 });

const HOSTS = ["localhost", "127.0.0.1", "::1", "sundial.test", "fe80::1:2"];

describe("createSelfSignedCertificate", () => {
  const now = new Date("2026-06-01T12:00:00.500Z");
  let certificate: SelfSignedCertificate;

  beforeAll(async () => {
    certificate = await create({ hosts: HOSTS, now });
  });

  it("writes PEM blocks of 64-character lines (RFC 7468 §2)", () => {
    for (const [pem, label] of [[certificate.certPem, "CERTIFICATE"], [certificate.keyPem, "PRIVATE KEY"]] as const) {
      const lines = pem.split("\n");
      expect(lines[0]).toBe(`-----BEGIN ${label}-----`);
      expect(lines.at(-2)).toBe(`-----END ${label}-----`);
      expect(lines.at(-1)).toBe("");
      const body = lines.slice(1, -2);
      expect(body.slice(0, -1).every((line) => line.length === 64)).toBe(true);
      expect(body.at(-1)!.length).toBeLessThanOrEqual(64);
      expect(body.join("")).toMatch(/^[A-Za-z0-9+/]+=*$/);
    }
  });

  it("is valid from an hour before now to the default days after, to the second", () => {
    expect(certificate.notBefore.toISOString()).toBe("2026-06-01T11:00:00.000Z");
    expect(certificate.notAfter.getTime()).toBe(Date.UTC(2026, 5, 1, 12) + DEFAULT_VALID_DAYS * 86_400_000);
  });

  it("reads back in Node's X509Certificate: names, CA flag, signature, fingerprint", () => {
    const x509 = new X509Certificate(certificate.certPem);
    expect(x509.subject).toBe("CN=sundial self-signed");
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.ca).toBe(false);
    expect(x509.subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:sundial.test, IP Address:FE80:0:0:0:0:0:1:2",
    );
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkHost("example.com")).toBeUndefined();
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkIP("::1")).toBe("::1");
    expect(x509.checkIP("10.0.0.1")).toBeUndefined();
    expect(x509.verify(x509.publicKey)).toBe(true);
    // X509_check_issued also asks for keyCertSign, which RFC 5280 §4.2.1.3 forbids without cA:
    // the certificate signs itself but issues nothing. Verifiers still take it as a trust anchor.
    expect(x509.checkIssued(x509)).toBe(false);
    expect(x509.fingerprint256).toBe(certificate.fingerprintSha256);
    expect(x509.fingerprint256).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(new Date(x509.validFrom).getTime()).toBe(certificate.notBefore.getTime());
    expect(new Date(x509.validTo).getTime()).toBe(certificate.notAfter.getTime());
    expect(x509.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // Node's keyUsage is the extended key usage
    expect(x509.checkPrivateKey(createPrivateKey(certificate.keyPem))).toBe(true);
  });

  it("makes a new key and serial every time", async () => {
    const other = await create({ hosts: HOSTS, now });
    expect(other.fingerprintSha256).not.toBe(certificate.fingerprintSha256);
    expect(other.keyPem).not.toBe(certificate.keyPem);
    expect(new X509Certificate(other.certPem).serialNumber).not.toBe(
      new X509Certificate(certificate.certPem).serialNumber,
    );
  });

  it("has a positive 16-octet serial number (RFC 5280 §4.1.2.2)", () => {
    expect(new X509Certificate(certificate.certPem).serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
  });

  it.each([
    [{ hosts: [] }, "a self-signed certificate needs at least one host"],
    [{ hosts: ["localhost", "not a host"] }, '"not a host" is neither an IP address nor a DNS host name'],
    [{ hosts: ["[::1]"] }, '"[::1]" is neither an IP address nor a DNS host name'],
    [{ hosts: ["localhost"], validDays: 0 }, "validDays must be a positive integer, not 0"],
    [{ hosts: ["localhost"], validDays: 1.5 }, "validDays must be a positive integer, not 1.5"],
    [{ hosts: ["localhost"], validDays: -3 }, "validDays must be a positive integer, not -3"],
    [{ hosts: ["localhost"], validDays: 3_000_000 }, "3000000 days from now is after the year 9999"],
    [{ hosts: ["localhost"], now: new Date(Number.NaN) }, "the current time is not a valid date"],
  ])("fails as a value: %j", async (options, message) => {
    expect(await createSelfSignedCertificate({ now, ...options })).toEqual({ kind: "failed", message });
  });
});

describe("serialNumber", () => {
  it("clears the top bit and never leaves the first octet zero", () => {
    expect([...serialNumber(Uint8Array.of(0xff, 0xff))]).toEqual([0x7f, 0xff]);
    expect([...serialNumber(Uint8Array.of(0x80, 0x00))]).toEqual([0x01, 0x00]);
    expect([...serialNumber(Uint8Array.of(0x00, 0x00))]).toEqual([0x01, 0x00]);
    expect([...serialNumber(Uint8Array.of(0x42, 0x01))]).toEqual([0x42, 0x01]);
  });
});

describe.skipIf(!hasOpenssl)(`openssl reads and verifies it (${OPENSSL} missing: apt-get install -y openssl)`, () => {
  let dir: string;
  let certificate: SelfSignedCertificate;
  let files: { cert: string; key: string };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sundial-self-signed-"));
    certificate = await create({ hosts: HOSTS, now: new Date() });
    files = writePair(dir, "now", certificate);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("x509 -text shows a v3 ECDSA certificate with the names and extensions", () => {
    const text = openssl("x509", "-in", files.cert, "-noout", "-text");
    expect(text).toContain("Version: 3 (0x2)");
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256[\s\S]*Signature Algorithm: ecdsa-with-SHA256/);
    expect(text).toContain("Issuer: CN = sundial self-signed");
    expect(text).toContain("Subject: CN = sundial self-signed");
    expect(text).toContain("NIST CURVE: P-256");
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: ?\s+TLS Web Server Authentication\n/);
    expect(text).toContain(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:sundial.test, IP Address:FE80:0:0:0:0:0:1:2",
    );
    const keyIds = [...text.matchAll(/X509v3 (?:Subject|Authority) Key Identifier: ?\s+(?:keyid:)?([0-9A-F:]{59})\n/g)]
      .map((m) => m[1]);
    expect(keyIds).toHaveLength(2);
    expect(keyIds[0]).toBe(keyIds[1]);
  });

  it("prints the same SHA-256 fingerprint", () => {
    const line = openssl("x509", "-in", files.cert, "-noout", "-fingerprint", "-sha256").trim();
    expect(line).toMatch(/^sha256 Fingerprint=/i); // "SHA256" before OpenSSL 3
    expect(line.slice(line.indexOf("=") + 1)).toBe(certificate.fingerprintSha256);
  });

  it.each([
    [["-CAfile"]],
    [["-x509_strict", "-CAfile"]],
    [["-partial_chain", "-trusted"]],
    [["-x509_strict", "-purpose", "sslserver", "-verify_hostname", "localhost", "-CAfile"]],
    [["-x509_strict", "-purpose", "sslserver", "-verify_ip", "::1", "-CAfile"]],
    [["-x509_strict", "-purpose", "sslserver", "-verify_ip", "127.0.0.1", "-CAfile"]],
  ])("verify %j accepts it as its own trust anchor", (flags) => {
    expect(openssl("verify", ...flags, files.cert, files.cert).trim()).toBe(`${files.cert}: OK`);
  });

  it("verify refuses a host and an address it does not name", () => {
    for (const flags of [["-verify_hostname", "example.com"], ["-verify_ip", "10.0.0.1"]]) {
      const run = spawnSync(OPENSSL, ["verify", ...flags, "-CAfile", files.cert, files.cert], { encoding: "utf8" });
      expect(run.status).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(/mismatch/);
    }
  });

  it("pkey reads the PKCS#8 key, and its public key is the certificate's", () => {
    expect(openssl("pkey", "-in", files.key, "-noout")).toBe("");
    expect(openssl("pkey", "-in", files.key, "-text", "-noout")).toContain("NIST CURVE: P-256");
    const fromKey = openssl("pkey", "-in", files.key, "-pubout");
    expect(openssl("x509", "-in", files.cert, "-noout", "-pubkey")).toBe(fromKey);
    expect(createPublicKey(certificate.keyPem).export({ type: "spki", format: "pem" })).toBe(fromKey);
  });

  it("writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)", async () => {
    const late = await create({ hosts: ["localhost"], now: new Date("2049-12-01T00:00:00Z"), validDays: 60 });
    const lateFiles = writePair(dir, "late", late);
    const parsed = openssl("asn1parse", "-in", lateFiles.cert);
    expect(parsed).toMatch(/UTCTIME\s+:491130230000Z/);
    expect(parsed).toMatch(/GENERALIZEDTIME\s+:20500130000000Z/);
    expect(openssl("x509", "-in", lateFiles.cert, "-noout", "-dates")).toBe(
      "notBefore=Nov 30 23:00:00 2049 GMT\nnotAfter=Jan 30 00:00:00 2050 GMT\n",
    );
  });

  it("reports an expired certificate as expired, so the validity is what openssl checks", async () => {
    const old = await create({ hosts: ["localhost"], now: new Date("2020-01-01T00:00:00Z"), validDays: 1 });
    const oldFiles = writePair(dir, "old", old);
    const run = spawnSync(OPENSSL, ["verify", "-CAfile", oldFiles.cert, oldFiles.cert], { encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain("certificate has expired");
  });
});
