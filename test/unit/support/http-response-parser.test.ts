/** The tests' one response reader (test/support/http-response-parser.ts): what it reads, and that it refuses what a server must not send. */
import { describe, expect, it } from "vitest";
import { hasResponses, parseFieldBlock, parseResponses } from "../../support/http-response-parser.ts";

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");
const parse = (text: string, options?: Parameters<typeof parseResponses>[1]) => parseResponses(bytes(text), options);

describe("http-response-parser: framing", () => {
  it("reads the status line, the fields with repeats kept in order, and a Content-Length body", () => {
    const [response, ...rest] = parse(
      "HTTP/1.1 200 OK\r\nVary: Accept\r\nContent-Length: 5\r\nvary: Origin\r\n\r\nhello",
    );
    expect(rest).toEqual([]);
    expect([response!.version, response!.status, response!.reason, response!.framing, response!.complete]).toEqual([
      "1.1",
      200,
      "OK",
      "content-length",
      true,
    ]);
    expect(response!.headers.lines).toEqual([["Vary", "Accept"], ["Content-Length", "5"], ["vary", "Origin"]]);
    expect(response!.headers.all("VARY")).toEqual(["Accept", "Origin"]);
    expect(response!.headers.get("vary")).toBe("Accept, Origin");
    expect(response!.headers.get("etag")).toBeUndefined();
    expect(response!.head).toBe("HTTP/1.1 200 OK\r\nVary: Accept\r\nContent-Length: 5\r\nvary: Origin\r\n\r\n");
    expect(response!.body.toString()).toBe("hello");
  });

  it("splits pipelined responses; HEAD (by position), 204 and 304 end at their head", () => {
    const text = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n" +
      "HTTP/1.1 204 No Content\r\n\r\n" +
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 40\r\n\r\n" +
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
    const responses = parse(text, { heads: [true] });
    expect(responses.map((r) => [r.status, r.framing, r.body.toString()])).toEqual([
      [200, "none", ""],
      [204, "none", ""],
      [304, "none", ""],
      [200, "content-length", "hi"],
    ]);
  });

  it("decodes chunked bodies, keeping the chunks, extensions skipped, and the trailers", () => {
    const text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
      '5;name=value\r\nhello\r\n1 ; q="a b"\r\n \r\n6\r\nworld!\r\n0\r\nChecksum: abc\r\n\r\n' +
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    const [chunked, next] = parse(text);
    expect(chunked!.framing).toBe("chunked");
    expect(chunked!.body.toString()).toBe("hello world!");
    expect(chunked!.chunks.map((c) => c.toString())).toEqual(["hello", " ", "world!"]);
    expect(chunked!.trailers.get("checksum")).toBe("abc");
    expect(chunked!.complete).toBe(true);
    expect(next!.status).toBe(404);
  });

  it("a body with neither field runs to the close: complete only once the stream ended", () => {
    const text = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nretry: 1000\n\ndata: x\n\n";
    expect(parse(text)[0]!.complete).toBe(false);
    const [response] = parse(text, { ended: true });
    expect([response!.framing, response!.complete, response!.body.toString()]).toEqual([
      "close",
      true,
      "retry: 1000\n\ndata: x\n\n",
    ]);
    // A coding other than chunked last: also delimited by the close (RFC 9112 §6.3).
    expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", { ended: true })[0]!.framing).toBe("close");
  });

  it("1xx interim responses belong to the final response after them", () => {
    const responses = parse(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
    );
    expect(responses).toHaveLength(1);
    expect(responses[0]!.interim.map((r) => r.status)).toEqual([100, 103]);
    expect(responses[0]!.body.toString()).toBe("x");
    // HEAD positions count final responses only.
    expect(
      parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", { heads: [true] })[0]!
        .complete,
    ).toBe(true);
  });

  it("a body cut short is the last response, incomplete; a head cut short throws", () => {
    const [cut] = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    expect([cut!.complete, cut!.body.toString()]).toEqual([false, "abc"]);
    const [chunks] = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\nde");
    expect([chunks!.complete, chunks!.body.toString()]).toEqual([false, "abcde"]);
    expect(() => parse("HTTP/1.1 200 OK\r\nContent-Le")).toThrow(/end inside a response head/);
    expect(() => parse("HTTP/1.1 100 Continue\r\n\r\n")).toThrow(/after a 1xx/);
    expect(parse("")).toEqual([]);
  });

  it("hasResponses waits for complete final responses, and stops waiting on malformed bytes", () => {
    const two = hasResponses(2);
    const first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    expect(two(bytes(first))).toBe(false);
    expect(two(bytes(`${first}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\no`))).toBe(false);
    expect(two(bytes(`${first}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok`))).toBe(true);
    expect(two(bytes(`${first}HTTP/1.1 200 OK\r\nContent`))).toBe(false);
    expect(two(bytes(`${first}garbage\r\n\r\n`))).toBe(true);
  });
});

describe("http-response-parser: what a server must not send throws", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["no reason-phrase separator", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"],
    ["another version", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"],
    ["a two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"],
    ["a bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"],
    ["a bare CR", "HTTP/1.1 200 OK\r\nX-A: b\rc\r\nContent-Length: 0\r\n\r\n"],
    ["space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"],
    ["a line without a colon", "HTTP/1.1 200 OK\r\nContent-Length 0\r\n\r\n"],
    ["obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n"],
    ["a control character in a value", "HTTP/1.1 200 OK\r\nX-A: b\x00c\r\nContent-Length: 0\r\n\r\n"],
    ["two Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"],
    ["a Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx"],
    ["a negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"],
    [
      "Content-Length with Transfer-Encoding",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ],
    ["chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"],
    ["chunked not last", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"],
    ["Content-Length on a 204", "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"],
    ["Transfer-Encoding on a 1xx", "HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\n"],
    ["a bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
    ["chunk data too long", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"],
    ["a malformed trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n"],
    ["bytes after a response that are no response", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy\r\n\r\n"],
  ];
  it.each(cases)("%s", (_name, text) => {
    expect(() => parse(text, { ended: true })).toThrow();
  });

  it("parseFieldBlock reads a part's field lines as strictly", () => {
    expect(parseFieldBlock("Content-Type: text/plain\r\nContent-Range: bytes 0-1/2\r\n").get("content-range")).toBe(
      "bytes 0-1/2",
    );
    expect(parseFieldBlock("").lines).toEqual([]);
    expect(() => parseFieldBlock("Content-Type : x\r\n")).toThrow();
    expect(() => parseFieldBlock("Content-Type: x")).toThrow();
  });
});
