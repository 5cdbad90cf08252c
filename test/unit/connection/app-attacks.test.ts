/**
 * Issue 22's app-path findings, on the server's own wiring with fake deps: a body an app reads is
 * held to the request's deadlines however its reads come (finding 1), an app that never answers is
 * bounded and evictable (finding 2), and a body that fails while the app waits for it reaches the
 * client as its status and the app as an error, without a stack trace (finding 5).
 */
import { describe, expect, it } from "vitest";
import type { Handler, RequestContext } from "../../../src/app.ts";
import { readWhole } from "../../../src/fetch/request-body-reading.ts";
import { flush, get, serve, T0 } from "../../support/connection-harness.ts";
import type { FakeConnection } from "../../support/fake-ports.ts";
import { parseResponses } from "../../support/http-response-parser.ts";

const SECOND = 1000;
const statuses = (conn: FakeConnection): number[] => parseResponses(conn.bytes()).map((r) => r.status);

/** An app that reads its whole body (await request.text()) and answers 200 with its length; failures are remembered. */
function reader(): { handle: () => Handler; failures: unknown[] } {
  const failures: unknown[] = [];
  const handle: Handler = async (_head, context: RequestContext) => {
    const body = context.body === null ? new Uint8Array(0) : await readWhole(context.body).catch((error: unknown) => {
      failures.push(error);
      throw error;
    });
    return { status: 200, headers: [], body: new TextEncoder().encode(String(body.length)) };
  };
  return { handle: () => handle, failures };
}

const post = (extra: string): string => `POST /upload HTTP/1.1\r\nHost: test\r\n${extra}\r\n`;

describe("a body the app reads is held to the request's deadlines (finding 1)", () => {
  it("one byte every 2 s: 408 at --request-timeout 5s --body-timeout 3s, the app's read failing", async () => {
    const app = reader();
    const { accept, clock } = serve({
      readsBodies: true,
      handle: app.handle,
      limits: { requestTimeoutMs: 5 * SECOND, bodyTimeoutMs: 3 * SECOND, minBodyRate: 0 },
    });
    const conn = accept();
    conn.receive(post("Content-Length: 100\r\n"));
    let answeredAt = -1;
    for (let t = 0; t < 60 && answeredAt < 0; t++) {
      await flush();
      clock.advance(SECOND / 2);
      await flush();
      if (conn.writes.length > 0) answeredAt = clock.now() - T0;
      else if (t % 4 === 3) conn.receive("x");
    }
    await flush();
    expect(statuses(conn)).toEqual([408]);
    expect(app.failures).toHaveLength(1);
    // The 408 came at 5 s (the whole-request deadline), not after 20 s of pieces.
    expect(answeredAt).toBe(5 * SECOND);
  });

  it("the rate floor (--min-body-rate) holds across the app's reads", async () => {
    const app = reader();
    const { accept, clock } = serve({
      readsBodies: true,
      handle: app.handle,
      limits: { bodyTimeoutMs: 3 * SECOND, minBodyRate: 500 },
    });
    const conn = accept();
    conn.receive(post("Content-Length: 100000\r\n"));
    for (let t = 0; t < 100 && !conn.ended; t++) {
      await flush();
      clock.advance(SECOND);
      if (!conn.ended) conn.receive("x".repeat(100)); // 100 B/s, under the 500 B/s floor
    }
    await flush();
    expect(statuses(conn)).toEqual([408]);
    expect(clock.now() - T0).toBeLessThanOrEqual(5 * SECOND);
  });

  it("at the cap, a connection stuck in a slow body the app waits for is evicted with a 408", async () => {
    const app = reader();
    const { accept } = serve({ readsBodies: true, handle: app.handle, maxConnections: 2, maxConnectionsPerIp: 0 });
    const slow = [accept({ address: "192.0.2.7" }), accept({ address: "192.0.2.7" })];
    for (const conn of slow) conn.receive(post("Content-Length: 100\r\n") + "x");
    await flush();
    const probe = accept({ address: "198.51.100.1" });
    probe.receive(get("/upload"));
    await flush();
    expect(statuses(probe)).toEqual([200]);
    expect(slow.map(statuses)).toContainEqual([408]);
  });
});

describe("an app that never answers (finding 2)", () => {
  const never: () => Handler = () => () => new Promise(() => {});

  it("at the cap, an idle connection goes before one waiting on its app, and one waiting before a newcomer", async () => {
    const { accept, clock } = serve({ handle: never, maxConnections: 3, maxConnectionsPerIp: 0 });
    const waiting = [accept(), accept()];
    for (const conn of waiting) conn.receive(get("/hang"));
    const idle = accept();
    await flush();
    const newcomer = accept({ address: "198.51.100.9" });
    expect([newcomer.ended, waiting.filter((c) => c.ended).length, idle.ended]).toEqual([false, 1, false]);
    clock.advance(1000);
    accept({ address: "198.51.100.1" });
    expect([idle.ended, idle.writes.length, newcomer.ended]).toEqual([true, 0, false]);
  });

  it("at the cap, a connection waiting on its app is evicted with a 503 and Retry-After; the newcomer is served", async () => {
    const { accept } = serve({
      handle: (router) => (head, context) => (head.target === "/hang" ? new Promise(() => {}) : router(head, context)),
      maxConnections: 2,
      maxConnectionsPerIp: 0,
    });
    const waiting = [accept(), accept()];
    for (const conn of waiting) conn.receive(get("/hang"));
    await flush();
    const probe = accept({ address: "198.51.100.1" });
    probe.receive(get("/time"));
    await flush();
    expect(statuses(probe)).toEqual([200]);
    const evicted = waiting.filter((c) => c.ended);
    expect(evicted).toHaveLength(1);
    const [response] = parseResponses(evicted[0]!.bytes());
    expect(response!.status).toBe(503);
    expect(response!.headers.get("retry-after")).toBe("1");
  });

  it("1,100 requests to an app that never answers from clients that then leave: every slot comes back", async () => {
    const { accept, clock } = serve({ handle: never, maxConnections: 1024, maxConnectionsPerIp: 0 });
    const conns: FakeConnection[] = [];
    for (let i = 0; i < 1100; i++) {
      const conn = accept({ address: `10.0.${i >> 8}.${i & 255}` });
      conn.receive(get("/hang"));
      conns.push(conn);
    }
    await flush();
    // Every probe while they wait is answered (each evicts a waiting one).
    const probe = accept({ address: "198.51.100.1" });
    probe.receive(get("/a"));
    expect(probe.ended).toBe(false);
    for (const conn of conns) if (!conn.ended) conn.peerEnd();
    clock.advance(2 * SECOND);
    await flush();
    expect(conns.every((c) => c.ended)).toBe(true);
  });
});

describe("a body that fails while the app waits for it (finding 5)", () => {
  it("a bad trailer after a pause: 400 to the client, the app's read fails, no error logged", async () => {
    const app = reader();
    const { accept, errors } = serve({ readsBodies: true, handle: app.handle });
    const conn = accept();
    conn.receive(post("Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n");
    await flush();
    conn.receive("0\r\nbad trailer\r\n\r\n");
    await flush();
    expect(statuses(conn)).toEqual([400]);
    expect(app.failures).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("past --max-body, sent chunked while the app waits: 413", async () => {
    const app = reader();
    const { accept, errors } = serve({ readsBodies: true, handle: app.handle, limits: { maxBodyBytes: 8 } });
    const conn = accept();
    conn.receive(post("Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n");
    await flush();
    conn.receive("5\r\nworld\r\n");
    await flush();
    expect(statuses(conn)).toEqual([413]);
    expect(errors).toEqual([]);
  });

  it("a client that half-closes mid-body: the app's read fails, nothing is logged", async () => {
    const app = reader();
    const { accept, errors } = serve({ readsBodies: true, handle: app.handle });
    for (let i = 0; i < 100; i++) {
      const conn = accept();
      conn.receive(post("Content-Length: 10\r\n") + "abc");
      await flush();
      conn.peerEnd();
      await flush();
    }
    expect(app.failures).toHaveLength(100);
    expect(errors).toEqual([]);
  });
});
