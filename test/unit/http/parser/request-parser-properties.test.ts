/**
 * Property tests of the request parser (fast-check): arbitrary bytes and mutated valid requests,
 * fed whole, in random splits and byte by byte, never throw and never loop. RFC 9112 framing does
 * not depend on TCP segmentation, so neither may the results, with one exception by design: a
 * body that arrives after its head is not waited for (its request is handed out bodyUnread and
 * nothing after it is read). So: a split that falls inside no body gives the same results as the
 * whole input; any split gives the same or the same cut short at such a request
 * (splitMismatch in ../support/parse-outcome.ts); with readBodies, every split gives the same;
 * with streamBodies, every split gives the same requests, body ends and errors, and the same body
 * bytes (test/support/parser-stream.ts), which are the bodies the requests were made with.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type HttpLimits } from "../../../../src/http/limits.ts";
import { bytes, feedAll, type ParseOutcome, splitMismatch } from "../../../support/parse-outcome.ts";
import { streamAll, streamMismatch, type StreamOutcome, streamSignature } from "../../../support/parser-stream.ts";
import { HTTP_ERRORS } from "../../../../src/http/http-error.ts";

const RUNS = 400;

/** The input cut at the given offsets (any values: they are taken modulo the length, sorted). */
function split(input: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (input.length === 0 ? 0 : c % (input.length + 1))))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    pieces.push(input.subarray(at, p));
    at = p;
  }
  pieces.push(input.subarray(at));
  return pieces;
}

function byteByByte(input: Uint8Array): Uint8Array[] {
  return Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
}

/** What must not depend on the split: every request, the error, and whether one is half-read. */
function comparable(outcome: ParseOutcome): unknown {
  return { requests: outcome.requests, error: outcome.error, inRequest: outcome.inRequest };
}

const READ_BODIES = { readBodies: true } as const;

function checkSplits(input: Uint8Array, cuts: readonly number[], limits: HttpLimits): StreamOutcome {
  const whole = feedAll([input], limits);
  expect(whole.calls).toBeLessThanOrEqual(input.length + 2);
  const pieces = split(input, cuts);
  const inPieces = feedAll(pieces, limits);
  expect(inPieces.calls).toBeLessThanOrEqual(input.length + pieces.length + 2);
  expect(splitMismatch(inPieces, whole)).toBeNull();
  if (input.length <= 1500) expect(splitMismatch(feedAll(byteByByte(input), limits), whole)).toBeNull();
  if (whole.error !== null) expect([400, 413, 414, 431, 501, 505]).toContain(HTTP_ERRORS[whole.error]);
  // Reading bodies to their end, the results do not depend on the split at all.
  const wholeRead = feedAll([input], limits, READ_BODIES);
  expect(comparable(feedAll(pieces, limits, READ_BODIES))).toEqual(comparable(wholeRead));
  if (input.length <= 1500) {
    expect(comparable(feedAll(byteByByte(input), limits, READ_BODIES))).toEqual(comparable(wholeRead));
  }
  // Streaming bodies: the same requests, ends, errors and bytes for every split, as reading them.
  const streamed = streamAll([input], limits);
  expect(streamed.calls).toBeLessThanOrEqual(2 * input.length + 2);
  expect(streamMismatch(streamed, wholeRead)).toBeNull();
  const reference = streamSignature(streamed);
  const inPiecesStreamed = streamAll(pieces, limits);
  expect(inPiecesStreamed.calls).toBeLessThanOrEqual(2 * input.length + pieces.length + 2);
  expect(streamSignature(inPiecesStreamed)).toBe(reference);
  if (input.length <= 1500) expect(streamSignature(streamAll(byteByByte(input), limits))).toBe(reference);
  return streamed;
}

/**
 * Cuts moved to the end of any body they fall in: a cut at a body's start (the end of its head)
 * up to its last byte would deliver the head without all of its body.
 */
function outside(bodies: ReadonlyArray<readonly [number, number]>, length: number, cuts: readonly number[]): number[] {
  return cuts.map((c) => {
    const at = c % (length + 1);
    return bodies.find(([start, end]) => at >= start && at < end)?.[1] ?? at;
  });
}

// ---- generators ----

const tchar = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
const pathChars = "abcdefghijklmnopqrstuvwxyz0123456789-._~/%!$&'()*+,;=:@";
const stringOf = (chars: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(""));

const method = fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW");
const target = fc.oneof(
  fc.tuple(stringOf(pathChars, 0, 30), fc.option(stringOf(pathChars + "?", 0, 20))).map(([p, q]) =>
    `/${p}${q === null ? "" : `?${q}`}`
  ),
  fc.constant("*"),
  stringOf(pathChars, 1, 20).map((p) => `http://example.com/${p}`),
);
const version = fc.constantFrom("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.9");
const fieldValue = stringOf('abcdefghijklmnopqrstuvwxyz0123456789 \t,;="/()<>@:?', 0, 24);
const field = fc.tuple(stringOf(tchar, 1, 12), fc.constantFrom("", " ", "  ", "\t"), fieldValue);
const body = fc.uint8Array({ maxLength: 120 });
const framing = fc.constantFrom("none", "length", "chunked", "chunked-ext-trailer");

const request = fc
  .record({
    method,
    target,
    version,
    fields: fc.array(field, { maxLength: 6 }),
    body,
    framing,
    chunk: fc.integer({ min: 1, max: 40 }),
  })
  .map((r) => {
    const lines = [`${r.method} ${r.target} ${r.version}`, "Host: example.com"];
    for (const [name, ows, value] of r.fields) lines.push(`${name}:${ows}${value}`);
    let payload = "";
    const bodyText = String.fromCharCode(...r.body);
    if (r.framing === "length") {
      lines.push(`Content-Length: ${r.body.length}`);
      payload = bodyText;
    } else if (r.framing.startsWith("chunked")) {
      lines.push("Transfer-Encoding: chunked");
      const ext = r.framing === "chunked-ext-trailer" ? ';name="va\\"lue";x' : "";
      for (let at = 0; at < bodyText.length; at += r.chunk) {
        const piece = bodyText.slice(at, at + r.chunk);
        payload += `${piece.length.toString(16)}${ext}\r\n${piece}\r\n`;
      }
      payload += `0${ext}\r\n${r.framing === "chunked-ext-trailer" ? "X-Trailer: yes\r\n" : ""}\r\n`;
    }
    return { head: `${lines.join("\r\n")}\r\n\r\n`, payload, decoded: r.framing === "none" ? "" : bodyText };
  });

/** Requests one after another, and where each body lies in the text. */
function pipeline(
  requests: ReadonlyArray<{ head: string; payload: string }>,
): { text: string; bodies: Array<[number, number]> } {
  let text = "";
  const bodies: Array<[number, number]> = [];
  for (const r of requests) {
    text += r.head;
    bodies.push([text.length, text.length + r.payload.length]);
    text += r.payload;
  }
  return { text, bodies };
}

type Mutation = {
  readonly kind: "insert" | "delete" | "replace" | "duplicate";
  readonly at: number;
  readonly byte: number;
  readonly length: number;
};
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("insert", "delete", "replace", "duplicate"),
  at: fc.nat(),
  // Bytes that matter to HTTP framing, and any byte.
  byte: fc.oneof(fc.constantFrom(13, 10, 32, 9, 58, 0, 0x7f, 0x80, 0xff, 48, 59, 34), fc.integer({ min: 0, max: 255 })),
  length: fc.integer({ min: 1, max: 16 }),
});

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  const out = Array.from(input);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === "insert") out.splice(at, 0, m.byte);
    else if (m.kind === "delete") out.splice(at, 1);
    else if (m.kind === "replace" && at < out.length) out[at] = m.byte;
    else if (m.kind === "duplicate") out.splice(at, 0, ...out.slice(at, at + m.length));
  }
  return Uint8Array.from(out);
}

const limits: fc.Arbitrary<HttpLimits> = fc.oneof(
  fc.constant(DEFAULT_LIMITS),
  fc.record({
    maxRequestLineBytes: fc.integer({ min: 8, max: 200 }),
    maxHeaderBytes: fc.integer({ min: 16, max: 400 }),
    maxHeaderCount: fc.integer({ min: 1, max: 8 }),
    maxBodyBytes: fc.integer({ min: 1, max: 150 }),
  }).map((l) => ({ ...DEFAULT_LIMITS, ...l })),
);
const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe("request parser properties", () => {
  it("arbitrary bytes: no throw, no loop, the same result for every split", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), cuts, limits, (input, c, l) => void checkSplits(input, c, l)),
      { numRuns: RUNS },
    );
  });

  it("arbitrary text made of HTTP's own characters", () => {
    const httpish = stringOf(
      "GET /HTTP1.0\r\n: \tHost;=chunked0123456789abcdef-Content-LengthTransfer-Encoding,",
      0,
      400,
    );
    fc.assert(fc.property(httpish, cuts, limits, (text, c, l) => void checkSplits(bytes(text), c, l)), {
      numRuns: RUNS,
    });
  });

  it("valid pipelined requests parse whole, and the same (or the same cut short at a body) in any split; streamed, their bodies", () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 3 }), cuts, (requests, c) => {
        const input = bytes(pipeline(requests).text);
        const streamed = checkSplits(input, c, DEFAULT_LIMITS);
        // Every request that parses (HTTP/2.0 and chunked HTTP/1.0 do not) has the body it was made with.
        const ended = streamed.requests.filter((r) => r.ended);
        expect(ended.map((r) => r.data)).toEqual(requests.slice(0, ended.length).map((r) => r.decoded));
      }),
      { numRuns: RUNS },
    );
  });

  it("valid pipelined requests split anywhere but inside a body: exactly the same as whole", () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 3 }), cuts, (requests, c) => {
        const { text, bodies } = pipeline(requests);
        const input = bytes(text);
        const whole = feedAll([input]);
        const pieces = split(input, outside(bodies, input.length, c));
        expect(comparable(feedAll(pieces))).toEqual(comparable(whole));
      }),
      { numRuns: RUNS },
    );
  });

  it("mutated valid requests: no throw, no loop, the same result for every split", () => {
    fc.assert(
      fc.property(
        fc.array(request, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        cuts,
        limits,
        (requests, mutations, c, l) => void checkSplits(mutate(bytes(pipeline(requests).text), mutations), c, l),
      ),
      { numRuns: RUNS },
    );
  });

  it("well-formed requests, each body arriving with its head, are all accepted, in order, with their method and target", () => {
    const origin = stringOf(pathChars, 0, 30).map((p) => `/${p}`);
    const clean = fc.record({ method, target: origin, fields: fc.array(field, { maxLength: 6 }), body });
    fc.assert(
      fc.property(fc.array(clean, { minLength: 1, maxLength: 4 }), cuts, (requests, c) => {
        const { text, bodies } = pipeline(requests.map((r) => ({
          head: [
            `${r.method} ${r.target} HTTP/1.1`,
            "Host: example.com",
            ...r.fields.map(([name, ows, value]) => `x-${name}:${ows}${value}`),
            `Content-Length: ${r.body.length}`,
            "",
            "",
          ].join("\r\n"),
          payload: String.fromCharCode(...r.body),
        })));
        const input = bytes(text);
        const outcome = feedAll(split(input, outside(bodies, input.length, c)));
        expect(outcome.error).toBeNull();
        expect(outcome.inRequest).toBe(false);
        expect(outcome.requests.map((r) => [r.head.method, r.head.target])).toEqual(
          requests.map((r) => [r.method, r.target]),
        );
      }),
      { numRuns: RUNS },
    );
  });
});
