import type { RequestHead } from "./parser/request-head.ts";

/**
 * Reading any request field by name, for apps (the public API): names are matched in lower case
 * (the parser lower-cases them). A field sent on several lines is one list (RFC 9110 §5.3). The
 * core itself reads the fields it knows from their slots (head.fields, request-fields.ts).
 */

/** The first line's value of a field, or undefined when absent (for singleton fields: Range, Accept in our use). */
export function headerValue(head: RequestHead, name: string): string | undefined {
  const fields = head.headers;
  for (let i = 0; i < fields.length; i++) if (fields[i]![0] === name) return fields[i]![1];
  return undefined;
}

/** Every line of a field joined with ", " (RFC 9110 §5.3), or undefined when absent. */
export function joinedHeaderValue(head: RequestHead, name: string): string | undefined {
  const fields = head.headers;
  let joined: string | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field[0] === name) joined = joined === undefined ? field[1] : `${joined}, ${field[1]}`;
  }
  return joined;
}
