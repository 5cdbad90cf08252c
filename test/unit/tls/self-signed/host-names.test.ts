import { describe, expect, it } from "vitest";
import { isHostName, readHosts } from "../../../../src/tls/self-signed/host-names.ts";

const octets = (host: string): number[] => {
  const result = readHosts([host]);
  if (result.kind !== "ok" || result.names[0]?.kind !== "ip") throw new Error(`${host} is not an address`);
  return [...result.names[0].octets];
};

describe("the hosts a self-signed certificate names", () => {
  it("reads IPv4 literals as 4 octets", () => {
    expect(octets("127.0.0.1")).toEqual([127, 0, 0, 1]);
    expect(octets("192.168.10.254")).toEqual([192, 168, 10, 254]);
  });

  it("reads IPv6 literals as 16 octets, '::' compression and a dotted tail included", () => {
    expect(octets("::1")).toEqual([...Array(15).fill(0), 1]);
    expect(octets("::")).toEqual(Array(16).fill(0));
    expect(octets("fe80::1:2")).toEqual([0xfe, 0x80, ...Array(10).fill(0), 0, 1, 0, 2]);
    expect(octets("2001:db8::ff00:42:8329")).toEqual([
      0x20,
      0x01,
      0x0d,
      0xb8,
      0,
      0,
      0,
      0,
      0,
      0,
      0xff,
      0,
      0,
      0x42,
      0x83,
      0x29,
    ]);
    expect(octets("2001:DB8:0:0:0:0:0:1")).toEqual([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1]);
    expect(octets("::ffff:127.0.0.1")).toEqual([...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1]);
  });

  it("reads host names as dNSName, lower-cased", () => {
    expect(readHosts(["localhost", "My-Host.example.COM", "1password.com", "a.b-c.d"])).toEqual({
      kind: "ok",
      names: [
        { kind: "dns", name: "localhost" },
        { kind: "dns", name: "my-host.example.com" },
        { kind: "dns", name: "1password.com" },
        { kind: "dns", name: "a.b-c.d" },
      ],
    });
  });

  it("drops duplicates, names by case and addresses by value", () => {
    const result = readHosts(["localhost", "LOCALHOST", "::1", "0:0:0:0:0:0:0:1", "127.0.0.1", "127.0.0.1"]);
    expect(result.kind === "ok" && result.names.map((n) => (n.kind === "dns" ? n.name : n.text))).toEqual([
      "localhost",
      "::1",
      "127.0.0.1",
    ]);
  });

  it.each([
    "",
    "bad host",
    "exa_mple.com",
    "-leading.example",
    "trailing-.example",
    "double..dot",
    "trailing.dot.",
    ".leading.dot",
    "*.example.com",
    "höst.example",
    "[::1]",
    "::1%lo",
    "fe80::1%eth0",
    "127.0.0.1:8000",
    "127.1",
    "256.1.1.1",
    "01.02.03.04",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    `${"a".repeat(64)}.example`,
    `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`,
  ])("refuses %j as neither a host name nor an address", (host) => {
    const result = readHosts(["localhost", host]);
    expect(result.kind).toBe("failed");
    expect(result.kind === "failed" && result.message).toContain(JSON.stringify(host));
  });

  it("takes a name of 253 characters and labels of 63", () => {
    const name = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
    expect(name.length).toBe(253);
    expect(isHostName(name)).toBe(true);
  });

  it("needs at least one host", () => {
    expect(readHosts([])).toEqual({ kind: "failed", message: "a self-signed certificate needs at least one host" });
  });
});
