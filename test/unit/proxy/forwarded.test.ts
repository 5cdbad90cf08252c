import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORWARDED_MAX_CHARS, FORWARDED_MAX_HOPS, forwardedView } from "../../../src/proxy/forwarded.ts";
import { parseIp } from "../../../src/proxy/ip-address.ts";
import { parseTrustList, type TrustList } from "../../../src/proxy/trust-list.ts";

function list(text: string): TrustList {
  const result = parseTrustList(text);
  if (result.kind !== "ok") throw new Error(result.message);
  return result.list;
}

type Headers = [string, string][];
const LOCAL = list("127.0.0.1");
/** The client address the view gives, with the peer 127.0.0.1 trusted alone unless told. */
const client = (headers: Headers, trust = LOCAL, peer = "127.0.0.1"): string | undefined =>
  forwardedView(peer, headers, trust)?.client;

describe("forwardedView: when nothing changes", () => {
  it("is null for an untrusted peer, whatever it sends", () => {
    expect(forwardedView("203.0.113.50", [["x-forwarded-for", "203.0.113.9"]], LOCAL)).toBeNull();
    expect(forwardedView("203.0.113.50", [["forwarded", "for=203.0.113.9;proto=https"]], LOCAL)).toBeNull();
    expect(forwardedView("", [["x-real-ip", "203.0.113.9"]], LOCAL)).toBeNull();
  });

  it("is null for a trusted peer that sends none of the fields", () => {
    expect(forwardedView("127.0.0.1", [["host", "example.com"], ["x-forwarded-server", "a"]], LOCAL)).toBeNull();
  });

  it("keeps the peer, normalized, when the fields hold no usable address", () => {
    const view = forwardedView("::ffff:127.0.0.1", [["x-forwarded-for", "not an address"]], LOCAL);
    expect(view).toEqual({ client: "127.0.0.1", scheme: null, host: null, prefix: null });
  });
});

describe("forwardedView: the right-most untrusted hop (X-Forwarded-For)", () => {
  it("does not let a client spoof its address through a trusted proxy", () => {
    // The client sent "X-Forwarded-For: 203.0.113.9"; the proxy at 127.0.0.1 appended the real 198.51.100.7.
    const headers: Headers = [["x-forwarded-for", "203.0.113.9, 198.51.100.7"]];
    expect(client(headers)).toBe("198.51.100.7");
    expect(client(headers, list("127.0.0.1, 198.51.100.0/24"))).toBe("203.0.113.9");
  });

  it("joins the field's lines in order (RFC 9110 §5.3)", () => {
    expect(client([["x-forwarded-for", "203.0.113.9"], ["accept", "*/*"], ["x-forwarded-for", "198.51.100.7"]]))
      .toBe("198.51.100.7");
  });

  it("skips every trusted hop and, when all are trusted, takes the left-most", () => {
    const trust = list("loopback, private");
    expect(client([["x-forwarded-for", "203.0.113.9, 10.0.0.2, 192.168.1.1"]], trust)).toBe("203.0.113.9");
    expect(client([["x-forwarded-for", "10.0.0.1, 10.0.0.2"]], trust)).toBe("10.0.0.1");
  });

  it.each([
    ["203.0.113.9:4711", "203.0.113.9"],
    ["[2001:db8::1]:80", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    [" , 203.0.113.9 ,, ", "203.0.113.9"],
  ])("reads the hop %j as %s", (value, expected) => {
    expect(client([["x-forwarded-for", value]])).toBe(expected);
  });

  it("stops at an unknown hop and keeps the last trusted address", () => {
    expect(client([["x-forwarded-for", "203.0.113.9, unknown"]])).toBe("127.0.0.1");
    expect(client([["x-forwarded-for", "203.0.113.9, unknown, 10.0.0.5"]], list("127.0.0.1, 10.0.0.0/8"))).toBe(
      "10.0.0.5",
    );
  });

  it.each([
    "203.0.113.9, not-an-ip",
    "010.0.0.1",
    "203.0.113.9:99999",
    "[203.0.113.9]",
    "2001:db8::1]:80",
    "_hidden",
    "203.0.113.9 198.51.100.7",
  ])(
    "ignores the whole field when a hop is malformed: %j",
    (value) => {
      expect(client([["x-forwarded-for", value]])).toBe("127.0.0.1");
      expect(client([["x-forwarded-for", value], ["x-real-ip", "198.51.100.7"]])).toBe("198.51.100.7");
    },
  );
});

describe("forwardedView: Forwarded (RFC 7239)", () => {
  it.each([
    // §4 examples
    ['for="_gazonk"', "127.0.0.1"],
    ['For="[2001:db8:cafe::17]:4711"', "2001:db8:cafe::17"],
    ["for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60"],
    ["for=192.0.2.43, for=198.51.100.17", "198.51.100.17"],
    // §7.1: one list in several forms
    ['for=192.0.2.43,for="[2001:db8:cafe::17]",for=unknown', "127.0.0.1"],
    ['for=192.0.2.43, for="[2001:db8:cafe::17]"', "2001:db8:cafe::17"],
    // §6.2, §6.3
    ["for=unknown", "127.0.0.1"],
    ['for="_hidden", for="_SEVKISEK"', "127.0.0.1"],
    ['for="192.0.2.43:80"', "192.0.2.43"],
    ['for="192.0.2.43:_port"', "192.0.2.43"],
    ['for="[::ffff:192.0.2.43]"', "192.0.2.43"],
    ["FOR=192.0.2.43 ; PROTO=https", "192.0.2.43"],
    ["for=192.0.2.43;ext=value;by=_proxy", "192.0.2.43"],
    ['for="\\_h\\i\\d"', "127.0.0.1"],
    [",, for=192.0.2.43 ,", "192.0.2.43"],
  ])("%s gives %s", (value, expected) => {
    expect(client([["forwarded", value]])).toBe(expected);
  });

  it("reads an RFC 7239 §7.1 list split over field lines, and walks it like X-Forwarded-For (§7.4)", () => {
    const split: Headers = [["forwarded", "for=192.0.2.43"], ["forwarded", 'for="[2001:db8:cafe::17]", for=unknown']];
    expect(client(split)).toBe("127.0.0.1");
    const trust = list("127.0.0.1, 2001:db8:cafe::/48");
    expect(client([["forwarded", 'for=192.0.2.43, for="[2001:db8:cafe::17]"']], trust)).toBe("192.0.2.43");
    expect(client([["x-forwarded-for", "192.0.2.43, 2001:db8:cafe::17"]], trust)).toBe("192.0.2.43");
  });

  it("treats an element without for= as an unknown hop", () => {
    expect(client([["forwarded", "for=192.0.2.43, proto=https"]])).toBe("127.0.0.1");
    expect(client([["forwarded", "for=192.0.2.43, ;;"]])).toBe("127.0.0.1");
  });

  it("comes after X-Forwarded-For (which nginx, HAProxy and Caddy append to, so a client's own Forwarded is never read) and before X-Real-IP", () => {
    const headers: Headers = [["x-forwarded-for", "198.51.100.7"], ["x-real-ip", "198.51.100.8"], [
      "forwarded",
      "for=192.0.2.43",
    ]];
    expect(client(headers)).toBe("198.51.100.7");
    expect(client([["x-real-ip", "198.51.100.8"], ["forwarded", "for=192.0.2.43"]])).toBe("192.0.2.43");
  });

  it.each([
    'for="192.0.2.43',
    "for=192.0.2.43:80",
    "for=[2001:db8::1]",
    'for="2001:db8::1"',
    'for="[192.0.2.43]"',
    "for=192.0.2.43;for=192.0.2.44",
    "for=192.0.2.43 by=192.0.2.44",
    "for=",
    "=192.0.2.43",
    "for=192.0.2.256",
    'for="_"',
    'for="_a b"',
    'for="192.0.2.43:123456"',
    "for=localhost",
    'for="\\',
  ])("ignores a malformed field and reads the next source: %j", (value) => {
    expect(client([["forwarded", value], ["x-forwarded-for", "198.51.100.7"]])).toBe("198.51.100.7");
  });
});

describe("forwardedView: X-Real-IP", () => {
  it("reads one address", () => {
    expect(client([["x-real-ip", " 198.51.100.7 "]])).toBe("198.51.100.7");
    expect(client([["x-real-ip", "2001:db8::7"]])).toBe("2001:db8::7");
  });

  it("is ignored when sent twice, as a list or malformed", () => {
    expect(client([["x-real-ip", "198.51.100.7"], ["x-real-ip", "198.51.100.8"]])).toBe("127.0.0.1");
    expect(client([["x-real-ip", "198.51.100.7, 198.51.100.8"]])).toBe("127.0.0.1");
    expect(client([["x-real-ip", "unknown"]])).toBe("127.0.0.1");
  });
});

describe("forwardedView: scheme, host and prefix", () => {
  const view = (headers: Headers) => forwardedView("127.0.0.1", headers, LOCAL);

  it("takes the right-most proto, X-Forwarded-Proto first", () => {
    expect(view([["forwarded", "for=192.0.2.1;proto=https, for=192.0.2.2;proto=http"]])?.scheme).toBe("http");
    expect(view([["forwarded", 'for=192.0.2.1;proto="HTTPS", for=192.0.2.2']])?.scheme).toBe("https");
    expect(view([["forwarded", "for=192.0.2.1"], ["x-forwarded-proto", "https"]])?.scheme).toBe("https");
    expect(view([["forwarded", "for=192.0.2.1;proto=http"], ["x-forwarded-proto", "https"]])?.scheme).toBe("https");
    expect(view([["x-forwarded-proto", "http, HTTPS"]])?.scheme).toBe("https");
    expect(view([["x-forwarded-proto", "https, "]])?.scheme).toBe("https");
  });

  it.each(["ftp", "ws", "https:", "", " , "])("refuses the scheme %j", (value) => {
    expect(view([["x-forwarded-proto", value]])?.scheme).toBeNull();
  });

  it("takes the right-most host, X-Forwarded-Host first", () => {
    expect(view([["forwarded", 'for=192.0.2.1;host="example.com:8080"']])?.host).toBe("example.com:8080");
    expect(view([["forwarded", "for=192.0.2.1;host=a.example"], ["x-forwarded-host", "b.example"]])?.host).toBe(
      "b.example",
    );
    expect(view([["x-forwarded-host", "evil.example, example.com"]])?.host).toBe("example.com");
  });

  it.each([
    "example.com",
    "EXAMPLE.com:443",
    "192.0.2.1",
    "[2001:db8::1]:8080",
    "[::1]",
    "xn--bcher-kva.example",
    "a%41b.example",
  ])(
    "accepts the host %j (RFC 9110 §7.2)",
    (value) => expect(view([["x-forwarded-host", value]])?.host).toBe(value),
  );

  it.each([
    "exa mple.com",
    "[::1",
    "[192.0.2.1]",
    "[v1.x]",
    "example.com:99999",
    "example.com:",
    ":80",
    "a@b.example",
    "example.com/path",
    "%zz",
    "bücher.example",
    "a:1:2",
  ])(
    "refuses the host %j",
    (value) => expect(view([["x-forwarded-host", value]])?.host).toBeNull(),
  );

  it.each([
    ["/app", "/app"],
    ["/app/", "/app"],
    ["/", ""],
    ["/a/b-c/d_e~f", "/a/b-c/d_e~f"],
    ["/first, /second", "/second"],
    ["/%C3%A9t%C3%A9", "/%C3%A9t%C3%A9"],
  ])("accepts the prefix %j as %j", (value, expected) => {
    expect(view([["x-forwarded-prefix", value]])?.prefix).toBe(expected);
  });

  it.each([
    "app",
    "",
    "//",
    "/a//b",
    "/a/../b",
    "/..",
    "/a/./b",
    "/a/%2e%2E/b",
    "/.%2e",
    "/a?x",
    "/a#x",
    "/a b",
    "/a\tb",
    "/%zz",
    "/\u00e9",
    "/a\u0001",
  ])(
    "refuses the prefix %j",
    (value) => expect(view([["x-forwarded-prefix", value]])?.prefix).toBeNull(),
  );
});

describe("forwardedView: bounds and hostile input", () => {
  it(`reads ${FORWARDED_MAX_HOPS} hops and ignores a field with more`, () => {
    const hops = (n: number): string => Array.from({ length: n }, (_, i) => `198.51.100.${i % 250}`).join(", ");
    const all = list("127.0.0.1, 198.51.100.0/24");
    expect(client([["x-forwarded-for", `203.0.113.9, ${hops(FORWARDED_MAX_HOPS - 1)}`]], all)).toBe("203.0.113.9");
    expect(client([["x-forwarded-for", `203.0.113.9, ${hops(FORWARDED_MAX_HOPS)}`]], all)).toBe("127.0.0.1");
    const elements = Array.from({ length: FORWARDED_MAX_HOPS + 1 }, () => "for=198.51.100.1").join(",");
    expect(client([["forwarded", elements], ["x-forwarded-for", "203.0.113.9"]], all)).toBe("203.0.113.9");
  });

  it(`ignores a field longer than ${FORWARDED_MAX_CHARS} characters, lines joined`, () => {
    const padded = `203.0.113.9${" ".repeat(FORWARDED_MAX_CHARS - 11)}`;
    expect(client([["x-forwarded-for", padded]])).toBe("203.0.113.9");
    expect(client([["x-forwarded-for", `${padded} `]])).toBe("127.0.0.1");
    const half = " ".repeat(FORWARDED_MAX_CHARS / 2);
    expect(client([["x-forwarded-for", half], ["x-forwarded-for", `${half}203.0.113.9`]])).toBe("127.0.0.1");
  });

  it("takes linear time on hostile fields", () => {
    const hostile: Headers = [
      ["forwarded", `for="${"\\a".repeat(4000)}`],
      ["x-forwarded-for", ",".repeat(8000)],
      ["x-forwarded-host", `${"a".repeat(8000)}:`],
      ["x-forwarded-prefix", "/a".repeat(4000)],
      ["x-forwarded-proto", ", ".repeat(4000)],
    ];
    const started = performance.now();
    for (let i = 0; i < 200; i++) forwardedView("127.0.0.1", hostile, LOCAL);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  const names = fc.constantFrom(
    "forwarded",
    "x-forwarded-for",
    "x-real-ip",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-prefix",
    "host",
  );
  const pieces = fc.constantFrom(
    "for=",
    "proto=",
    "host=",
    '"',
    "\\",
    ";",
    ",",
    " ",
    "[",
    "]",
    ":",
    "_",
    "unknown",
    "127.0.0.1",
    "::1",
    "10.0.0.1",
    "2001:db8::1",
    "/",
    "..",
    "%2e",
    "http",
    "https",
    "example.com",
    "=",
  );
  const value = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.array(pieces, { maxLength: 12 }).map((p) => p.join("")),
  );
  const headers = fc.array(fc.tuple(names, value), { maxLength: 6 });

  it("never throws, and only ever gives an address as the client", () => {
    const trust = list("127.0.0.1, 10.0.0.0/8, ::1");
    fc.assert(
      fc.property(
        fc.constantFrom("127.0.0.1", "::1", "10.0.0.1", "203.0.113.1", "fe80::1%eth0"),
        headers,
        (peer, fields) => {
          const view = forwardedView(peer, fields, trust);
          if (view === null) return;
          expect(parseIp(view.client), view.client).not.toBeNull();
          expect([null, "http", "https"]).toContain(view.scheme);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("gives the proxy's own hop whatever chain the client sent before it", () => {
    const trust = list("127.0.0.1, 10.0.0.0/8");
    const untrusted = fc.ipV4().filter((a) => !a.startsWith("10.") && a !== "127.0.0.1");
    const proxies = fc.array(fc.ipV4().map((a) => `10.${a.split(".").slice(1).join(".")}`), { maxLength: 3 });
    const spoofed = fc.array(fc.oneof(fc.ipV4(), fc.constant("unknown"), fc.constant("10.0.0.1")), { maxLength: 5 });
    fc.assert(fc.property(spoofed, untrusted, proxies, (chain, real, hops) => {
      expect(client([["x-forwarded-for", [...chain, real, ...hops].join(", ")]], trust)).toBe(real);
    }));
  });
});
