import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../../src/http/limits.ts";
import { type ParserOptions, RequestParser } from "../../../../src/http/parser/request-parser.ts";
import { latin1Bytes } from "../../../support/fake-ports.ts";
import { feedAll, splitMismatch } from "../../../support/parse-outcome.ts";
import { HTTP_ERRORS, type HttpErrorCode } from "../../../../src/http/http-error.ts";

/**
 * The shared HTTP/1.1 conformance corpus (derived from llhttp's request tests), checked at the
 * parser level: what the parser itself decides. Some refusals belong to routing (unknown
 * methods, asterisk-form for a method other than OPTIONS, userinfo in absolute-form); those
 * cases are "either" at this level and only their framing is checked.
 */

interface CorpusRequest {
  readonly method?: string;
  readonly url?: string;
  readonly version?: string;
}

interface CorpusCase {
  readonly id: string;
  readonly name: string;
  readonly expect: "accept" | "reject" | "either";
  readonly raw: string;
  readonly requests?: readonly CorpusRequest[];
  readonly after?: "keep-alive" | "close" | "open";
  readonly reject_phase?: "head" | "body";
  readonly expect_status?: readonly number[];
  /** What llhttp (strict) said about the same bytes. */
  readonly llhttp?: { readonly error?: { readonly name: string } };
}

/**
 * Our codes that name the defect llhttp names (its codes are finer about where in its state
 * machine it stopped; ours about which rule was broken). A case llhttp refuses with one of these
 * names must be refused by us with one of the codes listed: the same class of defect.
 */
const LLHTTP_COUNTERPARTS: Readonly<Record<string, readonly HttpErrorCode[]>> = {
  HPE_CR_EXPECTED: ["INVALID_LINE_ENDING"],
  HPE_LF_EXPECTED: ["INVALID_LINE_ENDING"],
  HPE_STRICT: ["INVALID_LINE_ENDING", "INVALID_CHUNK_SIZE", "INVALID_CHUNK_DATA"],
  HPE_INVALID_METHOD: ["INVALID_METHOD"],
  HPE_INVALID_URL: ["INVALID_URL"],
  HPE_INVALID_CONSTANT: ["INVALID_VERSION", "INVALID_METHOD"],
  HPE_INVALID_VERSION: ["INVALID_VERSION", "UNSUPPORTED_VERSION", "INVALID_LINE_ENDING"],
  HPE_UNEXPECTED_SPACE: ["OBS_FOLD", "INVALID_HEADER_TOKEN"],
  HPE_INVALID_HEADER_TOKEN: ["INVALID_HEADER_TOKEN", "INVALID_HEADER_VALUE", "OBS_FOLD", "INVALID_LINE_ENDING"],
  HPE_INVALID_CONTENT_LENGTH: ["INVALID_CONTENT_LENGTH", "UNEXPECTED_CONTENT_LENGTH"],
  HPE_UNEXPECTED_CONTENT_LENGTH: ["UNEXPECTED_CONTENT_LENGTH"],
  HPE_INVALID_TRANSFER_ENCODING: [
    "INVALID_TRANSFER_ENCODING",
    "UNSUPPORTED_TRANSFER_ENCODING",
    "UNEXPECTED_CONTENT_LENGTH",
  ],
  HPE_INVALID_CHUNK_SIZE: ["INVALID_CHUNK_SIZE"],
};

const CORPUS_PATH = fileURLToPath(new URL("../../../../../shared/conformance/corpus.json", import.meta.url));
const present = existsSync(CORPUS_PATH);
const cases: readonly CorpusCase[] = present
  ? (JSON.parse(readFileSync(CORPUS_PATH, "utf8")) as { cases: CorpusCase[] }).cases
  : [];

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly version: string;
}

interface Outcome {
  readonly requests: readonly Seen[];
  readonly error: HttpErrorCode | null;
}

function run(pieces: readonly Uint8Array[], options: ParserOptions = {}): Outcome {
  const parser = new RequestParser(DEFAULT_LIMITS, options);
  const requests: Seen[] = [];
  for (const piece of pieces) {
    parser.feed(piece);
    for (;;) {
      const result = parser.next();
      if (result.kind === "incomplete") break;
      if (result.kind === "failed") return { requests, error: result.error.code };
      const { method, target, version } = result.head;
      requests.push({ method, url: target, version });
    }
  }
  return { requests, error: null };
}

/** The fields the corpus gives for each expected request (some leave out method, url or version). */
function expectedFields(expected: readonly CorpusRequest[], seen: readonly Seen[]): CorpusRequest[] {
  return seen.slice(0, expected.length).map((s, i) => {
    const want = expected[i] ?? {};
    const out: { method?: string; url?: string; version?: string } = {};
    if (want.method !== undefined) out.method = s.method;
    if (want.url !== undefined) out.url = s.url;
    if (want.version !== undefined) out.version = s.version;
    return out;
  });
}

function check(c: CorpusCase, outcome: Outcome): void {
  const expected = c.requests ?? [];
  const wanted = expected.map((r) => ({
    ...(r.method === undefined ? {} : { method: r.method }),
    ...(r.url === undefined ? {} : { url: r.url }),
    ...(r.version === undefined ? {} : { version: r.version }),
  }));
  switch (c.expect) {
    case "accept":
      expect(outcome.error, "accepted without error").toBeNull();
      expect(outcome.requests).toHaveLength(expected.length);
      expect(expectedFields(expected, outcome.requests)).toEqual(wanted);
      break;
    case "reject":
      expect(outcome.error, "rejected").not.toBeNull();
      // A defect in the head is found before any request of it is handed out.
      if (c.reject_phase === "head") expect(outcome.requests).toHaveLength(0);
      if (c.expect_status !== undefined) expect(c.expect_status).toContain(HTTP_ERRORS[outcome.error!]);
      break;
    case "either": {
      // Either refused, or framed as the RFC-allowed reading requires: the requests handed out
      // before any error are the expected ones, in order.
      const n = Math.min(outcome.requests.length, expected.length);
      expect(expectedFields(expected, outcome.requests).slice(0, n)).toEqual(wanted.slice(0, n));
      if (outcome.error === null && c.after === "keep-alive") {
        expect(outcome.requests).toHaveLength(expected.length);
      }
      if (outcome.error !== null && c.expect_status !== undefined) {
        expect(c.expect_status).toContain(HTTP_ERRORS[outcome.error]);
      }
      break;
    }
  }
}

describe.skipIf(!present)("conformance corpus at the parser level", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const c of cases) {
    describe(`${c.id}: ${c.name} (${c.expect})`, () => {
      const input = latin1Bytes(c.raw);
      it("fed whole", () => {
        check(c, run([input]));
      });
      const llhttpError = c.llhttp?.error?.name;
      const counterparts = llhttpError === undefined ? undefined : LLHTTP_COUNTERPARTS[llhttpError];
      if (counterparts !== undefined) {
        it(`refused with a code for the defect llhttp names (${llhttpError})`, () => {
          const { error } = run([input]);
          // An "either" case the parser accepts is refused by routing, if at all.
          if (error !== null || c.expect !== "either") expect(counterparts).toContain(error);
        });
      }
      const bytewise = Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
      it("fed byte by byte: the same outcome, or the same cut short at a body that came after its head", () => {
        expect(splitMismatch(feedAll(bytewise), feedAll([input]))).toBeNull();
      });
      it("reading bodies to their end, fed byte by byte: the same outcome", () => {
        const outcome = run(bytewise, { readBodies: true });
        check(c, outcome);
        expect(outcome).toEqual(run([input], { readBodies: true }));
      });
    });
  }
});
