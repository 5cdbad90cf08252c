import type { HttpErrorCode } from "../../src/http/http-error.ts";
import { DEFAULT_LIMITS, type HttpLimits } from "../../src/http/limits.ts";
import type { RequestHead } from "../../src/http/parser/request-head.ts";
import { type ParserOptions, RequestParser } from "../../src/http/parser/request-parser.ts";

/** Latin-1 encode: one byte per char (fake-ports.ts's latin1Bytes, under the name the parser tests use). */
export { latin1Bytes as bytes } from "./fake-ports.ts";

/** Everything a parser said about an input. */
export interface ParseOutcome {
  readonly requests: ReadonlyArray<{ readonly head: RequestHead; readonly bodyUnread: boolean }>;
  /** The error's code (which implies its status, HTTP_ERRORS), or null. */
  readonly error: HttpErrorCode | null;
  readonly inRequest: boolean;
  /** Calls of next() made; bounded by the input's length, or the parser would be looping. */
  readonly calls: number;
}

/** Feeds the pieces in order, draining next() after each, until an error. */
export function feedAll(
  pieces: readonly Uint8Array[],
  limits: HttpLimits = DEFAULT_LIMITS,
  options: ParserOptions = {},
): ParseOutcome {
  const parser = new RequestParser(limits, options);
  const requests: Array<{ head: RequestHead; bodyUnread: boolean }> = [];
  let calls = 0;
  for (const piece of pieces) {
    parser.feed(piece);
    for (;;) {
      calls++;
      const result = parser.next();
      if (result.kind === "incomplete") break;
      if (result.kind === "failed") return { requests, error: result.error.code, inRequest: parser.inRequest, calls };
      requests.push({ head: result.head, bodyUnread: result.bodyUnread });
    }
  }
  return { requests, error: null, inRequest: parser.inRequest, calls };
}

/**
 * What a split of the input may change (src/http/parser/request-parser.ts): only whether a body
 * arrives with its head. Returns null when `part` (the input fed in pieces) relates to `whole`
 * (the same input fed at once) as it must, else what is wrong. Either the two are the same, or
 * the split cut the outcome short: a body came after its head, so that request was handed out
 * bodyUnread with the same head as whole-fed, every request before it the same, and nothing
 * after it (no error, no request in progress). Whole-fed, that request is either complete or its
 * body holds the error whole-fed reports.
 */
export function splitMismatch(part: ParseOutcome, whole: ParseOutcome): string | null {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const n = part.requests.length;
  const last = part.requests[n - 1];
  const cutShort = last?.bodyUnread === true && whole.requests[n - 1]?.bodyUnread !== true;
  if (!cutShort) {
    const a = { requests: part.requests, error: part.error, inRequest: part.inRequest };
    const b = { requests: whole.requests, error: whole.error, inRequest: whole.inRequest };
    return same(a, b) ? null : `differs: ${JSON.stringify(a).slice(0, 400)} vs ${JSON.stringify(b).slice(0, 400)}`;
  }
  if (!same(part.requests.slice(0, n - 1), whole.requests.slice(0, n - 1))) return "a request before the cut differs";
  if (part.error !== null || part.inRequest) return "something after the request handed out unread";
  const counterpart = whole.requests[n - 1];
  if (counterpart !== undefined) {
    return same(counterpart.head, last!.head) ? null : "the request cut short has another head";
  }
  // Whole-fed, this request's body held an error (its head parsed the same, or the split would not matter).
  return whole.requests.length === n - 1 && whole.error !== null
    ? null
    : "a request handed out that whole-fed does not have";
}
