import { describe, expect, it } from "vitest";
import { LogBatcher } from "../../../src/access-log/batcher.ts";
import type { LogFormat } from "../../../src/access-log/format.ts";
import { LogTime } from "../../../src/access-log/log-time.ts";
import type { Exchange } from "../../../src/connection/observer.ts";
import { ServerMetrics } from "../../../src/metrics/registry.ts";
import { accessLogObserver, metricsObserver, observers } from "../../../src/ops/observers.ts";
import { parseTrustList } from "../../../src/proxy/trust-list.ts";
import { get, serve } from "../../support/connection-harness.ts";
import { text } from "../../support/h2-test-client.ts";
import { connectH2 } from "./http2-harness.ts";

const HELLO = "hello, h2\n";
const FILES = { "/srv/hello.txt": HELLO, "/srv/big.bin": new Uint8Array(100_000).fill(7) };
const FACTS = { residentBytes: null, heapUsedBytes: null, startTimeSeconds: 0 };

/** An access log whose lines are collected (written out on flush()). */
function accessLog(format: LogFormat): { lines: () => string[]; observer: ReturnType<typeof accessLogObserver> } {
  const out: string[] = [];
  const batcher = new LogBatcher((bytes) => out.push(new TextDecoder().decode(bytes)), { after: () => () => {} });
  const observer = accessLogObserver({ format, batcher, time: new LogTime("UTC"), requestId: () => "id-1" });
  return {
    observer,
    lines: () => {
      batcher.flush();
      return out.join("").split("\n").filter((line) => line !== "");
    },
  };
}

describe("HTTP/2 exchanges as the log and metrics see them", () => {
  it("status, DATA payload bytes, version 2.0 and the connection's request count; HEAD sends no bytes", async () => {
    const exchanges: Exchange[] = [];
    const h = connectH2({ files: FILES, observer: { exchange: (e) => void exchanges.push(e) } });
    const a = h.get("/hello.txt");
    await h.settle();
    const b = h.get("/missing");
    const c = h.get("/hello.txt", [], "HEAD");
    await h.settle();
    expect([h.response(a).status, h.response(b).status, h.response(c).status]).toEqual([200, 404, 200]);
    expect(exchanges.map((e) => [e.head?.version, e.status, e.bodyBytes, e.connectionRequests])).toEqual([
      ["2.0", 200, HELLO.length, 1],
      ["2.0", 404, h.response(b).body.length, 2],
      ["2.0", 200, 0, 3],
    ]);
  });

  it("a stream the client resets before its response began is a 499 with no bytes", async () => {
    const exchanges: Exchange[] = [];
    const h = connectH2({
      observer: { exchange: (e) => void exchanges.push(e) },
      handle: (router) => (head, context) => (head.target === "/hang" ? new Promise(() => {}) : router(head, context)),
    });
    const id = h.get("/hang");
    await h.settle();
    h.client.rst(id);
    h.pump();
    expect(exchanges.map((e) => [e.head?.target, e.status, e.bodyBytes])).toEqual([["/hang", 499, 0]]);
  });

  it("a download reset midway logs its status and the DATA bytes that went", async () => {
    const exchanges: Exchange[] = [];
    const h = connectH2({ files: FILES, observer: { exchange: (e) => void exchanges.push(e) } });
    const id = h.get("/big.bin");
    await h.settle();
    // The client's initial window (65535) held the rest back.
    const sent = h.response(id).body.length;
    expect(sent).toBe(65_535);
    h.client.rst(id);
    h.pump();
    expect(exchanges.map((e) => [e.status, e.bodyBytes])).toEqual([[200, sent]]);
  });

  it("the combined and json lines say HTTP/2.0, with the status and the DATA bytes", async () => {
    for (const format of ["combined", "json"] as const) {
      const log = accessLog(format);
      const h = connectH2({ files: FILES, observer: log.observer });
      h.get("/hello.txt", [["user-agent", "h2-test/1"], ["referer", "http://ref.example/"]]);
      await h.settle();
      const [line] = log.lines();
      if (format === "combined") {
        expect(line).toMatch(
          /^192\.0\.2\.1 - - \[02\/Jan\/2026:03:04:05 \+0000\] "GET \/hello\.txt HTTP\/2\.0" 200 10 "http:\/\/ref\.example\/" "h2-test\/1"$/,
        );
      } else {
        expect(JSON.parse(line!)).toMatchObject({
          method: "GET",
          target: "/hello.txt",
          protocol: "HTTP/2.0",
          status: 200,
          bytes: HELLO.length,
          user_agent: "h2-test/1",
          connection_requests: 1,
        });
      }
    }
  });

  it("a trusted proxy's X-Forwarded-For names the client for the log and /time over h2; an untrusted one's does not", async () => {
    const trust = parseTrustList("192.0.2.1");
    if (trust.kind !== "ok") throw new Error("trust list");
    const exchanges: Exchange[] = [];
    const h = connectH2({ trustProxy: trust.list, observer: { exchange: (e) => void exchanges.push(e) } });
    const id = h.get("/time", [["x-forwarded-for", "203.0.113.9"]]);
    await h.settle();
    expect((JSON.parse(text(h.response(id).body)) as { client_ip: string }).client_ip).toBe("203.0.113.9");
    expect(exchanges[0]!.client.address).toBe("203.0.113.9");
    const other = parseTrustList("198.51.100.1");
    if (other.kind !== "ok") throw new Error("trust list");
    const u = connectH2({ trustProxy: other.list });
    const spoofed = u.get("/time", [["x-forwarded-for", "203.0.113.9"]]);
    await u.settle();
    expect((JSON.parse(text(u.response(spoofed).body)) as { client_ip: string }).client_ip).toBe("192.0.2.1");
  });
});

describe("HTTP/2 in the metrics", () => {
  it('requests carry protocol="2" beside HTTP/1.1\'s "1.1"; sundial_http2_connections_open follows the connections', async () => {
    const metrics = new ServerMetrics();
    const h = connectH2({ files: FILES, observer: observers(metricsObserver(metrics)) });
    h.get("/hello.txt");
    h.get("/hello.txt");
    await h.settle();
    const one = h.accept();
    one.receive(get("/hello.txt"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    let rendered = metrics.render(FACTS);
    expect(rendered).toContain('http_requests_total{method="GET",code="200",protocol="1.1"} 1\n');
    expect(rendered).toContain('http_requests_total{method="GET",code="200",protocol="2"} 2\n');
    expect(rendered).toContain("sundial_http2_connections_open 1\n");
    expect(rendered).toContain("http_connections_open 2\n");
    h.conn.peerClose();
    rendered = metrics.render(FACTS);
    expect(rendered).toContain("sundial_http2_connections_open 0\n");
    expect(rendered).toContain("http_connections_open 1\n");
  });

  it("a connection that speaks HTTP/1.1 on a server with HTTP/2 on is not counted as HTTP/2", () => {
    const metrics = new ServerMetrics();
    const served = serve({ http2: {}, observer: metricsObserver(metrics) });
    const conn = served.accept();
    conn.receive(get("/time"));
    conn.peerClose();
    expect(metrics.render(FACTS)).toContain("sundial_http2_connections_open 0\n");
  });
});
