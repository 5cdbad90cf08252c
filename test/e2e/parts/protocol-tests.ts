import { describe, expect, it } from "vitest";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { raw, type SuiteContext } from "../context.ts";

export function protocolTests(ctx: SuiteContext): void {
  const port = (): number => ctx.server().port;

  describe("connections", () => {
    it("keeps HTTP/1.1 connections alive and answers pipelined requests in order", async () => {
      const request = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
        "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n" +
        "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
        "HEAD /time HTTP/1.1\r\nHost: x\r\n\r\n" +
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
      const heads = [false, false, false, true, false];
      const result = await rawExchange(port(), request, { until: hasResponses(5, { heads }), timeoutMs: 10_000 });
      const responses = parseResponses(result.data, { heads });
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(responses[0]!.body.toString()).toBe("AAAA");
      expect(responses[1]!.body.equals(ctx.fixture().files["big.bin"]!)).toBe(true);
      expect(responses[2]!.body.toString()).toBe("BBBBBBBB");
      expect(responses[3]!.headers.get("content-type")).toContain("application/json");
      expect(responses[4]!.body.toString()).toBe("hello world\n");
      expect(result.closed).toBe(false);
    });

    it("closes after a response when the client asks", async () => {
      const result = await rawExchange(
        port(),
        "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n",
      );
      const responses = parseResponses(result.data);
      expect(responses.length).toBe(1);
      expect(responses[0]!.headers.get("connection")).toBe("close");
      expect(result.closed).toBe(true);
    });

    it("closes HTTP/1.0 connections unless keep-alive is asked for", async () => {
      const plain = await rawExchange(port(), "GET /a.txt HTTP/1.0\r\n\r\n");
      expect(plain.closed).toBe(true);
      expect(parseResponses(plain.data)[0]!.body.toString()).toBe("AAAA");
      const kept = await rawExchange(
        port(),
        "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b.txt HTTP/1.0\r\n\r\n",
      );
      const responses = parseResponses(kept.data);
      expect(responses.map((r) => r.body.toString())).toEqual(["AAAA", "BBBBBBBB"]);
      expect(responses[0]!.headers.get("connection")).toBe("keep-alive");
      expect(kept.closed).toBe(true);
    });

    it("parses a request delivered one byte at a time", async () => {
      const result = await rawExchange(port(), "GET /hello.txt HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", {
        pieceSize: 1,
        until: hasResponses(1),
      });
      expect(parseResponses(result.data)[0]!.body.toString()).toBe("hello world\n");
    });

    it("answers what was sent before the client half-closed, then closes", async () => {
      const result = await rawExchange(
        port(),
        "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n",
        {
          endAfterWrite: true,
          timeoutMs: 10_000,
        },
      );
      const responses = parseResponses(result.data);
      expect(responses.length).toBe(2);
      expect(responses[1]!.body.length).toBe(ctx.fixture().files["big.bin"]!.length);
      expect(result.closed).toBe(true);
    });

    it("discards a request body and keeps the next request in frame", async () => {
      const body = "x".repeat(1000);
      const request = `POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
        "PUT /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: y\r\n\r\n" +
        "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n";
      const result = await rawExchange(port(), request, { until: hasResponses(3) });
      const responses = parseResponses(result.data);
      expect(responses.map((r) => r.status)).toEqual([405, 405, 200]);
      expect(responses[2]!.body.toString()).toBe("BBBBBBBB");
    });
  });

  describe("malformed requests get the right status and a closed connection", () => {
    const cases: ReadonlyArray<readonly [string, string, number]> = [
      ["bad major version", "GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505],
      ["HTTP/2 version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505],
      ["garbage version", "GET / HTPT/1.1\r\nHost: x\r\n\r\n", 400],
      ["missing Host", "GET / HTTP/1.1\r\n\r\n", 400],
      ["two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
      ["space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400],
      ["bare LF", "GET / HTTP/1.1\nHost: x\n\n", 400],
      ["obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n", 400],
      [
        "CL and TE",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
      ],
      ["unknown transfer coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501],
      ["bad Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400],
      ["long request line", `GET /${"a".repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
      ["too many headers", `GET / HTTP/1.1\r\nHost: x\r\n${"X-A: b\r\n".repeat(150)}\r\n`, 431],
      ["huge header", `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(40_000)}\r\n\r\n`, 431],
      ["body too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", 413],
      ["space in target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400],
      ["unknown method", "FROB / HTTP/1.1\r\nHost: x\r\n\r\n", 501],
    ];
    it.each(cases)("%s", async (_name, request, status) => {
      const response = await raw(ctx, request + "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(response.status).toBe(status);
      expect(response.headers.get("connection")).toBe("close");
      const again = await rawExchange(port(), request + "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(again.closed).toBe(true);
      expect(parseResponses(again.data).length).toBe(1);
    });
  });
}
