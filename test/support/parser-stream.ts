import type { HttpErrorCode } from "../../src/http/http-error.ts";
import { DEFAULT_LIMITS, type HttpLimits } from "../../src/http/limits.ts";
import type { RequestHead } from "../../src/http/parser/request-head.ts";
import { RequestParser } from "../../src/http/parser/request-parser.ts";
import type { ParseOutcome } from "./parse-outcome.ts";

/** One request as a streaming parser gave it: its head, then its body's bytes (latin-1) and whether it ended. */
export interface StreamedRequest {
  readonly head: RequestHead;
  readonly body: "none" | "stream";
  readonly data: string;
  readonly ended: boolean;
}

/** Everything a parser with streamBodies said about an input. */
export interface StreamOutcome {
  readonly requests: readonly StreamedRequest[];
  readonly error: HttpErrorCode | null;
  readonly inRequest: boolean;
  /** Calls of next() made; bounded by the input's length, or the parser would be looping. */
  readonly calls: number;
}

function latin1(data: Uint8Array): string {
  let out = "";
  for (let at = 0; at < data.length; at += 8192) out += String.fromCharCode(...data.subarray(at, at + 8192));
  return out;
}

/**
 * Feeds the pieces in order to a parser with streamBodies, draining next() after each, until an
 * error. Throws where the results break their contract: a body part outside a streamed body, an
 * empty one, a body end without a body, a request before the previous body ended.
 */
export function streamAll(pieces: readonly Uint8Array[], limits: HttpLimits = DEFAULT_LIMITS): StreamOutcome {
  const parser = new RequestParser(limits, { streamBodies: true });
  const requests: Array<{ head: RequestHead; body: "none" | "stream"; data: string; ended: boolean }> = [];
  let calls = 0;
  const open = (): { data: string; ended: boolean } | undefined => {
    const last = requests[requests.length - 1];
    return last?.body === "stream" && !last.ended ? last : undefined;
  };
  for (const piece of pieces) {
    parser.feed(piece);
    for (;;) {
      calls++;
      const result = parser.next();
      if (result.kind === "incomplete") break;
      if (result.kind === "failed") return { requests, error: result.error.code, inRequest: parser.inRequest, calls };
      const body = open();
      if (result.kind === "request") {
        if (body !== undefined) throw new Error("a request before the previous body ended");
        if (result.bodyUnread) throw new Error("bodyUnread while streaming");
        if ((result.body === "stream") !== (result.head.body.kind !== "none")) {
          throw new Error("body field and framing disagree");
        }
        requests.push({ head: result.head, body: result.body, data: "", ended: result.body === "none" });
      } else if (body === undefined) {
        throw new Error(`${result.kind} outside a body`);
      } else if (result.kind === "body") {
        if (result.data.length === 0) throw new Error("an empty body part");
        if (!parser.inBody) throw new Error("a body part while not inBody");
        body.data += latin1(result.data);
      } else {
        body.ended = true;
      }
    }
  }
  return { requests, error: null, inRequest: parser.inRequest, calls };
}

/** What a streaming outcome must share with one of every split: everything but the count of calls. */
export function streamSignature(outcome: StreamOutcome): string {
  const { calls: _calls, ...rest } = outcome;
  return JSON.stringify(rest);
}

/**
 * How streaming relates to reading bodies to their end (readBodies), for the same input: the
 * same error and in-progress state, and the requests whose bodies ended are the requests read;
 * only the last streamed request may be unended (its body incomplete or defective). Where
 * reading stops at Expect: 100-continue (bodyUnread), only the requests up to it are compared.
 */
export function streamMismatch(stream: StreamOutcome, read: ParseOutcome): string | null {
  const heads = (requests: ReadonlyArray<{ readonly head: RequestHead }>): string =>
    JSON.stringify(requests.map((r) => r.head));
  const unread = read.requests.findIndex((r) => r.bodyUnread);
  if (unread >= 0) {
    const n = unread + 1;
    return heads(stream.requests.slice(0, n)) === heads(read.requests.slice(0, n))
      ? null
      : "requests up to Expect differ";
  }
  const ended = stream.requests.filter((r) => r.ended);
  if (stream.requests.slice(0, -1).some((r) => !r.ended)) return "a streamed request before the last did not end";
  if (heads(ended) !== heads(read.requests)) {
    return `streamed ${heads(ended).slice(0, 300)} vs read ${heads(read.requests).slice(0, 300)}`;
  }
  if (stream.error !== read.error) return `error ${stream.error} streaming vs ${read.error} reading`;
  if (stream.inRequest !== read.inRequest) {
    return `inRequest ${stream.inRequest} streaming vs ${read.inRequest} reading`;
  }
  return null;
}
