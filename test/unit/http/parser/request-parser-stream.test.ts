/**
 * The request parser with streamBodies (the hook request bodies are handed on through): a
 * request is handed out at the end of its head, its body's bytes follow as they are decoded,
 * then its end, then the next request; the split of the input changes only how the bytes are cut.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type HttpLimits } from "../../../../src/http/limits.ts";
import { RequestParser, type StreamResult } from "../../../../src/http/parser/request-parser.ts";
import { bytes } from "../../../support/parse-outcome.ts";
import { streamAll } from "../../../support/parser-stream.ts";

const HOST = "Host: a\r\n";
const post = (framing: string, body: string): string => `POST /up HTTP/1.1\r\n${HOST}${framing}\r\n\r\n${body}`;
const length = (body: string): string => post(`Content-Length: ${body.length}`, body);
const chunked = (body: string): string => post("Transfer-Encoding: chunked", body);
const GET_NEXT = `GET /next HTTP/1.1\r\n${HOST}\r\n`;

/** What next() said, as short strings: "request /up stream", "body hello", "body-end", "error 400". */
function events(parser: RequestParser<true>): string[] {
  const out: string[] = [];
  for (;;) {
    const r: StreamResult = parser.next();
    if (r.kind === "incomplete") return out;
    if (r.kind === "request") out.push(`request ${r.head.target} ${r.body}`);
    else if (r.kind === "body") out.push(`body ${String.fromCharCode(...r.data)}`);
    else if (r.kind === "body-end") out.push("body-end");
    else return [...out, `error ${r.error.status} ${r.error.code}`];
  }
}

function streaming(text: string, limits: HttpLimits = DEFAULT_LIMITS): { parser: RequestParser<true>; seen: string[] } {
  const parser = new RequestParser(limits, { streamBodies: true });
  parser.feed(bytes(text));
  return { parser, seen: events(parser) };
}

describe("streamBodies", () => {
  it("a Content-Length body: the request, its bytes, its end", () => {
    const { parser, seen } = streaming(length("hello"));
    expect(seen).toEqual(["request /up stream", "body hello", "body-end"]);
    expect([parser.inRequest, parser.inBody, parser.buffered]).toEqual([false, false, 0]);
  });

  it("hands the request out before any of its body has arrived, then each piece as it comes", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, { streamBodies: true });
    parser.feed(bytes(post("Content-Length: 5", "")));
    expect(events(parser)).toEqual(["request /up stream"]);
    expect([parser.inRequest, parser.inBody, parser.bodyReceived]).toEqual([true, true, 0]);
    parser.feed(bytes("he"));
    expect(events(parser)).toEqual(["body he"]);
    expect(parser.bodyReceived).toBe(2);
    parser.feed(bytes("llo"));
    expect(events(parser)).toEqual(["body llo", "body-end"]);
    expect(parser.inBody).toBe(false);
  });

  it("next(maxPiece) hands a body out in pieces of at most maxPiece bytes, across chunk boundaries", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, { streamBodies: true });
    parser.feed(bytes(chunked("5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n")));
    expect(parser.next().kind).toBe("request");
    const pieces: string[] = [];
    for (let r = parser.next(2); r.kind === "body"; r = parser.next(2)) pieces.push(String.fromCharCode(...r.data));
    expect(pieces).toEqual(["he", "ll", "o", "ab", "c"]);
    expect(parser.inBody).toBe(false);
  });

  it("a request without a body has body none and no end", () => {
    expect(streaming(post("Content-Length: 0", "") + GET_NEXT).seen).toEqual([
      "request /up none",
      "request /next none",
    ]);
  });

  it("a chunked body with extensions and trailers: the decoded bytes, the end after the trailers", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, { streamBodies: true });
    parser.feed(
      bytes(chunked('5;name=value;flag\r\nhello\r\n6;q="a \\"b\\""\r\n world\r\n0;last\r\nX-Trailer: yes\r\n')),
    );
    expect(events(parser)).toEqual(["request /up stream", "body hello", "body  world"]);
    expect(parser.inBody).toBe(true);
    parser.feed(bytes("\r\n"));
    expect(events(parser)).toEqual(["body-end"]);
    expect(parser.bodyReceived).toBe(
      bytes('5;name=value;flag\r\nhello\r\n6;q="a \\"b\\""\r\n world\r\n0;last\r\nX-Trailer: yes\r\n\r\n').length,
    );
  });

  it("the pipelined request after a body is read (a body that looks like a request is only bytes)", () => {
    const smuggled = `GET /smuggled HTTP/1.1\r\nHost: evil\r\n\r\n`;
    expect(streaming(length(smuggled) + GET_NEXT).seen).toEqual([
      "request /up stream",
      `body ${smuggled}`,
      "body-end",
      "request /next none",
    ]);
    expect(streaming(chunked(`${smuggled.length.toString(16)}\r\n${smuggled}\r\n0\r\n\r\n`) + GET_NEXT).seen).toEqual([
      "request /up stream",
      `body ${smuggled}`,
      "body-end",
      "request /next none",
    ]);
  });

  it("a chunked body over maxBodyBytes (decoded bytes) is 413 mid-body, and the parser is dead after", () => {
    const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 10 };
    const { parser, seen } = streaming(
      chunked("6;ext=long-but-not-counted\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n") + GET_NEXT,
      limits,
    );
    expect(seen).toEqual(["request /up stream", "body abcdef", "error 413 BODY_TOO_LARGE"]);
    parser.feed(bytes(GET_NEXT));
    expect(parser.next()).toEqual({ kind: "incomplete" });
    expect([parser.inRequest, parser.inBody, parser.buffered]).toEqual([false, false, 0]);
  });

  it("a body of exactly maxBodyBytes is streamed", () => {
    const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 10 };
    expect(streaming(chunked("6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n"), limits).seen).toEqual([
      "request /up stream",
      "body abcdef",
      "body ghij",
      "body-end",
    ]);
  });

  it("a Content-Length over maxBodyBytes is 413 before the head is handed out", () => {
    expect(streaming(post("Content-Length: 1048577", "")).seen).toEqual(["error 413 BODY_TOO_LARGE"]);
  });

  it("errors mid-body: a bad chunk-size line, chunk data not followed by CRLF, a bad trailer, the framing budget", () => {
    expect(streaming(chunked("3\r\nabc\r\nzz\r\n")).seen).toEqual([
      "request /up stream",
      "body abc",
      "error 400 INVALID_CHUNK_SIZE",
    ]);
    expect(streaming(chunked("3\r\nabcX")).seen).toEqual([
      "request /up stream",
      "body abc",
      "error 400 INVALID_CHUNK_DATA",
    ]);
    expect(streaming(chunked("0\r\nBad Trailer: x\r\n\r\n")).seen).toEqual([
      "request /up stream",
      "error 400 INVALID_TRAILER",
    ]);
    const extensions = `1;${"e".repeat(4000)}\r\nx\r\n`.repeat(17);
    const seen = streaming(chunked(extensions)).seen;
    expect(seen.slice(-1)).toEqual(["error 413 BODY_TOO_LARGE"]);
    expect(seen.filter((e) => e === "body x")).toHaveLength(16);
  });

  it("Expect: 100-continue: the head is handed out, the body is read when it arrives, and what follows it", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, { streamBodies: true });
    parser.feed(bytes(post("Expect: 100-continue\r\nContent-Length: 5", "")));
    const first = parser.next();
    expect(first).toMatchObject({ kind: "request", bodyUnread: false, body: "stream", head: { expectContinue: true } });
    expect(parser.next()).toEqual({ kind: "incomplete" });
    parser.feed(bytes(`hello${GET_NEXT}`));
    expect(events(parser)).toEqual(["body hello", "body-end", "request /next none"]);
  });

  it("streamBodies takes precedence over readBodies", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, { streamBodies: true, readBodies: true });
    parser.feed(bytes(length("ab")));
    expect(events(parser)).toEqual(["request /up stream", "body ab", "body-end"]);
  });

  it("a body split at every byte, and fed byte by byte: the same requests, ends and bytes", () => {
    const body = 'a\r\n0123456789\r\n3;x="y"\r\n\r\n\r\r\n0\r\nX-T: 1\r\nY:\r\n\r\n';
    const input = bytes(length("hello\r\n") + chunked(body) + GET_NEXT);
    const reference = streamAll([input]);
    expect(reference.requests.map((r) => [r.head.target, r.body, r.data, r.ended])).toEqual([
      ["/up", "stream", "hello\r\n", true],
      ["/up", "stream", "0123456789\r\n\r", true],
      ["/next", "none", "", true],
    ]);
    const { calls: _, ...want } = reference;
    for (let at = 0; at <= input.length; at++) {
      const { calls, ...got } = streamAll([input.subarray(0, at), input.subarray(at)]);
      expect(got, `split at ${at}`).toEqual(want);
      expect(calls).toBeLessThanOrEqual(2 * input.length + 4);
    }
    const { calls: __, ...bytewise } = streamAll(Array.from(input, (_b, i) => input.subarray(i, i + 1)));
    expect(bytewise).toEqual(want);
  });

  it("a long body in many small pieces keeps the buffer small, each piece handed on as it comes", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, { streamBodies: true });
    parser.feed(bytes(post("Content-Length: 100000", "")));
    expect(parser.next().kind).toBe("request");
    const piece = new Uint8Array(1000).fill(0x61);
    let total = 0;
    for (let i = 0; i < 100; i++) {
      parser.feed(piece);
      const r = parser.next();
      if (r.kind !== "body") throw new Error(`expected a body part, got ${r.kind}`);
      total += r.data.length;
      expect(parser.buffered).toBe(0);
    }
    expect(total).toBe(100000);
    expect(parser.next().kind).toBe("body-end");
  });
});
