/**
 * The connection's phases (src/connection/phase.ts) as the server sees them: evictionClass,
 * idle, and what a close does, at each move between reading, answering, lingering and closed.
 */
import { describe, expect, it } from "vitest";
import type { HttpResponse } from "../../../src/http/response.ts";
import { bareConnection, flush, get } from "../../support/connection-harness.ts";
import { parseResponses } from "../../support/http-response-parser.ts";

/** A handler that answers only when told to (the connection stays answering until then). */
function held(): { handle: () => Promise<HttpResponse>; answer: (response?: Partial<HttpResponse>) => void } {
  let resolve: (response: HttpResponse) => void = () => {};
  return {
    handle: () => new Promise((r) => (resolve = r)),
    answer: (response = {}) => resolve({ status: 204, headers: [], body: null, close: false, ...response }),
  };
}

describe("HttpConnection: phases", () => {
  it("reading -> answering -> reading: evictable last (class 3) and not idle while the app answers", async () => {
    const app = held();
    const { conn, clock, http } = bareConnection({ handle: () => app.handle });
    clock.advance(1000); // past a newcomer's first second (class 4)
    expect([http.evictionClass, http.idle]).toEqual([1, true]);
    conn.receive(get("/"));
    expect([http.evictionClass, http.idle]).toEqual([3, false]);
    app.answer();
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([204]);
    expect([http.evictionClass, http.idle, conn.ended]).toEqual([1, true, false]);
  });

  it("answering a request whose body is still on its way -> lingering: class 0, then closed", async () => {
    const app = held();
    const { conn, clock, http, closedCalls } = bareConnection({ handle: () => app.handle });
    conn.receive("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nab");
    expect(http.evictionClass).toBe(3);
    app.answer();
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([204]);
    expect([http.evictionClass, conn.ended]).toEqual([0, false]);
    http.evict(); // a lingering connection goes silently and at once
    expect([conn.ended, parseResponses(conn.bytes()).length]).toEqual([true, 1]);
    await flush();
    expect([http.evictionClass, closedCalls(), clock.pendingTimers]).toEqual([null, 1, 0]);
  });

  it("a half-close while answering: the response says close and the connection ends without lingering", async () => {
    const app = held();
    const { conn, clock, http } = bareConnection({ handle: () => app.handle });
    conn.receive(get("/"));
    conn.peerEnd();
    expect(conn.ended).toBe(false);
    app.answer();
    await flush();
    const [response] = parseResponses(conn.bytes());
    expect(response!.head).toContain("\r\nConnection: close\r\n");
    expect([conn.ended, http.evictionClass, clock.pendingTimers]).toEqual([true, null, 0]);
  });

  it("closed while answering: the late response writes nothing and onClosed runs once", async () => {
    const app = held();
    const { conn, http, closedCalls } = bareConnection({ handle: () => app.handle });
    conn.receive(get("/") + get("/"));
    conn.peerClose();
    app.answer();
    await flush();
    expect([conn.writes.length, closedCalls(), http.evictionClass]).toEqual([0, 1, null]);
    http.closeWhenIdle();
    http.evict();
    http.destroy();
    await flush();
    expect([conn.writes.length, closedCalls()]).toEqual([0, 1]);
  });

  it("closeWhenIdle while answering waits for the response, which then says close", async () => {
    const app = held();
    let closing = false;
    const { conn, http } = bareConnection({ handle: () => app.handle, isClosing: () => closing });
    conn.receive(get("/"));
    closing = true;
    http.closeWhenIdle();
    expect(conn.ended).toBe(false);
    app.answer();
    await flush();
    const [response] = parseResponses(conn.bytes());
    expect(response!.head).toContain("\r\nConnection: close\r\n");
    expect(conn.ended).toBe(true);
  });
});
