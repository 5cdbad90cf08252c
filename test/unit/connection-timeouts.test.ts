import { describe, expect, it } from "vitest";
import { connect, drainUntil, flush, get, header, parseResponses, pattern, sameBytes } from "../support/connection-harness.ts";
import { latin1Text } from "../support/fake-ports.ts";

/** src/connection.ts lingers this long (client quiet) before closing after an error. */
const LINGER_QUIET_MS = 100;

const SECOND = 1000;

describe("HttpConnection: idle timeout", () => {
  it("ends a connection that sends nothing after idleTimeoutMs, writing nothing", () => {
    const { conn, clock, limits } = connect();
    expect(limits.idleTimeoutMs).toBe(75_000);
    clock.advance(limits.idleTimeoutMs - 1);
    expect(conn.ended).toBe(false);
    clock.advance(1);
    expect(conn.ended).toBe(true);
    expect(conn.destroyed).toBe(false);
    expect(conn.writes).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("restarts after each response", () => {
    const { conn, clock, limits } = connect();
    clock.advance(70 * SECOND);
    conn.receive(get("/time"));
    clock.advance(70 * SECOND);
    conn.receive(get("/time"));
    clock.advance(limits.idleTimeoutMs - 1);
    expect(conn.ended).toBe(false);
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([200, 200]);
    clock.advance(1);
    expect(conn.ended).toBe(true);
    expect(conn.writes).toHaveLength(2);
  });

  it("is not extended by empty lines between requests (they are not a request)", () => {
    const { conn, clock, limits } = connect();
    for (let t = 0; t < limits.idleTimeoutMs; t += 10 * SECOND) {
      conn.receive("\r\n");
      clock.advance(10 * SECOND);
    }
    expect(conn.ended).toBe(true);
    expect(conn.writes).toHaveLength(0);
  });

  it("uses the tightened limit it is given", () => {
    const { conn, clock } = connect({ limits: { idleTimeoutMs: 5 * SECOND } });
    clock.advance(5 * SECOND);
    expect(conn.ended).toBe(true);
  });
});

describe("HttpConnection: header timeout (slow-loris)", () => {
  it("a head trickling in still times out headerTimeoutMs after its first byte, with a 408", () => {
    const { conn, clock, limits } = connect();
    clock.advance(30 * SECOND); // idle first: the header clock starts at the first byte
    const startedAt = clock.now();
    conn.receive("GET /time HTTP/1.1\r\n");
    let lines = 0;
    while (clock.now() + 5 * SECOND < startedAt + limits.headerTimeoutMs) {
      clock.advance(5 * SECOND);
      conn.receive(`X-Slow-${lines++}: yes\r\n`);
    }
    expect(lines).toBe(11);
    clock.advance(startedAt + limits.headerTimeoutMs - 1 - clock.now());
    expect(conn.writes).toHaveLength(0);
    expect(conn.ended).toBe(false);
    clock.advance(1);
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(408);
    expect(conn.text().startsWith("HTTP/1.1 408 Request Timeout\r\n")).toBe(true);
    expect(header(response!, "Connection")).toBe("close");
    expect(latin1Text(response!.body)).toContain("<h1>408 Request Timeout</h1>");
    clock.advance(LINGER_QUIET_MS); // the lingering close
    expect(conn.ended).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("a request that completes in time is answered and the idle timer takes over", () => {
    const { conn, clock, limits } = connect();
    conn.receive("GET /time HTTP/1.1\r\n");
    clock.advance(limits.headerTimeoutMs - 1);
    conn.receive("Host: test\r\n\r\n");
    clock.advance(limits.idleTimeoutMs - 1);
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([200]);
    expect(conn.ended).toBe(false);
    clock.advance(1);
    expect(conn.ended).toBe(true);
    expect(conn.writes).toHaveLength(1);
  });

  it("a partial request pipelined behind a complete one times out after the first is answered", () => {
    const { conn, clock } = connect({ limits: { headerTimeoutMs: 10 * SECOND } });
    conn.receive(`${get("/time")}GET /ti`);
    clock.advance(10 * SECOND);
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([200, 408]);
    clock.advance(LINGER_QUIET_MS);
    expect(conn.ended).toBe(true);
  });
});

describe("HttpConnection: body timeout", () => {
  const post = "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n";

  it("a body that stops short: 408 after bodyTimeoutMs, then the connection ends", () => {
    const { conn, clock, limits } = connect();
    conn.receive(`${post}12345`);
    clock.advance(limits.bodyTimeoutMs - 1);
    expect(conn.writes).toHaveLength(0);
    clock.advance(1);
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(408);
    expect(header(response!, "Connection")).toBe("close");
    expect(conn.ended).toBe(false);
    clock.advance(LINGER_QUIET_MS);
    expect(conn.ended).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("each body byte restarts the body timer; the complete request is answered", () => {
    const { conn, clock, limits } = connect();
    conn.receive(post);
    for (const ch of "123456789") {
      clock.advance(limits.bodyTimeoutMs - 1);
      conn.receive(ch);
    }
    expect(conn.writes).toHaveLength(0);
    clock.advance(limits.bodyTimeoutMs - 1);
    conn.receive("0");
    // POST is a known method the server does not serve: 405 with Allow.
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(405);
    expect(header(response!, "Allow")).toBe("GET, HEAD");
    expect(conn.ended).toBe(false);
  });
});

describe("HttpConnection: timers while a response is in progress", () => {
  it("drops a peer that reads nothing of a response for sendTimeoutMs, releasing the file", async () => {
    const { conn, clock, fs, limits } = connect({ files: { "/srv/big.bin": pattern(256 * 1024) }, highWaterMark: 16 * 1024 });
    conn.receive(get("/big.bin"));
    await flush();
    expect(fs.openReaders).toBe(1);
    clock.advance(limits.sendTimeoutMs - 1);
    await flush();
    expect(conn.destroyed).toBe(false);
    clock.advance(1);
    await flush();
    expect(conn.destroyed).toBe(true);
    expect(fs.openReaders).toBe(0);
  });

  it("a peer that keeps reading, however slowly, is never cut off", async () => {
    const { conn, clock, fs, limits } = connect({ files: { "/srv/big.bin": pattern(256 * 1024) }, highWaterMark: 16 * 1024 });
    conn.receive(get("/big.bin"));
    await flush();
    while (fs.openReaders > 0) {
      clock.advance(limits.sendTimeoutMs - 1);
      conn.drain();
      await flush();
    }
    expect(conn.destroyed).toBe(false);
    const [response] = parseResponses(conn.bytes());
    expect(sameBytes(response!.body, pattern(256 * 1024))).toBe(true);
    expect(clock.pendingTimers).toBe(1); // idle again
  });

  it("a slow asynchronous handler is not cut off by the header or idle timer", async () => {
    let answer = (): void => {};
    const { conn, clock, limits } = connect({
      handle: (router) => (head, client) =>
        new Promise((resolve) => {
          answer = () => resolve(router(head, client));
        }),
    });
    conn.receive(get("/time"));
    clock.advance(limits.idleTimeoutMs + limits.headerTimeoutMs);
    expect(conn.writes).toHaveLength(0);
    expect(conn.ended).toBe(false);
    answer();
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([200]);
    expect(conn.ended).toBe(false);
  });
});
