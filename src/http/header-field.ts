import type { RequestHead } from "./parser/request-head.ts";

/**
 * The one way the core reads a request's header fields. Names are matched in lower case (the
 * parser lower-cases them). A field sent on several lines is one list (RFC 9110 §5.3).
 */

/** The first line's value of a field, or undefined when absent (for singleton fields: Range, Accept in our use). */
export function headerValue(head: RequestHead, name: string): string | undefined {
  for (const [n, v] of head.headers) if (n === name) return v;
  return undefined;
}

/** Every line of a field joined with ", " (RFC 9110 §5.3), or undefined when absent. */
export function joinedHeaderValue(head: RequestHead, name: string): string | undefined {
  let joined: string | undefined;
  for (const [n, v] of head.headers) {
    if (n === name) joined = joined === undefined ? v : `${joined}, ${v}`;
  }
  return joined;
}
