/**
 * The connection cap and the per-address cap of src/server/server.ts, with a fake transport: which
 * connection makes room for a new one at --max-connections, and when a new one is refused.
 */
import { describe, expect, it } from "vitest";
import { flush, get, serve as serveFake } from "../../support/connection-harness.ts";
import { parseTrustList } from "../../../src/proxy/trust-list.ts";
import type { FakeClock, FakeConnection } from "../../support/fake-ports.ts";
import { parseResponses } from "../../support/http-response-parser.ts";

const SECOND = 1000;

interface World {
  readonly clock: FakeClock;
  /** A new connection from address arrives. */
  connect(address?: string): FakeConnection;
}

function serve(maxConnections: number, maxConnectionsPerIp = 0, capLoopback = true): World {
  const served = serveFake({ files: { "/srv/a.txt": "alpha\n" }, maxConnections, maxConnectionsPerIp, capLoopback });
  return { clock: served.clock, connect: (address = "192.0.2.1") => served.accept({ address }) };
}

const statuses = (conn: FakeConnection): number[] => parseResponses(conn.bytes()).map((r) => r.status);
/** A response that never ends: an event stream keeps its connection busy. */
const STREAM = get("/time", "Accept: text/event-stream\r\n");

describe("server: at --max-connections", () => {
  it("a new connection closes the one that has sent nothing for longest, silently", async () => {
    const { clock, connect } = serve(3);
    const first = connect();
    clock.advance(SECOND);
    const second = connect();
    clock.advance(SECOND);
    const third = connect();
    const fourth = connect();
    expect([first.ended, second.ended, third.ended]).toEqual([true, false, false]);
    expect(first.writes).toHaveLength(0);
    fourth.receive(get("/a.txt"));
    await flush();
    expect(statuses(fourth)).toEqual([200]);
  });

  it("an idle keep-alive connection counts from its last response: the longest idle goes first", async () => {
    const { clock, connect } = serve(2);
    const served = connect();
    clock.advance(SECOND);
    const silent = connect();
    clock.advance(SECOND);
    served.receive(get("/a.txt")); // idle again from now, so the silent one has been idle longer
    await flush();
    expect(statuses(served)).toEqual([200]);
    connect();
    expect([served.ended, silent.ended]).toEqual([false, true]);
  });

  it("within a class, the address holding the most connections gives one up first, even a younger one", async () => {
    const { clock, connect } = serve(4);
    const client = connect("198.51.100.1"); // oldest, but its address holds one connection
    clock.advance(SECOND);
    const flood = [connect("203.0.113.9"), connect("203.0.113.9")];
    clock.advance(SECOND);
    const other = connect("198.51.100.2");
    connect("203.0.113.9");
    expect([client.ended, flood[0]!.ended, flood[1]!.ended, other.ended]).toEqual([false, true, false, false]);
    // Equal counts (one each now besides the flood's two): the oldest of the heaviest address again.
    connect("198.51.100.3");
    expect(flood[1]!.ended).toBe(true);
    expect(client.ended).toBe(false);
  });

  it("a lingering connection (after a refused request) goes before an idle one", async () => {
    const { connect } = serve(2);
    const idle = connect();
    const refused = connect();
    refused.receive("BAD REQUEST\r\n\r\n");
    expect(statuses(refused)).toEqual([400]);
    expect(refused.ended).toBe(false); // lingering
    connect();
    expect([idle.ended, refused.ended]).toEqual([false, true]);
  });

  it("with none idle, the one still sending its head whose last byte is oldest gets a 408 and is closed", async () => {
    const { clock, connect } = serve(3);
    const busy = connect();
    busy.receive(STREAM);
    const slow = connect();
    slow.receive("GET /a.txt HTTP/1.1\r\n");
    const slower = connect();
    slower.receive("GET /a.txt HTTP/1.1\r\n");
    clock.advance(SECOND);
    slow.receive("Host: x\r\n"); // slower is now the one quiet longest
    clock.advance(SECOND);
    connect();
    expect(statuses(slower)).toEqual([408]);
    expect([busy.ended, slow.ended, slower.ended]).toEqual([false, false, true]);
  });

  it("when every connection is answering, the new one gets 503 with Retry-After, and a place frees when one closes", async () => {
    const { connect } = serve(2);
    const streams = [connect(), connect()];
    for (const stream of streams) stream.receive(STREAM);
    const refused = connect();
    const [response] = parseResponses(refused.bytes());
    expect(response!.status).toBe(503);
    expect(response!.headers.lines).toContainEqual(["Retry-After", "1"]);
    expect(refused.ended).toBe(true);
    streams[0]!.peerClose();
    await flush();
    const admitted = connect();
    expect([admitted.ended, admitted.writes.length]).toEqual([false, 0]);
  });

  it("an evicted connection's place is taken at once, before its close completes", async () => {
    const { connect } = serve(1);
    const a = connect();
    const b = connect();
    const c = connect();
    expect([a.ended, b.ended, c.ended]).toEqual([true, true, false]);
    expect([a.writes.length, b.writes.length, c.writes.length]).toEqual([0, 0, 0]);
    await flush();
    c.receive(get("/a.txt"));
    await flush();
    expect(statuses(c)).toEqual([200]);
  });
});

describe("server: --max-connections-per-ip", () => {
  it("one more than N from one address gets 503; another address still gets in", async () => {
    const { connect } = serve(100, 3);
    const held = [connect("198.51.100.7"), connect("198.51.100.7"), connect("198.51.100.7")];
    const fourth = connect("198.51.100.7");
    expect(statuses(fourth)).toEqual([503]);
    expect(fourth.ended).toBe(true);
    const other = connect("198.51.100.8");
    other.receive(get("/a.txt"));
    await flush();
    expect(statuses(other)).toEqual([200]);
    expect(held.map((c) => c.ended)).toEqual([false, false, false]);
  });

  it("by default loopback peers are not capped (a proxy or load test on this host); when the cap was given, they are", async () => {
    const byDefault = serve(100, 2, false);
    for (const address of ["127.0.0.1", "127.0.0.1", "127.0.0.1", "::1", "::1", "::1", "::ffff:127.0.0.1"]) {
      expect(statuses(byDefault.connect(address))).toEqual([]);
    }
    byDefault.connect("198.51.100.7");
    byDefault.connect("198.51.100.7");
    expect(statuses(byDefault.connect("198.51.100.7"))).toEqual([503]);
    const given = serve(100, 2, true);
    given.connect("127.0.0.1");
    given.connect("127.0.0.1");
    expect(statuses(given.connect("127.0.0.1"))).toEqual([503]);
  });

  it("an IPv4-mapped IPv6 address counts as its IPv4 address", async () => {
    const { connect } = serve(100, 2);
    connect("198.51.100.7");
    connect("::ffff:198.51.100.7");
    expect(statuses(connect("198.51.100.7"))).toEqual([503]);
  });

  it("a place frees when a connection from the address closes, or is evicted", async () => {
    const { clock, connect } = serve(2, 1);
    const a = connect("198.51.100.7");
    a.peerClose();
    await flush();
    const b = connect("198.51.100.7");
    expect(statuses(connect("198.51.100.7"))).toEqual([503]);
    clock.advance(SECOND);
    connect("198.51.100.8");
    clock.advance(SECOND);
    // At the cap of 2, this evicts the connection idle longest, b, whose address then has a place.
    connect("198.51.100.9");
    expect(b.ended).toBe(true);
    const again = connect("198.51.100.7");
    expect(again.ended).toBe(false);
    expect(again.writes).toHaveLength(0);
  });

  it("0: no per-address cap", async () => {
    const { connect } = serve(100, 0);
    const all = Array.from({ length: 50 }, () => connect("198.51.100.7"));
    expect(all.every((c) => !c.ended)).toBe(true);
  });
});

describe("server: the per-address cap with PROXY protocol (issue 22, finding 9)", () => {
  it("a proxied connection that names a capped client does not free that client's count when it closes", async () => {
    const trust = parseTrustList("203.0.113.9");
    if (trust.kind !== "ok") throw new Error("trust list");
    const served = serveFake({
      files: { "/srv/a.txt": "alpha\n" },
      maxConnections: 100,
      maxConnectionsPerIp: 2,
      capLoopback: true,
      trustProxy: trust.list,
      proxyProtocol: true,
    });
    const attacker = "192.0.2.66";
    const held = [served.accept({ address: attacker }), served.accept({ address: attacker })];
    // The trusted proxy forwards one connection for that same client, which then closes.
    const proxied = served.accept({ address: "203.0.113.9" });
    proxied.receive(`PROXY TCP4 ${attacker} 198.51.100.1 5555 80\r\n${get("/a.txt", "Connection: close\r\n")}`);
    await flush();
    expect(statuses(proxied)).toEqual([200]);
    proxied.peerClose();
    await flush();
    // Still over the cap: the attacker's next connections are turned away.
    for (let i = 0; i < 3; i++) {
      const extra = served.accept({ address: attacker });
      extra.receive(get("/a.txt"));
      await flush();
      expect(statuses(extra)).toEqual([503]);
    }
    expect(held.every((c) => !c.ended)).toBe(true);
  });
});
