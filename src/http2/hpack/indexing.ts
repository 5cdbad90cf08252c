/**
 * How the encoder represents a field it finds in neither table: as a literal added to the dynamic
 * table (§6.2.1), a literal left out of it (§6.2.2), or a literal never indexed (§6.2.3), which
 * also tells intermediaries to keep it out of their tables.
 */
export type Indexing = "incremental" | "without" | "never";

/** Chooses the representation of a field by its name and value. */
export type IndexingPolicy = (name: string, value: string) => Indexing;

/**
 * Credentials (§7.1.3): an attacker who can add fields to a connection could guess them by watching
 * the compressed size; never indexed, also by the proxies that pass them on.
 */
const NEVER_INDEXED: ReadonlySet<string> = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/**
 * Fields whose values change from message to message (dates, lengths, validators, targets):
 * indexing them would only push out entries that repeat.
 */
const NOT_INDEXED: ReadonlySet<string> = new Set([
  ":path",
  "age",
  "content-length",
  "content-range",
  "date",
  "etag",
  "expires",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "last-modified",
  "location",
  "range",
]);

/** The encoder's default: most fields repeat on a connection (content-type, server, cache-control...). */
export function defaultIndexing(name: string): Indexing {
  if (NEVER_INDEXED.has(name)) return "never";
  return NOT_INDEXED.has(name) ? "without" : "incremental";
}
