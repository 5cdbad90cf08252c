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
  // An upload form's body (RFC 7578 §4.1); several lines make a value with two boundaries, refused.
  "content-type": { rule: "joined" },
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
export type RequestFields = { readonly [Name in KnownField]: string | undefined };

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
    "content-type": undefined,
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
export function fillField(fields: RequestFields, name: string, value: string): Duplicate | null {
  // One case per REQUEST_FIELDS entry, so each store is to a known property (a keyed store by a
  // name read off the wire costs more); request-fields.test.ts checks the cases against the table.
  const f = fields as { -readonly [Name in KnownField]: string | undefined };
  switch (name) {
    case "host":
      if (f.host !== undefined) return "DUPLICATE_HOST";
      f.host = value;
      break;
    case "content-length":
      if (f["content-length"] !== undefined) return "UNEXPECTED_CONTENT_LENGTH";
      f["content-length"] = value;
      break;
    case "transfer-encoding":
      f["transfer-encoding"] = joined(f["transfer-encoding"], value);
      break;
    case "connection":
      f.connection = joined(f.connection, value);
      break;
    case "accept-encoding":
      f["accept-encoding"] = joined(f["accept-encoding"], value);
      break;
    case "range":
      f.range ??= value;
      break;
    case "if-match":
      f["if-match"] = joined(f["if-match"], value);
      break;
    case "if-none-match":
      f["if-none-match"] = joined(f["if-none-match"], value);
      break;
    case "if-modified-since":
      f["if-modified-since"] = joined(f["if-modified-since"], value);
      break;
    case "if-unmodified-since":
      f["if-unmodified-since"] = joined(f["if-unmodified-since"], value);
      break;
    case "if-range":
      f["if-range"] = joined(f["if-range"], value);
      break;
    case "content-type":
      f["content-type"] = joined(f["content-type"], value);
      break;
    case "accept":
      f.accept ??= value;
      break;
    case "origin":
      f.origin ??= value;
      break;
    case "access-control-request-method":
      f["access-control-request-method"] ??= value;
      break;
    case "access-control-request-headers":
      f["access-control-request-headers"] ??= value;
      break;
    case "referer":
      f.referer ??= value;
      break;
    case "user-agent":
      f["user-agent"] ??= value;
      break;
  }
  return null;
}

/** The code a second line of a unique field is refused with. */
type Duplicate = (typeof REQUEST_FIELDS)["host" | "content-length"]["duplicate"];

/** RFC 9110 §5.3: the lines of a list field, combined in order with ", ". */
function joined(previous: string | undefined, value: string): string {
  return previous === undefined ? value : `${previous}, ${value}`;
}

/** The slots for a header list built outside the parser (duplicates of unique fields: the first line). */
export function requestFields(headers: ReadonlyArray<readonly [string, string]>): RequestFields {
  const fields = emptyFields();
  for (const [name, value] of headers) fillField(fields, name, value);
  return fields;
}
