import { describe, expect, it } from "vitest";
import type { HttpResponse } from "../../../src/http/response.ts";
import { SERVER_HEADER } from "../../../src/version.ts";
import { bareConnection, connect, flush, get, T0, T0_HTTP_DATE } from "../../support/connection-harness.ts";
import { header, parseResponses } from "../../support/http-response-parser.ts";
import { FakeFileSystem } from "../../support/fake-file-system.ts";
import { latin1Text } from "../../support/fake-ports.ts";

const INDEX = "<!doctype html><title>home</title>\n";
const FILES = { "/srv/index.html": INDEX, "/srv/a.txt": "alpha\n", "/srv/.secret": "hidden" };

describe("HttpConnection: answering requests", () => {
  it("answers a GET for a small file with the exact head and body, in one write", async () => {
    const { conn } = connect({ files: FILES });
    conn.receive(get("/a.txt"));
    await flush();
    expect(conn.writes).toHaveLength(1);
    expect(latin1Text(conn.writes[0]!)).toBe(
      "HTTP/1.1 200 OK\r\n" +
        `Date: ${T0_HTTP_DATE}\r\n` +
        `Server: ${SERVER_HEADER}\r\n` +
        "X-Content-Type-Options: nosniff\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Accept-Ranges: bytes\r\n" +
        'ETag: "6-0"\r\n' +
        "Last-Modified: Thu, 01 Jan 1970 00:00:00 GMT\r\n" +
        "Content-Length: 6\r\n" +
        "\r\n" +
        "alpha\n",
    );
    expect(conn.ended).toBe(false);
  });

  it("takes the Date from the clock at the time of the response", async () => {
    const { conn, clock } = connect({ files: FILES });
    clock.time = Date.UTC(1994, 10, 6, 8, 49, 37, 999);
    conn.receive(get("/"));
    await flush();
    const [response] = parseResponses(conn.bytes());
    expect(header(response!, "Date")).toBe("Sun, 06 Nov 1994 08:49:37 GMT");
    expect(latin1Text(response!.body)).toBe(INDEX);
  });

  it("answers /time with the JSON for the pinned instant in the clock's zone", () => {
    const { conn, clock } = connect();
    clock.time = T0 + 678;
    clock.zone = "Europe/Berlin";
    conn.receive(get("/time"));
    // /time is answered synchronously: no await needed.
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(200);
    expect(header(response!, "Content-Type")).toBe("application/json; charset=utf-8");
    expect(header(response!, "Cache-Control")).toBe("no-store");
    expect(latin1Text(response!.body)).toBe(
      '{"utc_datetime":"2026-01-02T03:04:05.678Z","datetime":"2026-01-02T04:04:05.678+01:00",' +
        '"unixtime":1767323045,"unixtime_ms":1767323045678,"timezone":"Europe/Berlin","utc_offset":"+01:00",' +
        '"raw_offset":3600,"dst":false,"dst_offset":0,"dst_from":null,"dst_until":null,"abbreviation":"CET",' +
        '"day_of_week":5,"day_of_year":2,"week_number":1,"client_ip":"192.0.2.1",' +
        '"received_ms":1767323045678,"sent_ms":1767323045678}',
    );
  });

  it("/time follows the zone's summer offset", () => {
    const { conn, clock } = connect();
    clock.time = Date.UTC(2026, 6, 1, 12, 0, 0);
    clock.zone = "Europe/Berlin";
    conn.receive(get("/time"));
    const body = JSON.parse(latin1Text(parseResponses(conn.bytes())[0]!.body)) as Record<string, unknown>;
    expect(body).toEqual({
      utc_datetime: "2026-07-01T12:00:00.000Z",
      datetime: "2026-07-01T14:00:00.000+02:00",
      unixtime: 1782907200,
      unixtime_ms: 1782907200000,
      timezone: "Europe/Berlin",
      utc_offset: "+02:00",
      raw_offset: 3600,
      dst: true,
      dst_offset: 3600,
      dst_from: "2026-03-29T01:00:00+00:00",
      dst_until: "2026-10-25T01:00:00+00:00",
      abbreviation: "CEST",
      day_of_week: 3,
      day_of_year: 182,
      week_number: 27,
      client_ip: "192.0.2.1",
      received_ms: 1782907200000,
      sent_ms: 1782907200000,
    });
  });

  it("gives the same answer whatever the split of the request into chunks", async () => {
    const { conn } = connect({ files: FILES });
    for (const ch of get("/a.txt")) conn.receive(ch);
    await flush();
    const responses = parseResponses(conn.bytes());
    expect(responses.map((r) => r.status)).toEqual([200]);
    expect(latin1Text(responses[0]!.body)).toBe("alpha\n");
  });

  it("answers HEAD with the GET's head and no body, without reading the file", async () => {
    const { conn, fs } = connect({ files: FILES });
    conn.receive(get("/a.txt", "", "HEAD"));
    await flush();
    const text = conn.text();
    expect(text.endsWith("Content-Length: 6\r\n\r\n")).toBe(true);
    expect(fs.readsStarted).toBe(0);
  });

  it("serves 404 for a missing file and for a dotfile, keeping the connection", async () => {
    const { conn } = connect({ files: FILES });
    conn.receive(get("/missing") + get("/.secret"));
    await flush();
    const responses = parseResponses(conn.bytes());
    expect(responses.map((r) => r.status)).toEqual([404, 404]);
    expect(responses.every((r) => header(r, "Connection") === undefined)).toBe(true);
    expect(conn.ended).toBe(false);
  });
});

describe("HttpConnection: parse errors", () => {
  const cases: ReadonlyArray<readonly [string, string, number, string]> = [
    ["a bare LF", "GET / HTTP/1.1\nHost: test\r\n\r\n", 400, "Bad Request"],
    ["HTTP/3.0", "GET / HTTP/3.0\r\nHost: test\r\n\r\n", 505, "HTTP Version Not Supported"],
    ["a missing Host", "GET / HTTP/1.1\r\n\r\n", 400, "Bad Request"],
    [
      "an unknown transfer coding",
      "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip\r\n\r\n",
      501,
      "Not Implemented",
    ],
    ["too long a request-line", `GET /${"a".repeat(9000)} HTTP/1.1\r\n\r\n`, 414, "URI Too Long"],
  ];
  for (const [name, request, status, reason] of cases) {
    it(`${name}: ${status} with Connection: close, then the connection ends and ignores more data`, async () => {
      const { conn, clock } = connect();
      conn.receive(request);
      const text = conn.text();
      expect(text.startsWith(`HTTP/1.1 ${status} ${reason}\r\nDate: ${T0_HTTP_DATE}\r\nServer: ${SERVER_HEADER}\r\n`))
        .toBe(true);
      const [response] = parseResponses(conn.bytes());
      expect(header(response!, "Connection")).toBe("close");
      expect(latin1Text(response!.body)).toContain(`<h1>${status} ${reason}</h1>`);
      expect(response!.complete).toBe(true);
      // Lingering close: input is read and thrown away until the client has been quiet 100 ms.
      expect(conn.ended).toBe(false);
      const written = conn.writes.length;
      conn.receive(get("/time"));
      await flush();
      clock.advance(90);
      conn.receive("more bytes of the bad request");
      clock.advance(90);
      expect(conn.ended).toBe(false);
      clock.advance(10);
      expect(conn.ended).toBe(true);
      expect(conn.writes.length).toBe(written);
      expect(conn.writesAfterClose).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });
  }

  it("lingering ends after 2 s however chatty the client, and at once when it half-closes", () => {
    const chatty = connect();
    chatty.conn.receive("GET / HTTP/1.1\nHost: x\r\n\r\n");
    for (let t = 0; t < 2000; t += 60) {
      expect(chatty.conn.ended).toBe(false);
      chatty.conn.receive("x");
      chatty.clock.advance(60);
    }
    expect(chatty.conn.ended).toBe(true);
    const quiet = connect();
    quiet.conn.receive("GET / HTTP/1.1\nHost: x\r\n\r\n");
    quiet.conn.peerEnd();
    expect(quiet.conn.ended).toBe(true);
    expect(quiet.clock.pendingTimers).toBe(0);
  });

  it("Connection: close with another request already behind it: one answer, then linger and close", async () => {
    const { conn, clock } = connect({ files: FILES });
    conn.receive(`${get("/a.txt", "Connection: close\r\n")}${get("/time")}`);
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([200]);
    expect(conn.ended).toBe(false);
    clock.advance(100);
    expect(conn.ended).toBe(true);
    expect(parseResponses(conn.bytes())).toHaveLength(1);
  });

  it("a client that asked to close and sent nothing more is closed without lingering", async () => {
    const { conn } = connect({ files: FILES });
    conn.receive(get("/a.txt", "Connection: close\r\n"));
    await flush();
    expect(conn.ended).toBe(true);
  });

  it("answers the good requests before a bad one in the same chunk, in order", async () => {
    const { conn, clock } = connect({ files: FILES });
    conn.receive(`${get("/a.txt")}${get("/time")}GET / HTTP/1.1\nHost: test\r\n\r\n`);
    await flush();
    const responses = parseResponses(conn.bytes());
    expect(responses.map((r) => r.status)).toEqual([200, 200, 400]);
    expect(latin1Text(responses[0]!.body)).toBe("alpha\n");
    clock.advance(100); // the lingering close
    expect(conn.ended).toBe(true);
  });
});

describe("HttpConnection: failing handlers", () => {
  function harness() {
    return connect({
      files: FILES,
      handle: (router) => (head, client) => {
        if (head.target === "/throw") throw new Error("boom");
        if (head.target === "/reject") return Promise.reject(new Error("nope"));
        if (head.target === "/throw-string") throw "plain";
        return router(head, client);
      },
    });
  }

  it("turns a throwing handler into a 500, logs it, and keeps the connection usable", async () => {
    const { conn, errors } = harness();
    conn.receive(get("/throw"));
    const [first] = parseResponses(conn.bytes());
    expect(first!.status).toBe(500);
    expect(header(first!, "Connection")).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^sundial: 500 for GET \/throw: Error: boom/);
    conn.receive(get("/a.txt"));
    await flush();
    const responses = parseResponses(conn.bytes());
    expect(responses.map((r) => r.status)).toEqual([500, 200]);
    expect(conn.ended).toBe(false);
  });

  it("turns a rejected promise into a 500 and carries on with the next pipelined request", async () => {
    const { conn, errors } = harness();
    conn.receive(get("/reject") + get("/throw-string") + get("/a.txt"));
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(errors).toEqual([
      expect.stringMatching(/^sundial: 500 for GET \/reject: Error: nope/),
      "sundial: 500 for GET /throw-string: plain",
    ]);
    expect(conn.ended).toBe(false);
    expect(conn.destroyed).toBe(false);
  });

  it("aborts (no partial response) when a file shrinks below its stated size", async () => {
    const fs = new FakeFileSystem(FILES);
    const short: HttpResponse = {
      status: 200,
      headers: [],
      body: { kind: "file", open: () => fs.open("/srv/a.txt"), start: 0, end: 60 },
    };
    const { conn, errors } = connect({ fs, handle: () => () => short });
    conn.receive(get("/a.txt"));
    await flush();
    expect(conn.writes).toHaveLength(0);
    expect(conn.destroyed).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe("HttpConnection: persistence", () => {
  it("HTTP/1.0 without keep-alive: answered with Connection: close, then ended", async () => {
    const { conn, clock } = connect({ files: FILES });
    conn.receive("GET /a.txt HTTP/1.0\r\n\r\n");
    await flush();
    const [response] = parseResponses(conn.bytes());
    expect(response!.status).toBe(200);
    expect(header(response!, "Connection")).toBe("close");
    expect(latin1Text(response!.body)).toBe("alpha\n");
    expect(conn.ended).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("HTTP/1.0 with Connection: keep-alive: told so, and the connection stays open", async () => {
    const { conn, clock } = connect({ files: FILES });
    conn.receive("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    await flush();
    const [response] = parseResponses(conn.bytes());
    expect(header(response!, "Connection")).toBe("keep-alive");
    expect(conn.ended).toBe(false);
    expect(clock.pendingTimers).toBe(1); // the idle timer
    conn.receive("GET /time HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([200, 200]);
  });

  it("HTTP/1.1 with Connection: close: answered with Connection: close, then ended", () => {
    const { conn } = connect();
    conn.receive(get("/time", "Connection: close\r\n"));
    expect(header(parseResponses(conn.bytes())[0]!, "Connection")).toBe("close");
    expect(conn.ended).toBe(true);
  });

  it("peerEnd after a complete request: the response is written, then the connection ends", async () => {
    const { conn, closedCalls } = bareConnection({ files: FILES });
    conn.receive(get("/a.txt") + get("/time"));
    conn.peerEnd();
    expect(conn.ended).toBe(false); // the file is still being looked up
    await flush();
    const responses = parseResponses(conn.bytes());
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(latin1Text(responses[0]!.body)).toBe("alpha\n");
    expect(conn.ended).toBe(true);
    expect(conn.writesAfterClose).toBe(0);
    await flush();
    expect(closedCalls()).toBe(1);
  });

  it("peerEnd in the middle of a request head: closes without answering", () => {
    const { conn } = connect();
    conn.receive("GET /time HTTP/1.1\r\nHo");
    conn.peerEnd();
    expect(conn.writes).toHaveLength(0);
    expect(conn.ended).toBe(true);
  });

  it("while the server is closing: the response says Connection: close and the connection ends", async () => {
    // A head still arriving when the shutdown begins is not idle: it is answered, then closed.
    const { conn, shutdown } = connect();
    conn.receive("GET /time HTTP/1.1\r\n");
    await shutdown();
    expect(conn.ended).toBe(false);
    conn.receive("Host: test\r\n\r\n");
    expect(header(parseResponses(conn.bytes())[0]!, "Connection")).toBe("close");
    expect(conn.ended).toBe(true);
  });

  it("shutdown ends an idle connection at once and a busy one not before its response", async () => {
    const { conn, fs, accept, shutdown } = connect({ files: FILES });
    const idle = accept();
    const release = fs.holdReads();
    conn.receive(get("/a.txt"));
    await shutdown();
    expect([conn.ended, conn.writes.length]).toEqual([false, 0]); // still reading the file
    expect(idle.ended).toBe(true);
    expect(idle.writes).toHaveLength(0);
    release();
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => [r.status, header(r, "Connection")])).toEqual([[200, "close"]]);
    expect(conn.ended).toBe(true);
  });

  it("calls onClosed exactly once, however the connection closes", async () => {
    const { conn, http, closedCalls } = bareConnection();
    conn.receive(get("/time", "Connection: close\r\n"));
    http.destroy();
    conn.peerClose();
    await flush();
    expect(closedCalls()).toBe(1);
  });
});
