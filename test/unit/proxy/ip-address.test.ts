import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIp, normalizeIp, parseIp } from "../../../src/proxy/ip-address.ts";

const v4 = (a: number, b: number, c: number, d: number): number => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

describe("parseIp", () => {
  it.each([
    ["0.0.0.0", 0],
    ["255.255.255.255", 0xffffffff],
    ["192.0.2.1", v4(192, 0, 2, 1)],
    ["10.0.0.10", v4(10, 0, 0, 10)],
  ])("reads dotted-decimal IPv4 %s", (text, value) => {
    expect(parseIp(text)).toEqual({ kind: "v4", value });
  });

  it.each([
    ["::", [0, 0, 0, 0]],
    ["::1", [0, 0, 0, 1]],
    ["1::", [0x10000, 0, 0, 0]],
    ["2001:db8::1", [0x20010db8, 0, 0, 1]],
    ["2001:DB8:0:0:0:0:0:1", [0x20010db8, 0, 0, 1]],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", [0x20010db8, 0, 0, 1]],
    ["1:2:3:4:5:6:7:8", [0x10002, 0x30004, 0x50006, 0x70008]],
    ["1:2:3:4:5:6:7::", [0x10002, 0x30004, 0x50006, 0x70000]],
    ["::2:3:4:5:6:7:8", [0x2, 0x30004, 0x50006, 0x70008]],
    ["::ffff:1.2.3.4", [0, 0, 0xffff, 0x01020304]],
    ["::ffff:0102:0304", [0, 0, 0xffff, 0x01020304]],
    ["64:ff9b::192.0.2.33", [0x0064ff9b, 0, 0, 0xc0000221]],
    ["1:2:3:4:5:6:1.2.3.4", [0x10002, 0x30004, 0x50006, 0x01020304]],
    ["fe80::1", [0xfe800000, 0, 0, 1]],
  ])("reads IPv6 %s (RFC 4291 §2.2)", (text, words) => {
    expect(parseIp(text)).toEqual({ kind: "v6", words });
  });

  it.each([
    "",
    "1",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",
    "1.2.3.04",
    "256.1.1.1",
    "1.2.3.4 ",
    " 1.2.3.4",
    "1..2.3",
    "1.2.3.",
    ".1.2.3",
    "1.2.3.4:80",
    "0x1.2.3.4",
    ":",
    ":::",
    "1:::2",
    "1::2::3",
    "12345::",
    ":1::",
    "1::2:",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "::1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8::",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::ffff:1.2.3",
    "::ffff:1.2.3.256",
    "::1.2.3.04",
    "g::",
    "fe80::1%eth0",
    "[::1]",
    "::1 ",
    "1.2.3.4::",
    "::ffff:1a.2.3.4",
    "::1234.1.1.1",
    "localhost",
  ])("refuses %j", (text) => {
    expect(parseIp(text)).toBeNull();
  });

  it("agrees with node:net's isIP on addresses, near-addresses and noise", () => {
    const alphabet = fc.constantFrom(..."0123456789abcdefABCDEF:.".split(""));
    const noise = fc.array(alphabet, { maxLength: 46 }).map((chars) => chars.join(""));
    const mutated = fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.nat(), alphabet, fc.boolean()).map(
      ([text, at, char, insert]) => {
        const i = at % (text.length + 1);
        return insert ? text.slice(0, i) + char + text.slice(i) : text.slice(0, i) + text.slice(i + 1);
      },
    );
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), noise, mutated), (text) => {
        const ip = parseIp(text);
        expect(ip === null ? 0 : ip.kind === "v4" ? 4 : 6, text).toBe(isIP(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("never throws", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 64 }), (text) => {
      parseIp(text);
    }));
  });
});

describe("formatIp (RFC 5952 §4)", () => {
  it.each([
    ["2001:0db8::0001", "2001:db8::1"], // §4.1 leading zeros
    ["2001:db8:0:0:0:0:2:1", "2001:db8::2:1"], // §4.2.1 as short as possible
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // §4.2.2 not for one group
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"], // §4.2.3 the longest run
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // §4.2.3 the first of equal runs
    ["ABCD:EF01::", "abcd:ef01::"], // §4.3 lower case
    ["0:0:0:0:0:0:0:0", "::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["1:0:0:0:0:0:0:0", "1::"],
    ["::ffff:192.0.2.1", "192.0.2.1"], // mapped: shown as IPv4, as the core shows peers
    ["::ffff:c000:0201", "192.0.2.1"],
    ["::192.0.2.1", "::c000:201"], // IPv4-compatible (deprecated) is not mapped
    ["192.0.2.1", "192.0.2.1"],
  ])("%s is written %s", (text, expected) => {
    const ip = parseIp(text);
    expect(ip).not.toBeNull();
    expect(formatIp(ip!)).toBe(expected);
    expect(normalizeIp(text)).toBe(expected);
  });

  it("writes an address that reads back as the same address", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const ip = parseIp(text)!;
        const written = formatIp(ip);
        const again = parseIp(written)!;
        expect(formatIp(again)).toBe(written);
        if (again.kind === ip.kind) expect(again).toEqual(ip);
        else expect(ip.kind === "v6" && ip.words.slice(0, 3)).toEqual([0, 0, 0xffff]);
        expect(written).toBe(written.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });
});
