/**
 * The request fields the core reads, each with how its lines make one value, filled once by the
 * parser (nginx's `ngx_http_headers_in[]` is the model). Callers read `head.fields[name]` and
 * never choose for themselves. Names are lower case, as the parser gives them.
 *
 * - first: the first line's value; a singleton field read as one (RFC 9110 §5.3).
 * - joined: every line's value joined with ", " (RFC 9110 §5.3). For a list field that is the
 *   list; for a date or validator field several lines make a value that does not parse, so the
 *   field is ignored, as RFC 9110 §13.1.3-§13.1.5 ask of an invalid one.
 * - unique: a second line is refused with the code given (RFC 9112 §3.2 for Host, §6.3 for
 *   Content-Length).
 *
 * Fields read only for the proxy headers (Forwarded, X-Forwarded-*, X-Real-IP) are not here:
 * forwarded.ts counts their lines and caps their length as it scans them.
 */
export const REQUEST_FIELDS = {
  // The parser's own (RFC 9112 §3.2, §6, §9.3).
  "host": { rule: "unique", duplicate: "DUPLICATE_HOST" },
  "content-length": { rule: "unique", duplicate: "UNEXPECTED_CONTENT_LENGTH" },
  "transfer-encoding": { rule: "joined" },
  "connection": { rule: "joined" },
  // Static files (RFC 9110 §12.5.3, §13.1, §14.2).
  "accept-encoding": { rule: "joined" },
  "range": { rule: "first" },
  "if-match": { rule: "joined" },
  "if-none-match": { rule: "joined" },
  "if-modified-since": { rule: "joined" },
  "if-unmodified-since": { rule: "joined" },
  "if-range": { rule: "joined" },
  // Listings and /time choose a format from the first Accept line.
  "accept": { rule: "first" },
  // CORS preflight (Fetch standard, CORS protocol).
  "origin": { rule: "first" },
  "access-control-request-method": { rule: "first" },
  "access-control-request-headers": { rule: "first" },
  // The access log.
  "referer": { rule: "first" },
  "user-agent": { rule: "first" },
} as const;

export type KnownField = keyof typeof REQUEST_FIELDS;

/** One slot per known field: its value as its rule makes it, undefined when absent. */
export type RequestFields = { [Name in KnownField]: string | undefined };

type Rule = (typeof REQUEST_FIELDS)[KnownField];

const RULES: ReadonlyMap<string, Rule> = new Map(Object.entries(REQUEST_FIELDS));

/** Every slot empty; the same shape for every request (one object literal, no keys added later). */
export function emptyFields(): RequestFields {
  return {
    "host": undefined,
    "content-length": undefined,
    "transfer-encoding": undefined,
    "connection": undefined,
    "accept-encoding": undefined,
    "range": undefined,
    "if-match": undefined,
    "if-none-match": undefined,
    "if-modified-since": undefined,
    "if-unmodified-since": undefined,
    "if-range": undefined,
    "accept": undefined,
    "origin": undefined,
    "access-control-request-method": undefined,
    "access-control-request-headers": undefined,
    "referer": undefined,
    "user-agent": undefined,
  };
}

/**
 * Puts one field line into its slot (a field not in the table is left to `head.headers`).
 * Returns the code to refuse with when a unique field comes a second time, else null.
 */
export function fillField(
  fields: RequestFields,
  name: string,
  value: string,
): (typeof REQUEST_FIELDS)["host" | "content-length"]["duplicate"] | null {
  const rule = RULES.get(name);
  if (rule === undefined) return null;
  const slot = name as KnownField;
  const previous = fields[slot];
  if (previous === undefined) fields[slot] = value;
  else if (rule.rule === "joined") fields[slot] = `${previous}, ${value}`;
  else if (rule.rule === "unique") return rule.duplicate;
  return null;
}

/** The slots for a header list built outside the parser (duplicates of unique fields: the first line). */
export function requestFields(headers: ReadonlyArray<readonly [string, string]>): RequestFields {
  const fields = emptyFields();
  for (const [name, value] of headers) fillField(fields, name, value);
  return fields;
}
