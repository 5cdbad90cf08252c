import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type HttpLimits } from "../../../../src/http/limits.ts";
import type { RequestHead } from "../../../../src/http/parser/request-head.ts";
import { type ParseResult, type ParserOptions, RequestParser } from "../../../../src/http/parser/request-parser.ts";
import { bytes, feedAll, splitMismatch } from "../../../support/parse-outcome.ts";
import { streamAll, streamMismatch, streamSignature } from "../../../support/parser-stream.ts";
import type { HttpErrorCode } from "../../../../src/http/http-error.ts";
import { type ExpectedRequest, PARSER_VECTORS, type ParserVector } from "./parser-vectors.ts";

interface Outcome {
  readonly requests: ExpectedRequest[];
  readonly error: HttpErrorCode | null;
  readonly inRequest: boolean;
}

function summary(head: RequestHead): ExpectedRequest {
  return { method: head.method, target: head.target, version: head.version, headers: head.headers };
}

const READ_BODIES: ParserOptions = { readBodies: true };

/** Feeds the pieces in order, draining next() after each, until an error. */
function run(pieces: readonly Uint8Array[], limits: HttpLimits = DEFAULT_LIMITS, options: ParserOptions = {}): Outcome {
  const outcome = feedAll(pieces, limits, options);
  return { requests: outcome.requests.map((r) => summary(r.head)), error: outcome.error, inRequest: outcome.inRequest };
}

const whole = (input: Uint8Array, options: ParserOptions = {}): Outcome => run([input], DEFAULT_LIMITS, options);
const bytewise = (input: Uint8Array): Uint8Array[] =>
  Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
const byteByByte = (input: Uint8Array, options: ParserOptions = {}): Outcome =>
  run(bytewise(input), DEFAULT_LIMITS, options);

/** Split points: all of them for short inputs, a spread plus both ends for long ones. */
function splitPoints(length: number): number[] {
  if (length <= 4096) return Array.from({ length: length + 1 }, (_, i) => i);
  const points = new Set<number>();
  const stride = Math.ceil(length / 600);
  for (let i = 0; i <= length; i += stride) points.add(i);
  for (let i = 0; i <= 64; i++) {
    points.add(i);
    points.add(length - i);
  }
  return [...points].sort((a, b) => a - b);
}

/** A compact, comparable rendering of an outcome (long strings shortened, so diffs stay readable). */
function signature(outcome: Outcome): string {
  const short = (s: string): string => (s.length <= 64 ? s : `${s.slice(0, 32)}…(${s.length} chars)`);
  const requests = outcome.requests.map((r) => {
    const headers = (r.headers ?? []).map(([n, v]) => `${n}=${short(v)}`).join("; ");
    return `${r.method} ${short(r.target)} HTTP/${r.version} [${headers}]`;
  });
  return [...requests, `error=${outcome.error} inRequest=${outcome.inRequest}`].join("\n");
}

/** What the vector says, in the shape of an Outcome (headers only where the vector gives them). */
function checkOutcome(vector: ParserVector, outcome: Outcome): void {
  const got = outcome.requests.map((r, i) => {
    const want = "requests" in vector.expect ? vector.expect.requests[i] : undefined;
    return want?.headers === undefined ? { method: r.method, target: r.target, version: r.version } : r;
  });
  if ("requests" in vector.expect) {
    expect(outcome.error).toBeNull();
    expect(got).toEqual(vector.expect.requests);
  } else {
    expect(outcome.error).toBe(vector.expect.error);
    expect(outcome.requests.length).toBe(vector.expect.after ?? 0);
  }
}

describe("request parser vectors", () => {
  for (const vector of PARSER_VECTORS) {
    describe(vector.name, () => {
      const input = bytes(vector.input);
      it("fed whole", () => {
        checkOutcome(vector, whole(input));
      });
      it("split in two at every byte: the same, or the same cut short where a body comes after its head", () => {
        const reference = feedAll([input]);
        for (const at of splitPoints(input.length)) {
          const outcome = feedAll([input.subarray(0, at), input.subarray(at)]);
          expect(splitMismatch(outcome, reference), `split at ${at}`).toBeNull();
        }
      });
      it("fed byte by byte: the same, or the same cut short at the first body", () => {
        expect(splitMismatch(feedAll(bytewise(input)), feedAll([input]))).toBeNull();
      });
      it("reading bodies to their end: the same for every split", () => {
        const reference = signature(whole(input, READ_BODIES));
        for (const at of splitPoints(input.length)) {
          const outcome = run([input.subarray(0, at), input.subarray(at)], DEFAULT_LIMITS, READ_BODIES);
          expect(signature(outcome), `split at ${at}`).toBe(reference);
        }
        expect(signature(byteByByte(input, READ_BODIES))).toBe(reference);
      });
      it("streaming bodies: the same requests, body ends, errors and body bytes for every split", () => {
        const whole = streamAll([input]);
        expect(streamMismatch(whole, feedAll([input], DEFAULT_LIMITS, READ_BODIES))).toBeNull();
        if (vector.bodies !== undefined) expect(whole.requests.map((r) => r.data)).toEqual(vector.bodies);
        const reference = streamSignature(whole);
        for (const at of splitPoints(input.length)) {
          expect(streamSignature(streamAll([input.subarray(0, at), input.subarray(at)])), `split at ${at}`).toBe(
            reference,
          );
        }
        expect(streamSignature(streamAll(bytewise(input)))).toBe(reference);
      });
    });
  }
});

function parse(text: string): { parser: RequestParser; results: ParseResult[] } {
  const parser = new RequestParser(DEFAULT_LIMITS);
  parser.feed(bytes(text));
  const results: ParseResult[] = [];
  for (;;) {
    const result = parser.next();
    if (result.kind === "incomplete") break;
    results.push(result);
    if (result.kind === "failed") break;
  }
  return { parser, results };
}

function onlyHead(text: string): RequestHead {
  const { results } = parse(text);
  expect(results).toHaveLength(1);
  const first = results[0];
  if (first?.kind !== "request") throw new Error(`expected a request, got ${JSON.stringify(first)}`);
  return first.head;
}

describe("keep-alive (RFC 9112 §9.3)", () => {
  it("HTTP/1.1 persists by default", () => {
    expect(onlyHead("GET / HTTP/1.1\r\nHost: a\r\n\r\n").keepAlive).toBe(true);
  });
  it("HTTP/1.0 closes by default", () => {
    expect(onlyHead("GET / HTTP/1.0\r\n\r\n").keepAlive).toBe(false);
  });
  it("HTTP/1.0 persists with Connection: keep-alive (any case, in a list)", () => {
    expect(onlyHead("GET / HTTP/1.0\r\nConnection: foo, Keep-Alive\r\n\r\n").keepAlive).toBe(true);
  });
  it("HTTP/1.1 closes with Connection: close, also with trailing HTAB and among other options", () => {
    expect(onlyHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keepAlive).toBe(false);
    expect(onlyHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\t\r\n\r\n").keepAlive).toBe(false);
    expect(onlyHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, CLOSE\r\n\r\n").keepAlive).toBe(false);
  });
  it("HTTP/1.0 with keep-alive and close closes", () => {
    expect(onlyHead("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n").keepAlive).toBe(false);
  });
});

describe("request head details", () => {
  it("exposes host and body framing", () => {
    const head = onlyHead("POST / HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 2\r\n\r\nab");
    expect(head.host).toBe("example.com:8080");
    expect(head.body).toEqual({ kind: "length", length: 2 });
    expect(head.expectContinue).toBe(false);
    const chunked = onlyHead("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    expect(chunked.body).toEqual({ kind: "chunked" });
    expect(onlyHead("GET / HTTP/1.0\r\n\r\n").host).toBeNull();
  });
  it("reports errors with llhttp-style codes", () => {
    const { results } = parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
    expect(results).toEqual([{
      kind: "failed",
      error: expect.objectContaining({ status: 400, code: "UNEXPECTED_CONTENT_LENGTH" }),
    }]);
  });
});

describe("known fields (request-fields.ts): each slot filled once, as its rule says", () => {
  it('first: the first line; joined: every line with ", "; absent: undefined', () => {
    const head = onlyHead(
      'GET / HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nIf-None-Match: "x"\r\nRange: bytes=5-\r\n' +
        'Accept-Encoding: gzip\r\nIF-NONE-MATCH: "y"\r\nAccept-Encoding: br\r\nX-Other: 1\r\n\r\n',
    );
    expect(head.fields.range).toBe("bytes=0-1");
    expect(head.fields["if-none-match"]).toBe('"x", "y"');
    expect(head.fields["accept-encoding"]).toBe("gzip, br");
    expect(head.fields.host).toBe("a");
    expect(head.fields.accept).toBeUndefined();
    expect(head.fields).not.toHaveProperty("x-other");
  });
  it('an empty value is present (""), not absent', () => {
    expect(onlyHead("GET / HTTP/1.1\r\nHost: a\r\nIf-Match:\r\n\r\n").fields["if-match"]).toBe("");
  });
  it("unique: a second Host or Content-Length line is refused with the table's code", () => {
    const codes = (text: string): unknown =>
      parse(text).results.map((r) => (r.kind === "failed" ? r.error.code : r.kind));
    expect(codes("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n")).toEqual(["DUPLICATE_HOST"]);
    expect(codes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n")).toEqual([
      "UNEXPECTED_CONTENT_LENGTH",
    ]);
  });
});

describe("Expect: 100-continue (RFC 9110 §10.1.1)", () => {
  it("hands out a request with a body at once, bodyUnread, and reads no further", () => {
    const { parser, results } = parse(
      "PUT /up HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    );
    expect(results).toHaveLength(1);
    const first = results[0];
    expect(first?.kind).toBe("request");
    if (first?.kind !== "request") return;
    expect(first.head.expectContinue).toBe(true);
    expect(first.bodyUnread).toBe(true);
    expect(parser.next()).toEqual({ kind: "incomplete" });
    parser.feed(bytes("GET /more HTTP/1.1\r\nHost: a\r\n\r\n"));
    expect(parser.next()).toEqual({ kind: "incomplete" });
  });
  it("also for a chunked body", () => {
    const { results } = parse(
      "PUT /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    expect(results).toEqual([expect.objectContaining({ kind: "request", bodyUnread: true })]);
  });
  it("a request without Expect has bodyUnread false", () => {
    const { results } = parse("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx");
    expect(results).toEqual([expect.objectContaining({ kind: "request", bodyUnread: false })]);
  });
});

describe("a body still on its way (answered first)", () => {
  it("a Content-Length body not all there: the request is handed out at once, bodyUnread, and nothing more is read", () => {
    const { parser, results } = parse("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 8192\r\n\r\nabc");
    expect(results).toEqual([expect.objectContaining({ kind: "request", bodyUnread: true })]);
    expect([parser.inRequest, parser.inBody, parser.buffered]).toEqual([false, false, 0]);
    parser.feed(bytes("x".repeat(8189) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    expect(parser.next()).toEqual({ kind: "incomplete" });
    expect(parser.buffered).toBe(0);
  });
  it("also a chunked body, even when all that is missing is the last CRLF", () => {
    const { results } = parse("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n");
    expect(results).toEqual([expect.objectContaining({ kind: "request", bodyUnread: true })]);
  });
  it("a body that arrived with its head is skipped, and the request behind it is read", () => {
    const { results } = parse(
      "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n",
    );
    expect(results.map((r) => (r.kind === "request" ? [r.head.target, r.bodyUnread] : r.kind))).toEqual([
      ["/up", false],
      ["/next", false],
    ]);
  });
  it("a defect in the part of a body already buffered is refused before the request is handed out", () => {
    expect(parse("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX").results).toEqual([
      { kind: "failed", error: expect.objectContaining({ status: 400, code: "INVALID_CHUNK_DATA" }) },
    ]);
    expect(parse("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\nab").results).toEqual([
      { kind: "failed", error: expect.objectContaining({ status: 413, code: "BODY_TOO_LARGE" }) },
    ]);
  });
  it("a Content-Length over the limit is 413 before any request, however little of the body came", () => {
    expect(parse("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n").results).toEqual([
      {
        kind: "failed",
        error: expect.objectContaining({ status: 413, code: "BODY_TOO_LARGE" }),
        // The head was whole: the access log names the request it refused.
        head: expect.objectContaining({ method: "POST", target: "/up" }),
      },
    ]);
  });
});

describe("inRequest / inBody / bodyReceived (reading bodies to their end)", () => {
  it("track a request from its first byte to the end of its body", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, READ_BODIES);
    expect([parser.inRequest, parser.inBody]).toEqual([false, false]);
    parser.feed(bytes("POST / HTTP/1.1\r\nHost: a\r\n"));
    expect(parser.next().kind).toBe("incomplete");
    expect([parser.inRequest, parser.inBody]).toEqual([true, false]);
    parser.feed(bytes("Content-Length: 4\r\n\r\nab"));
    expect(parser.next().kind).toBe("incomplete");
    expect([parser.inRequest, parser.inBody, parser.bodyReceived]).toEqual([true, true, 2]);
    parser.feed(bytes("cd"));
    expect(parser.next().kind).toBe("request");
    expect([parser.inRequest, parser.inBody]).toEqual([false, false]);
    expect(parser.buffered).toBe(0);
  });
  it("bodyReceived counts chunk framing too, and starts again with each body", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, READ_BODIES);
    parser.feed(bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nab"));
    expect(parser.next().kind).toBe("incomplete");
    expect(parser.bodyReceived).toBe(9);
    parser.feed(bytes("c\r\n0\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nx"));
    expect(parser.next().kind).toBe("request");
    expect(parser.next().kind).toBe("incomplete");
    expect(parser.bodyReceived).toBe(1);
  });
  it("a pipelined request already buffered counts as in progress", () => {
    const parser = new RequestParser(DEFAULT_LIMITS);
    parser.feed(bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n"));
    expect(parser.next().kind).toBe("request");
    expect(parser.inRequest).toBe(true);
    expect(parser.inBody).toBe(false);
    expect(parser.next().kind).toBe("incomplete");
  });
});

describe("after an error", () => {
  it("the parser stays dead: further bytes yield nothing", () => {
    const parser = new RequestParser(DEFAULT_LIMITS);
    parser.feed(bytes("GET / HTTP/1.1\nHost: a\r\n\r\n"));
    expect(parser.next()).toMatchObject({ kind: "failed", error: { status: 400, code: "INVALID_LINE_ENDING" } });
    expect(parser.next()).toEqual({ kind: "incomplete" });
    parser.feed(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    expect(parser.next()).toEqual({ kind: "incomplete" });
    expect(parser.buffered).toBe(0);
    expect(parser.inBody).toBe(false);
  });
});

describe("limits", () => {
  it("a Content-Length body of exactly 1 MiB is read and skipped", () => {
    const body = new Uint8Array(DEFAULT_LIMITS.maxBodyBytes).fill(0x41);
    const outcome = run(
      [
        bytes(`POST / HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n`),
        body,
        bytes("GET /next HTTP/1.1\r\nHost: a\r\n\r\n"),
      ],
      DEFAULT_LIMITS,
      READ_BODIES,
    );
    expect(outcome.error).toBeNull();
    expect(outcome.requests.map((r) => r.target)).toEqual(["/", "/next"]);
  });
  it("honours custom limits", () => {
    const limits: HttpLimits = { ...DEFAULT_LIMITS, maxHeaderCount: 2, maxBodyBytes: 3 };
    expect(run([bytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\n\r\n")], limits).error).toBeNull();
    expect(run([bytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n")], limits).error).toBe("HEADER_OVERFLOW");
    expect(run([bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n")], limits).error).toBe(
      "BODY_TOO_LARGE",
    );
    const trailers =
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    expect(run([bytes(trailers)], limits).error).toBe("HEADER_OVERFLOW");
  });
  it("a long body in many small pieces keeps the buffer small", () => {
    const parser = new RequestParser(DEFAULT_LIMITS, READ_BODIES);
    parser.feed(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n"));
    const piece = new Uint8Array(1000);
    for (let i = 0; i < 100; i++) {
      expect(parser.next().kind).toBe("incomplete");
      parser.feed(piece);
      expect(parser.buffered).toBeLessThanOrEqual(1000);
    }
    expect(parser.next().kind).toBe("request");
  });
});
