import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIp } from "../../../src/proxy/ip-address.ts";
import {
  parseProxyHeader,
  PROXY_HEADER_MAX_BYTES,
  PROXY_V1_MAX_BYTES,
  PROXY_V2_MAX_BYTES,
  type ProxyHeaderResult,
} from "../../../src/proxy/proxy-protocol.ts";

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];
const u16 = (n: number): number[] => [n >> 8, n & 255];
const tlv = (type: number, value: number[]): number[] => [type, ...u16(value.length), ...value];

/** A version 2 header: signature, version/command, family, length, then the block. */
function v2(verCmd: number, family: number, block: number[], length = block.length): Uint8Array {
  return Uint8Array.from([...SIGNATURE, verCmd, family, ...u16(length), ...block]);
}

const HTTP = ascii("GET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n");

/** Every strict prefix is "incomplete"; the header alone and followed by HTTP bytes give the same result. */
function expectHeader(header: Uint8Array, source: { address: string; port: number } | null): void {
  for (let n = 0; n < header.length; n++) {
    expect(parseProxyHeader(header.subarray(0, n)), `prefix of ${n} bytes`).toEqual({ kind: "incomplete" });
  }
  const expected: ProxyHeaderResult = { kind: "header", consumed: header.length, source };
  expect(parseProxyHeader(header)).toEqual(expected);
  expect(parseProxyHeader(concat(header, HTTP))).toEqual(expected);
}

/** Feeds bytes one at a time, as a slow proxy or a fragmenting network would; the first answer that is not "incomplete". */
function feedByteByByte(bytes: Uint8Array): { result: ProxyHeaderResult; fed: number } {
  for (let n = 1; n <= bytes.length; n++) {
    const result = parseProxyHeader(bytes.slice(0, n));
    if (result.kind !== "incomplete") return { result, fed: n };
  }
  return { result: { kind: "incomplete" }, fed: bytes.length };
}

describe("PROXY protocol version 1 (§2.1)", () => {
  it("reads the specification's example before an HTTP request", () => {
    const line = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";
    expectHeader(ascii(line), { address: "192.168.0.1", port: 56324 });
    expect(feedByteByByte(concat(ascii(line), HTTP))).toEqual({
      result: { kind: "header", consumed: line.length, source: { address: "192.168.0.1", port: 56324 } },
      fed: line.length,
    });
  });

  it.each([
    ["PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", "255.255.255.255", 65535], // §2.1: 56 bytes
    ["PROXY TCP4 0.0.0.0 0.0.0.0 0 0\r\n", "0.0.0.0", 0],
    ["PROXY TCP6 2001:db8::1 2001:db8::2 4711 443\r\n", "2001:db8::1", 4711],
    ["PROXY TCP6 2001:DB8:0:0:0:0:0:1 ::1 1 2\r\n", "2001:db8::1", 1],
    ["PROXY TCP6 ::ffff:192.0.2.1 ::ffff:192.0.2.2 80 8080\r\n", "192.0.2.1", 80],
    [
      `PROXY TCP6 ${"ffff:".repeat(7)}ffff ${"ffff:".repeat(7)}ffff 65535 65535\r\n`,
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
      65535,
    ], // §2.1: 104 bytes
  ])("reads %j", (line, address, port) => {
    expectHeader(ascii(line), { address, port });
  });

  it.each([
    "PROXY UNKNOWN\r\n", // §2.1: 15 bytes
    `PROXY UNKNOWN ${"ffff:".repeat(7)}ffff ${"ffff:".repeat(7)}ffff 65535 65535\r\n`, // §2.1: the 107-byte worst case
    "PROXY UNKNOWN anything at all\r\n",
  ])("reads UNKNOWN without a source: %j", (line) => {
    expect(line.length).toBeLessThanOrEqual(PROXY_V1_MAX_BYTES);
    expectHeader(ascii(line), null);
  });

  it("holds a line to 107 bytes, CRLF included", () => {
    const a45 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
    const b44 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.25";
    const fits = `PROXY TCP6 ${a45} ${b44} 0 0\r\n`;
    expect(fits.length).toBe(107);
    expectHeader(ascii(fits), { address: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", port: 0 });
    expect(parseProxyHeader(ascii(`PROXY TCP6 ${a45} ${b44}5 0 0\r\n`)).kind).toBe("failed");
    // A prefix that could only end past 107 bytes is already invalid.
    expect(parseProxyHeader(ascii(`PROXY TCP6 ${a45} ${a45}`)).kind).toBe("failed");
    expect(parseProxyHeader(ascii(`PROXY TCP6 ${a45} ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2`)).kind).toBe(
      "incomplete",
    );
    const unknown = `PROXY UNKNOWN ${"x".repeat(91)}`;
    expect(unknown.length).toBe(105);
    expect(parseProxyHeader(ascii(unknown)).kind).toBe("incomplete");
    expect(parseProxyHeader(ascii(`${unknown}x`)).kind).toBe("failed");
    expect(parseProxyHeader(ascii(`${unknown}\r`)).kind).toBe("incomplete");
  });

  it.each([
    "GET / HTTP/1.1\r\n",
    "POST / HTTP/1.1\r\n",
    "PRI * HTTP/2.0\r\n",
    "proxy TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
    "PROXY  TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
    "PROXY TCP4  192.168.0.1 192.168.0.11 56324 443\r\n",
    "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 \r\n",
    "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\n",
    "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\rX",
    "PROXY TCP4 192.168.0.1 192.168.0.11 56324\r\n",
    "PROXY TCP4 192.168.0.1 192.168.0.11 056324 443\r\n",
    "PROXY TCP4 192.168.0.1 192.168.0.11 65536 443\r\n",
    "PROXY TCP4 192.168.0.1 192.168.0.11 -1 443\r\n",
    "PROXY TCP4 192.168.0.01 192.168.0.11 56324 443\r\n",
    "PROXY TCP4 192.168.0.1 192.168.0.256 56324 443\r\n",
    "PROXY TCP4 ::1 ::1 1 2\r\n",
    "PROXY TCP6 192.168.0.1 192.168.0.11 1 2\r\n",
    "PROXY TCP6 [::1] [::1] 1 2\r\n",
    "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",
    "PROXY TCP5 192.168.0.1 192.168.0.11 56324 443\r\n",
    "PROXY UDP4 192.168.0.1 192.168.0.11 56324 443\r\n",
    "PROXY TCP4\r\n",
    "PROXY UNKNOWNX\r\n",
    "PROXY\r\n",
    "PROXY \r\n",
    "PROXY UNKNOWN\n",
    `PROXY UNKNOWN ${"x".repeat(200)}\r\n`,
  ])("refuses %j", (text) => {
    const bytes = ascii(text);
    expect(parseProxyHeader(bytes).kind).toBe("failed");
    expect(feedByteByByte(bytes).result.kind).toBe("failed");
  });

  it("refuses as soon as the bytes cannot become a header", () => {
    const answers = (text: string) => feedByteByByte(ascii(text));
    expect(answers("GET / HTTP/1.1\r\n").fed).toBe(1);
    expect(answers("POST / HTTP/1.1\r\n").fed).toBe(2);
    expect(answers("PROXY TCP6 1::2::").fed).toBe("PROXY TCP6 1::2::".length);
    expect(answers("PROXY TCP4 256").fed).toBe("PROXY TCP4 256".length);
    expect(answers("PROXY TCP4 1.2.3.4 1.2.3.4 01").fed).toBe("PROXY TCP4 1.2.3.4 1.2.3.4 01".length);
    expect(answers("PROXY TCP4 1.2.3.4 1.2.3.4 65536").fed).toBe("PROXY TCP4 1.2.3.4 1.2.3.4 65536".length);
  });
});

describe("PROXY protocol version 2 (§2.2)", () => {
  it("reads a captured HAProxy header: PROXY, TCP over IPv4, 172.19.0.1:42578 to 172.19.0.3:80", () => {
    const header = Uint8Array.from([
      0x0d,
      0x0a,
      0x0d,
      0x0a,
      0x00,
      0x0d,
      0x0a,
      0x51,
      0x55,
      0x49,
      0x54,
      0x0a,
      0x21,
      0x11,
      0x00,
      0x0c,
      0xac,
      0x13,
      0x00,
      0x01,
      0xac,
      0x13,
      0x00,
      0x03,
      0xa6,
      0x52,
      0x00,
      0x50,
    ]);
    expectHeader(header, { address: "172.19.0.1", port: 42578 });
    expect(feedByteByByte(concat(header, HTTP)).fed).toBe(28);
  });

  it("reads TCP over IPv6 followed by TLVs (ALPN, authority, NOOP, SSL with sub-TLVs, CRC32c, a custom one)", () => {
    const src = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01];
    const dst = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02];
    const tlvs = [
      ...tlv(0x01, [...ascii("h2")]),
      ...tlv(0x02, [...ascii("example.com")]),
      ...tlv(0x04, []),
      ...tlv(0x20, [0x01, 0, 0, 0, 0, ...tlv(0x21, [...ascii("TLSv1.3")])]),
      ...tlv(0x03, [0, 0, 0, 0]),
      ...tlv(0xea, [0x01, ...ascii("vpce-0123456789abcdef")]),
    ];
    const header = v2(0x21, 0x21, [...src, ...dst, ...u16(4711), ...u16(443), ...tlvs]);
    expectHeader(header, { address: "2001:db8::1", port: 4711 });
  });

  it("shows an IPv4-mapped IPv6 source as IPv4", () => {
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1];
    expectHeader(v2(0x21, 0x21, [...mapped, ...mapped, ...u16(1), ...u16(2)]), { address: "192.0.2.1", port: 1 });
  });

  it("keeps the peer for LOCAL (health checks), AF_UNSPEC and AF_UNIX", () => {
    expectHeader(v2(0x20, 0x00, []), null);
    expectHeader(v2(0x20, 0x11, Array(12).fill(7)), null); // LOCAL skips whatever block it has
    expectHeader(v2(0x20, 0xff, [1, 2, 3]), null); // and ignores the family
    expectHeader(v2(0x21, 0x00, [9, 9]), null);
    expectHeader(v2(0x21, 0x31, [...Array(216).fill(0x2f), ...tlv(0x05, [1, 2, 3])]), null);
  });

  it.each([
    ["version 1 nibble", v2(0x11, 0x11, Array(12).fill(0)), "version"],
    ["command 2", v2(0x22, 0x11, Array(12).fill(0)), "command"],
    ["UDP over IPv4", v2(0x21, 0x12, Array(12).fill(0)), "datagram"],
    ["UDP over IPv6", v2(0x21, 0x22, Array(36).fill(0)), "datagram"],
    ["UNIX datagram", v2(0x21, 0x32, Array(216).fill(0)), "datagram"],
    ["family 4", v2(0x21, 0x41, Array(12).fill(0)), "family"],
    ["IPv4 with transport 3", v2(0x21, 0x13, Array(12).fill(0)), "family"],
    ["IPv4 with transport UNSPEC", v2(0x21, 0x10, Array(12).fill(0)), "family"],
    ["an IPv4 block of 11 bytes", v2(0x21, 0x11, Array(11).fill(0)), "shorter"],
    ["an IPv6 block of 12 bytes", v2(0x21, 0x21, Array(12).fill(0)), "shorter"],
    ["a TLV past the end", v2(0x21, 0x11, [...Array(12).fill(0), 0x01, 0x00, 0x05, 1, 2]), "TLV longer"],
    ["two stray bytes after the addresses", v2(0x21, 0x11, [...Array(12).fill(0), 0x04, 0x00]), "TLV shorter"],
    ["a length over the bound", v2(0x21, 0x11, Array(12).fill(0), 0xffff), "longer than"],
  ])("refuses %s", (_name, header, reason) => {
    const result = parseProxyHeader(header);
    expect(result.kind).toBe("failed");
    if (result.kind === "failed") expect(result.message).toContain(reason);
  });

  it("refuses early: a bad signature byte, command, family or length at the byte that shows it", () => {
    const wrong = Uint8Array.from([...SIGNATURE]);
    wrong[4] = 0x01;
    expect(feedByteByByte(wrong).fed).toBe(5);
    expect(feedByteByByte(v2(0x22, 0x11, [])).fed).toBe(13);
    expect(feedByteByByte(v2(0x21, 0x12, [])).fed).toBe(14);
    expect(feedByteByByte(v2(0x21, 0x11, [], PROXY_V2_MAX_BYTES)).fed).toBe(16);
    expect(feedByteByByte(v2(0x21, 0x11, [...Array(12).fill(0), 0x01, 0x07, 0xd0], 2000)).fed).toBe(31);
  });

  it(`accepts a header of exactly ${PROXY_V2_MAX_BYTES} bytes`, () => {
    const block = [...Array(12).fill(1), ...tlv(0x04, Array(PROXY_V2_MAX_BYTES - 16 - 12 - 3).fill(0))];
    const result = parseProxyHeader(v2(0x21, 0x11, block));
    expect(result).toEqual({ kind: "header", consumed: PROXY_V2_MAX_BYTES, source: { address: "1.1.1.1", port: 257 } });
    expect(PROXY_HEADER_MAX_BYTES).toBe(PROXY_V2_MAX_BYTES);
  });
});

describe("parseProxyHeader: properties", () => {
  const port = fc.integer({ min: 0, max: 65535 });
  const v1Line = fc.oneof(
    fc.tuple(fc.ipV4(), fc.ipV4(), port, port).map(([a, b, p, q]) => ({
      text: `PROXY TCP4 ${a} ${b} ${p} ${q}\r\n`,
      address: a,
      port: p,
    })),
    fc.tuple(fc.ipV6(), fc.ipV6(), port, port).map(([a, b, p, q]) => ({
      text: `PROXY TCP6 ${a} ${b} ${p} ${q}\r\n`,
      address: a,
      port: p,
    }))
      .filter((line) => line.text.length <= PROXY_V1_MAX_BYTES),
  );
  const v2Header = fc.tuple(
    fc.boolean(),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    port,
    fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 20 })), { maxLength: 4 }),
  )
    .map(([six, address, p, tlvs]) => {
      const block = six ? [...address, ...u16(p), ...u16(0)] : [...address.subarray(0, 8), ...u16(p), ...u16(0)];
      return v2(0x21, six ? 0x21 : 0x11, [...block, ...tlvs.flatMap(([t, v]) => tlv(t, [...v]))]);
    });

  it("reads every generated v1 line, and every strict prefix of it is incomplete", () => {
    fc.assert(
      fc.property(v1Line, ({ text, address, port: p }) => {
        const bytes = ascii(text);
        for (let n = 0; n < bytes.length; n++) {
          expect(parseProxyHeader(bytes.subarray(0, n)).kind, text.slice(0, n)).toBe("incomplete");
        }
        const result = parseProxyHeader(concat(bytes, HTTP));
        expect(result.kind).toBe("header");
        if (result.kind !== "header") return;
        expect(result.consumed).toBe(bytes.length);
        expect(parseIp(result.source!.address)).not.toBeNull();
        expect(result.source!.port).toBe(p);
        const given = parseIp(address)!;
        const shown = parseIp(result.source!.address)!;
        if (given.kind === shown.kind) expect(shown).toEqual(given);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads every generated v2 header, and every strict prefix of it is incomplete", () => {
    fc.assert(
      fc.property(v2Header, (header) => {
        for (let n = 0; n < header.length; n++) expect(parseProxyHeader(header.subarray(0, n)).kind).toBe("incomplete");
        const result = parseProxyHeader(concat(header, HTTP));
        expect(result.kind === "header" && result.consumed).toBe(header.length);
      }),
      { numRuns: 500 },
    );
  });

  /** Valid headers with a few bytes changed, cut or added: the inputs that reach deep into the parser. */
  const mutated = fc.tuple(
    fc.oneof(v1Line.map((l) => ascii(l.text)), v2Header),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
    fc.nat(),
  )
    .map(([bytes, edits, cut]) => {
      const out = Uint8Array.from(bytes);
      for (const [at, value] of edits) out[at % out.length] = value;
      return out.subarray(0, cut % (out.length + 1));
    });
  const anything = fc.oneof(
    mutated,
    fc.uint8Array({ maxLength: 200 }),
    fc.string({ maxLength: 120 }).map((s) => ascii(`PROXY ${s}`)),
  );

  it("never throws, and never answers 'header' for a strict prefix of what it reads", () => {
    fc.assert(
      fc.property(anything, fc.uint8Array({ maxLength: 40 }), (bytes, more) => {
        const result = parseProxyHeader(bytes);
        const extended = parseProxyHeader(concat(bytes, more));
        if (result.kind === "header") {
          expect(extended).toEqual(result);
          for (let n = 0; n < result.consumed; n++) {
            expect(parseProxyHeader(bytes.subarray(0, n)).kind).toBe("incomplete");
          }
        }
        if (result.kind === "failed") expect(extended.kind).toBe("failed");
        if (extended.kind === "header" && extended.consumed <= bytes.length) expect(result).toEqual(extended);
      }),
      { numRuns: 3000 },
    );
  });

  it("stays within the bound: never incomplete past PROXY_HEADER_MAX_BYTES", () => {
    fc.assert(
      fc.property(
        anything,
        fc.uint8Array({ minLength: PROXY_HEADER_MAX_BYTES, maxLength: PROXY_HEADER_MAX_BYTES }),
        (bytes, filler) => {
          expect(parseProxyHeader(concat(bytes, filler)).kind).not.toBe("incomplete");
        },
      ),
      { numRuns: 300 },
    );
  });
});
