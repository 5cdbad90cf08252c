import { describe, expect, it } from "vitest";
import { bareConnection, flush, get, T0 } from "../../support/connection-harness.ts";
import { parseResponses } from "../../support/http-response-parser.ts";

const SECOND = 1000;

// The eviction surface of the HttpConnection object; how the server uses it: server/cap.test.ts.
describe("HttpConnection: what the server may evict at the connection cap", () => {
  it("fresh and idle keep-alive connections are class 1, quiet since they fell idle; a newcomer's first second is class 4", () => {
    const { conn, clock, http } = bareConnection();
    expect([http.evictionClass, http.quietSince]).toEqual([4, T0]);
    clock.advance(SECOND);
    expect([http.evictionClass, http.quietSince]).toEqual([1, T0]);
    clock.advance(SECOND);
    conn.receive(get("/time"));
    expect([http.evictionClass, http.quietSince]).toEqual([1, T0 + 2 * SECOND]);
    clock.advance(SECOND);
    conn.receive("\r\n"); // not a request: still idle since the response
    expect([http.evictionClass, http.quietSince]).toEqual([1, T0 + 2 * SECOND]);
  });

  it("a request still arriving is class 2, quiet since its last byte", () => {
    const { conn, clock, http } = bareConnection();
    conn.receive("GET /time HTTP/1.1\r\n");
    clock.advance(SECOND);
    conn.receive("Host: x\r\n");
    expect([http.evictionClass, http.quietSince]).toEqual([2, T0 + SECOND]);
  });

  it("a lingering connection is class 0; one answering is never evicted", () => {
    const refused = bareConnection();
    refused.conn.receive("BAD\r\n\r\n");
    expect(refused.http.evictionClass).toBe(0);
    const streaming = bareConnection();
    streaming.conn.receive(get("/time", "Accept: text/event-stream\r\n"));
    expect(streaming.http.evictionClass).toBeNull();
    streaming.http.evict();
    expect(streaming.conn.ended).toBe(false);
  });

  it("evicting an idle connection closes it silently and at once (no lingering)", async () => {
    const { conn, http, closedCalls } = bareConnection();
    http.evict();
    expect([conn.ended, conn.writes.length]).toEqual([true, 0]);
    await flush();
    expect(closedCalls()).toBe(1);
    expect(http.evictionClass).toBeNull();
  });

  it("evicting a request still arriving sends it a 408 first, then closes at once", () => {
    const { conn, http, clock } = bareConnection();
    conn.receive("GET /time HTTP/1.1\r\nHost: x\r\n");
    http.evict();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([408]);
    expect(conn.ended).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
