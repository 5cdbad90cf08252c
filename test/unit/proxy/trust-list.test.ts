import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTrusted, parseIp, parseTrustList, type TrustList } from "../../../src/proxy/trust-list.ts";

function list(text: string): TrustList {
  const result = parseTrustList(text);
  if (result.kind !== "ok") throw new Error(`${text}: ${result.message}`);
  return result.list;
}

describe("parseTrustList", () => {
  it.each([
    ["127.0.0.1", ["127.0.0.1/32"]],
    ["10.0.0.0/8, ::1", ["10.0.0.0/8", "::1/128"]],
    ["  192.168.1.0/24 ,\tfd00::/8  ", ["192.168.1.0/24", "fd00::/8"]],
    ["loopback", ["127.0.0.0/8", "::1/128"]],
    ["PRIVATE", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]],
    ["::ffff:10.0.0.0/104", ["10.0.0.0/8"]],
    ["::ffff:192.0.2.1", ["192.0.2.1/32"]],
    ["10.1.2.3/8", ["10.0.0.0/8"]], // host bits are masked off, as nginx does
    ["2001:db8::1/32", ["2001:db8::/32"]],
    ["128.0.0.0/1, 8000::/1", ["128.0.0.0/1", "8000::/1"]],
  ])("reads %j", (text, entries) => {
    expect(list(text).entries).toEqual(entries);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["127.0.0.1,", "empty entry"],
    [",::1", "empty entry"],
    ["10.0.0.1,,10.0.0.2", "empty entry"],
    ["*", "every address"],
    ["all", "every address"],
    ["ALL", "every address"],
    ["0.0.0.0/0", "every address"],
    ["::/0", "every address"],
    ["::ffff:0.0.0.0/96", "every address"],
    ["10.0.0.0/33", "from 1 to 32"],
    ["::/129", "from 1 to 128"],
    ["10.0.0.0/08", "prefix length"],
    ["10.0.0.0/-1", "prefix length"],
    ["10.0.0.0/", "prefix length"],
    ["10.0.0.0/8/8", "prefix length"],
    ["10.0.0.0 /8", "not an IPv4 or IPv6"],
    ["localhost", "not an IPv4 or IPv6"],
    ["constructor", "not an IPv4 or IPv6"],
    ["__proto__", "not an IPv4 or IPv6"],
    ["010.0.0.1", "not an IPv4 or IPv6"],
    ["fe80::1%eth0", "zone ids"],
  ])("refuses %j with a message naming the entry", (text, words) => {
    const result = parseTrustList(text);
    expect(result.kind).toBe("failed");
    if (result.kind !== "failed") return;
    expect(result.message).toContain(words);
    const entry = text.split(",").map((e) => e.trim()).find((e) =>
      e !== "" && !/^(127\.0\.0\.1|::1|10\.0\.0\.[12])$/.test(e)
    );
    if (entry !== undefined) expect(result.message).toContain(entry);
  });

  it("never throws", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
      const result = parseTrustList(text);
      expect(["ok", "failed"]).toContain(result.kind);
    }));
  });
});

describe("isTrusted", () => {
  const loopback = list("loopback");
  const privates = list("private");

  it.each([
    "127.0.0.1",
    "127.255.255.255",
    "127.1.2.3",
    "::1",
    "0:0:0:0:0:0:0:1",
    "::0001",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
  ])(
    "loopback holds %s",
    (address) => expect(isTrusted(loopback, address)).toBe(true),
  );

  it.each([
    "128.0.0.1",
    "126.255.255.255",
    "::2",
    "::",
    "::ffff:128.0.0.1",
    "::127.0.0.1",
    "",
    "localhost",
    "/tmp/sock",
  ])(
    "loopback does not hold %j",
    (address) => expect(isTrusted(loopback, address)).toBe(false),
  );

  it.each([
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.0.1",
    "fc00::1",
    "fd12:3456::1",
    "FD00::1",
    "::ffff:a00:1",
  ])(
    "private holds %s",
    (address) => expect(isTrusted(privates, address)).toBe(true),
  );

  it.each(["11.0.0.1", "172.15.255.255", "172.32.0.1", "192.169.0.1", "fe00::1", "fe80::1", "127.0.0.1", "::1"])(
    "private does not hold %s",
    (address) => expect(isTrusted(privates, address)).toBe(false),
  );

  it("compares prefixes to the bit, across IPv6 word boundaries", () => {
    const half = list("128.0.0.0/1");
    expect(isTrusted(half, "255.255.255.255")).toBe(true);
    expect(isTrusted(half, "128.0.0.0")).toBe(true);
    expect(isTrusted(half, "127.255.255.255")).toBe(false);
    const trust = list("192.0.2.0/31, 2001:db8::/127, 2001:db8:8000::/33, 2001:db8:0:0:1::/80");
    expect(isTrusted(trust, "192.0.2.1")).toBe(true);
    expect(isTrusted(trust, "192.0.2.2")).toBe(false);
    expect(isTrusted(trust, "2001:db8::1")).toBe(true);
    expect(isTrusted(trust, "2001:db8::2")).toBe(false);
    expect(isTrusted(trust, "2001:db8:ffff::")).toBe(true);
    expect(isTrusted(trust, "2001:db8:7fff::")).toBe(false);
    expect(isTrusted(trust, "2001:db8:0:0:1:0:0:ffff")).toBe(true);
    expect(isTrusted(trust, "2001:db8:0:0:1:ffff:ffff:ffff")).toBe(true);
    expect(isTrusted(trust, "2001:db8:0:0:2::")).toBe(false);
  });

  it("drops a zone id from link-local addresses", () => {
    const trust = list("fe80::/10");
    expect(isTrusted(trust, "fe80::1%eth0")).toBe(true);
    expect(isTrusted(trust, "fe80::1%25")).toBe(true);
    expect(isTrusted(trust, "fe80::1%")).toBe(false);
    expect(isTrusted(list("10.0.0.0/8"), "10.0.0.1%eth0")).toBe(false);
    expect(isTrusted(list("10.0.0.0/8"), "::ffff:10.0.0.1%eth0")).toBe(false);
  });

  it("matches IPv4-mapped peers against IPv4 entries and mapped entries, not against wider IPv6 ones", () => {
    expect(isTrusted(list("10.0.0.0/8"), "::ffff:10.1.2.3")).toBe(true);
    expect(isTrusted(list("::ffff:10.0.0.0/104"), "10.1.2.3")).toBe(true);
    expect(isTrusted(list("::ffff:10.0.0.0/104"), "::ffff:10.1.2.3")).toBe(true);
    expect(isTrusted(list("::/8"), "::ffff:10.1.2.3")).toBe(false);
    expect(isTrusted(list("::/8"), "::1")).toBe(true);
  });

  it("agrees with a bit-by-bit comparison (IPv4 and IPv6 blocks of every length)", () => {
    const bits = (text: string): string => {
      const ip = parseIp(text)!;
      const words = ip.kind === "v4" ? [ip.value] : [...ip.words];
      return words.map((w) => w.toString(2).padStart(32, "0")).join("");
    };
    const mapped = (text: string): boolean => {
      const ip = parseIp(text)!;
      return ip.kind === "v6" && ip.words[0] === 0 && ip.words[1] === 0 && ip.words[2] === 0xffff;
    };
    const v4Case = fc.tuple(fc.ipV4(), fc.ipV4(), fc.integer({ min: 1, max: 32 }));
    const v6Case = fc.tuple(fc.ipV6(), fc.ipV6(), fc.integer({ min: 1, max: 128 })).filter(([a, b]) =>
      !mapped(a) && !mapped(b)
    );
    fc.assert(
      fc.property(fc.oneof(v4Case, v6Case), ([network, address, prefix]) => {
        const trust = list(`${network}/${prefix}`);
        expect(isTrusted(trust, network)).toBe(true);
        const same = bits(network).slice(0, prefix) === bits(address).slice(0, prefix);
        expect(isTrusted(trust, address)).toBe(same);
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws, on any address or a hand-made table", () => {
    const odd: TrustList = { entries: [], v4: new Uint32Array(3), v6: new Uint32Array(9) };
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 64 }), (address) => {
      isTrusted(loopback, address);
      isTrusted(odd, address);
    }));
  });
});
