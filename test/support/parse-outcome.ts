import { DEFAULT_LIMITS, type HttpLimits } from "../../src/http/limits.ts";
import type { RequestHead } from "../../src/http/request-head.ts";
import { RequestParser } from "../../src/http/request-parser.ts";

/** Latin-1 encode: one byte per char. */
export function bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new Error(`not latin-1 at ${i}`);
    out[i] = c;
  }
  return out;
}

/** Everything a parser said about an input. */
export interface ParseOutcome {
  readonly requests: ReadonlyArray<{ readonly head: RequestHead; readonly bodyUnread: boolean }>;
  readonly error: number | null;
  readonly inRequest: boolean;
  /** Calls of next() made; bounded by the input's length, or the parser would be looping. */
  readonly calls: number;
}

/** Feeds the pieces in order, draining next() after each, until an error. */
export function feedAll(pieces: readonly Uint8Array[], limits: HttpLimits = DEFAULT_LIMITS): ParseOutcome {
  const parser = new RequestParser(limits);
  const requests: Array<{ head: RequestHead; bodyUnread: boolean }> = [];
  let calls = 0;
  for (const piece of pieces) {
    parser.feed(piece);
    for (;;) {
      calls++;
      const result = parser.next();
      if (result.kind === "incomplete") break;
      if (result.kind === "error") return { requests, error: result.error.status, inRequest: parser.inRequest, calls };
      requests.push({ head: result.head, bodyUnread: result.bodyUnread });
    }
  }
  return { requests, error: null, inRequest: parser.inRequest, calls };
}
