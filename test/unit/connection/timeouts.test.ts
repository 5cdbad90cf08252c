import { describe, expect, it } from "vitest";
import { bareConnection, connect, flush, get, pattern, sameBytes } from "../../support/connection-harness.ts";
import { header, parseResponses } from "../../support/http-response-parser.ts";
import { latin1Text } from "../../support/fake-ports.ts";

/** src/connection/connection.ts lingers this long (client quiet) before closing after an error. */
const LINGER_QUIET_MS = 100;

const SECOND = 1000;

describe("HttpConnection: a new connection that sends nothing", () => {
  it("is ended after headerTimeoutMs (20 s), not the idle timeout, writing nothing", () => {
    const { conn, clock, limits } = connect();
    expect(limits.headerTimeoutMs).toBe(20_000);
    clock.advance(limits.headerTimeoutMs - 1);
    expect(conn.ended).toBe(false);
    clock.advance(1);
    expect(conn.ended).toBe(true);
    expect(conn.destroyed).toBe(false);
    expect(conn.writes).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("is not kept longer by empty lines (they are not a request)", () => {
    const { conn, clock, limits } = connect();
    for (let t = 0; t < limits.headerTimeoutMs; t += 5 * SECOND) {
      conn.receive("\r\n");
      clock.advance(5 * SECOND);
    }
    expect(conn.ended).toBe(true);
    expect(conn.writes).toHaveLength(0);
  });
});

describe("HttpConnection: idle timeout", () => {
  it("ends a keep-alive connection idle for idleTimeoutMs after a response, writing nothing more", () => {
    const { conn, clock, limits } = connect();
    expect(limits.idleTimeoutMs).toBe(75_000);
    conn.receive(get("/time"));
    clock.advance(limits.idleTimeoutMs - 1);
    expect(conn.ended).toBe(false);
    clock.advance(1);
    expect(conn.ended).toBe(true);
    expect(conn.destroyed).toBe(false);
    expect(conn.writes).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it("restarts after each response", () => {
    const { conn, clock, limits } = connect();
    clock.advance(10 * SECOND);
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
    conn.receive(get("/time"));
    for (let t = 0; t < limits.idleTimeoutMs; t += 10 * SECOND) {
      conn.receive("\r\n");
      clock.advance(10 * SECOND);
    }
    expect(conn.ended).toBe(true);
    expect(conn.writes).toHaveLength(1);
  });

  it("uses the tightened limit it is given", () => {
    const { conn, clock } = connect({ limits: { idleTimeoutMs: 5 * SECOND } });
    conn.receive(get("/time"));
    clock.advance(5 * SECOND);
    expect(conn.ended).toBe(true);
  });
});

describe("HttpConnection: header timeout (slow-loris)", () => {
  it("a head trickling in still times out headerTimeoutMs after its first byte, with a 408", () => {
    const { conn, clock, limits } = connect();
    clock.advance(15 * SECOND); // silent first: the header clock starts at the first byte
    const startedAt = clock.now();
    conn.receive("GET /time HTTP/1.1\r\n");
    let lines = 0;
    while (clock.now() + 2 * SECOND < startedAt + limits.headerTimeoutMs) {
      clock.advance(2 * SECOND);
      conn.receive(`X-Slow-${lines++}: yes\r\n`);
    }
    expect(lines).toBe(9);
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

describe("HttpConnection: a body still on its way, not read (the product today)", () => {
  it("is not waited for: the 405 goes at once with Connection: close, then a lingering close", () => {
    const { conn, clock } = connect();
    conn.receive("POST /a.txt HTTP/1.1\r\nHost: test\r\nContent-Length: 8192\r\n\r\nabc");
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(405);
    expect(header(response!, "Connection")).toBe("close");
    // The rest of the body is read and discarded until it has all come and the client is quiet,
    // then the close. A pause before the rest (fetch's, between its head and its body) is waited
    // out while it is shorter than 400 ms.
    clock.advance(399);
    conn.receive("x".repeat(8000));
    clock.advance(LINGER_QUIET_MS);
    expect(conn.ended).toBe(false);
    conn.receive("x".repeat(189));
    clock.advance(LINGER_QUIET_MS - 1);
    expect(conn.ended).toBe(false);
    clock.advance(1);
    expect(conn.ended).toBe(true);
    expect(conn.writes).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it("a client that never sends the rest of its body is closed after 400 ms of quiet (the slow-body defence)", () => {
    const { conn, clock } = connect();
    conn.receive("POST /a.txt HTTP/1.1\r\nHost: test\r\nContent-Length: 8192\r\n\r\nabc");
    expect(parseResponses(conn.bytes())[0]!.status).toBe(405);
    clock.advance(400 - 1);
    expect(conn.ended).toBe(false);
    clock.advance(1);
    expect(conn.ended).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("a body that came with its head is skipped and the keep-alive connection goes on", () => {
    const { conn } = connect();
    conn.receive(`POST /a.txt HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc${get("/time")}`);
    expect(parseResponses(conn.bytes()).map((r) => [r.status, header(r, "Connection")])).toEqual([[405, undefined], [
      200,
      undefined,
    ]]);
    expect(conn.ended).toBe(false);
  });
});

describe("HttpConnection: body timeout (bodies that are read)", () => {
  const post = "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n";

  it("a body that stops short: 408 after bodyTimeoutMs, then the connection ends", () => {
    const { conn, clock, limits } = bareConnection({ readBodies: true });
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
    const { conn, clock, limits } = bareConnection({ readBodies: true, limits: { minBodyRate: 0 } });
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

describe("HttpConnection: minimum body rate and request timeout (bodies that are read)", () => {
  const upload = (length: number): string => `POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: ${length}\r\n\r\n`;

  it("a body trickling below minBodyRate gets 408 at bodyTimeoutMs plus a second per minBodyRate bytes, though it never stops", () => {
    const { conn, clock, limits } = bareConnection({ readBodies: true });
    expect([limits.bodyTimeoutMs, limits.minBodyRate]).toEqual([20_000, 500]);
    conn.receive(upload(100_000));
    // 100 bytes a second: the gap timeout never fires; the allowance is 20 s + received / 500 B/s,
    // which 100 B/s overtakes at 25 s (at 24 s, 2,400 bytes in: complete by 24.8 s).
    for (let second = 1; second <= 24; second++) {
      clock.advance(SECOND);
      conn.receive("x".repeat(100));
    }
    clock.advance(0.8 * SECOND - 1);
    expect(conn.writes).toHaveLength(0);
    clock.advance(1);
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(408);
    expect(header(response!, "Connection")).toBe("close");
  });

  it("a body at twice minBodyRate is read to its end and answered", () => {
    const { conn, clock } = bareConnection({ readBodies: true });
    conn.receive(upload(60_000));
    for (let second = 1; second <= 60; second++) {
      clock.advance(SECOND);
      conn.receive("x".repeat(1000));
    }
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([405]);
    expect(conn.ended).toBe(false);
  });

  it("minBodyRate 0: only the gap between pieces (and the request timeout) counts", () => {
    const { conn, clock, limits } = bareConnection({ readBodies: true, limits: { minBodyRate: 0 } });
    conn.receive(upload(12)); // 12 bytes in 240 s, under the 300 s request timeout
    for (let piece = 0; piece < 11; piece++) {
      clock.advance(limits.bodyTimeoutMs - 1);
      conn.receive("x");
    }
    expect(conn.writes).toHaveLength(0);
    clock.advance(limits.bodyTimeoutMs - 1);
    conn.receive("x");
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([405]);
  });

  it("requestTimeoutMs bounds a request from its first byte, head and body together, however fast the body", () => {
    const { conn, clock } = bareConnection({ readBodies: true, limits: { requestTimeoutMs: 30 * SECOND } });
    conn.receive("POST /upload HTTP/1.1\r\n");
    clock.advance(10 * SECOND);
    conn.receive("Host: test\r\nContent-Length: 1000000\r\n\r\n");
    for (let second = 1; second < 20; second++) {
      clock.advance(SECOND);
      conn.receive("x".repeat(10_000));
    }
    clock.advance(SECOND - 1);
    expect(conn.writes).toHaveLength(0);
    clock.advance(1); // 30 s after the first byte
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([408]);
  });

  it("requestTimeoutMs shorter than headerTimeoutMs cuts a head short too", () => {
    const { conn, clock } = connect({ limits: { requestTimeoutMs: 5 * SECOND } });
    conn.receive("GET /time HTTP/1.1\r\n");
    clock.advance(5 * SECOND - 1);
    expect(conn.writes).toHaveLength(0);
    clock.advance(1);
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([408]);
  });

  it("each request of a keep-alive connection gets its own request timeout", () => {
    const { conn, clock } = bareConnection({
      readBodies: true,
      limits: { requestTimeoutMs: 30 * SECOND, minBodyRate: 0 },
    });
    for (let round = 0; round < 3; round++) {
      conn.receive(upload(20));
      for (let piece = 0; piece < 20; piece++) {
        clock.advance(SECOND);
        conn.receive("x");
      }
    }
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([405, 405, 405]);
  });
});

describe("HttpConnection: timers while a response is in progress", () => {
  it("drops a peer that reads nothing of a response for sendTimeoutMs, releasing the file", async () => {
    const { conn, clock, fs, limits } = connect({
      files: { "/srv/big.bin": pattern(256 * 1024) },
      highWaterMark: 16 * 1024,
    });
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
    const { conn, clock, fs, limits } = connect({
      files: { "/srv/big.bin": pattern(256 * 1024) },
      highWaterMark: 16 * 1024,
    });
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
      limits: { responseTimeoutMs: 0 },
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

describe("HttpConnection: the response deadline (responseTimeoutMs)", () => {
  /** A handler that never answers, and the signals it was given (context.onGone). */
  function silent(): { handle: () => () => Promise<never>; aborted: () => number } {
    let aborted = 0;
    return {
      handle: () => (_head: unknown, context: { onGone(fn: () => void): void }) => {
        context.onGone(() => aborted++);
        return new Promise<never>(() => {});
      },
      aborted: () => aborted,
    } as never;
  }

  it("an app that never answers: 503 with Retry-After at the deadline, its signal aborted, the connection closed", async () => {
    const app = silent();
    const { conn, clock, errors } = connect({ limits: { responseTimeoutMs: 10 * SECOND }, handle: app.handle });
    conn.receive(get("/slow"));
    clock.advance(10 * SECOND - 1);
    expect(conn.writes).toHaveLength(0);
    clock.advance(1);
    await flush();
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(503);
    expect(header(response!, "retry-after")).toBe("1");
    expect(app.aborted()).toBe(1);
    expect(conn.ended).toBe(true);
    expect(errors.join("\n")).toMatch(/503 for GET \/slow: the app did not answer within --response-timeout/);
  });

  it("a late answer after the 503 is dropped: one response only", async () => {
    let answer = (): void => {};
    const { conn, clock } = connect({
      limits: { responseTimeoutMs: SECOND },
      handle: (router) => (head, client) => new Promise((resolve) => (answer = () => resolve(router(head, client)))),
    });
    conn.receive(get("/time"));
    clock.advance(SECOND);
    await flush();
    answer();
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([503]);
  });

  it("after the client's half-close the app gets a 2 s grace, not the whole deadline", async () => {
    const app = silent();
    const { conn, clock } = connect({ handle: app.handle });
    conn.receive(get("/slow"));
    conn.peerEnd();
    expect(app.aborted()).toBe(1);
    clock.advance(2 * SECOND);
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([503]);
    expect(conn.ended).toBe(true);
  });
});
