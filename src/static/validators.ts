import { httpDate, parseHttpDate } from "../http/http-date.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { FileInfo } from "../ports/file-system.ts";

/** A file's validators (RFC 9110 §8.8), computed from its metadata alone. */
export interface Validators {
  readonly etag: string;
  readonly lastModified: string;
  /** mtime in whole seconds, ms since epoch floored to a second */
  readonly lastModifiedMs: number;
}

/**
 * ETag and Last-Modified of a file. The entity-tag comes from size and mtime (in milliseconds), as
 * nginx's does, and is strong (RFC 9110 §8.8.1): the bytes read from the file are the same for as
 * long as both are, so If-Range with it can give a 206 (§13.1.5). `suffix` tells encodings apart
 * ("br", "zstd", "gzip"): a precompressed sibling is a file of its own, strong too. A body
 * compressed on the fly is "weak": another compressor (another runtime, another instance behind
 * the same proxy) may give other bytes for the same file, as nginx weakens its gzip filter's tags.
 */
export function validatorsFor(
  info: Pick<FileInfo, "size" | "mtimeMs">,
  suffix?: string,
  strength: "strong" | "weak" = "strong",
): Validators {
  const base = `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`;
  const opaque = suffix === undefined ? base : `${base}-${suffix}`;
  return {
    etag: strength === "strong" ? `"${opaque}"` : `W/"${opaque}"`,
    // RFC 9110 §8.8.2: Last-Modified is an HTTP-date, so it has a resolution of one second.
    lastModified: httpDate(info.mtimeMs),
    lastModifiedMs: Math.floor(info.mtimeMs / 1000) * 1000,
  };
}

/** The outcome of RFC 9110 §13.2.2 for a file: carry on, answer 304, or answer 412. */
export type Precondition = "proceed" | "not-modified" | "failed";

/** RFC 9110 §13.2.2: evaluates the preconditions of a request for a file that exists. */
export function evaluatePreconditions(head: RequestHead, v: Validators): Precondition {
  const safe = head.method === "GET" || head.method === "HEAD";
  const ifMatch = head.fields["if-match"];
  if (ifMatch !== undefined) {
    // Step 1 (§13.1.1): "*" passes for an existing file; else a strong match is needed.
    if (!matchesAny(ifMatch, v.etag, strongMatch)) return "failed";
  } else {
    // Step 2 (§13.1.4): an invalid date (or a list of them) is ignored.
    const since = dateValue(head, "if-unmodified-since");
    if (since !== null && v.lastModifiedMs > since) return "failed";
  }
  const ifNoneMatch = head.fields["if-none-match"];
  if (ifNoneMatch !== undefined) {
    // Step 3 (§13.1.2): "*" or a weak match of any listed tag makes the condition false.
    if (matchesAny(ifNoneMatch, v.etag, weakMatch)) return safe ? "not-modified" : "failed";
    return "proceed";
  }
  // Step 4 (§13.1.3): If-Modified-Since only for GET and HEAD; an invalid date is ignored.
  if (!safe) return "proceed";
  const since = dateValue(head, "if-modified-since");
  if (since !== null && v.lastModifiedMs <= since) return "not-modified";
  return "proceed";
}

/**
 * RFC 9110 §13.1.5: whether a Range may apply. An HTTP-date must equal Last-Modified exactly; an
 * entity-tag must match strongly (a file's own tag does; a weak one never); anything else makes Range ignored.
 */
export function ifRangeAllows(head: RequestHead, v: Validators, dateIsStrong = true): boolean {
  const value = head.fields["if-range"];
  if (value === undefined) return true;
  const ours = parseEntityTag(v.etag, 0);
  if (value.startsWith('"') || value.startsWith("W/")) {
    const theirs = parseEntityTag(value, 0);
    return theirs !== null && theirs.next === value.length && ours !== null && strongMatch(theirs, ours);
  }
  // §13.1.5: a date only validates when it is strong (§8.8.2.2: modified at least a second before now).
  const date = parseHttpDate(value);
  return dateIsStrong && date !== null && date === v.lastModifiedMs;
}

/** An entity-tag (RFC 9110 §8.8.3) and the offset just after it. */
interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
  readonly next: number;
}

/** RFC 9110 §8.8.3.2: strong comparison: both strong and the same opaque-tag. */
function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** RFC 9110 §8.8.3.2: weak comparison: the same opaque-tag, weak or not. */
function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/**
 * If-Match / If-None-Match = "*" / #entity-tag (RFC 9110 §13.1.1, §13.1.2). False when no listed
 * tag matches ours, and also when the value is not valid (then it cannot be shown to match).
 */
function matchesAny(value: string, etag: string, match: (a: EntityTag, b: EntityTag) => boolean): boolean {
  if (value === "*") return true;
  const ours = parseEntityTag(etag, 0);
  const tags = parseEntityTagList(value);
  if (ours === null || tags === null) return false;
  return tags.some((tag) => match(tag, ours));
}

/** #entity-tag with OWS and empty elements (RFC 9110 §5.6.1); null when invalid or empty. */
function parseEntityTagList(value: string): EntityTag[] | null {
  const tags: EntityTag[] = [];
  let i = 0;
  for (;;) {
    while (i < value.length && (value[i] === " " || value[i] === "\t" || value[i] === ",")) i++;
    if (i === value.length) return tags.length === 0 ? null : tags;
    const tag = parseEntityTag(value, i);
    if (tag === null) return null;
    tags.push(tag);
    i = tag.next;
    while (i < value.length && (value[i] === " " || value[i] === "\t")) i++;
    if (i < value.length && value[i] !== ",") return null;
  }
}

/** entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3). */
function parseEntityTag(text: string, from: number): EntityTag | null {
  // RFC 9110 §8.8.3: the weak indicator "W/" is case-sensitive.
  const weak = text.startsWith("W/", from);
  const open = weak ? from + 2 : from;
  if (text[open] !== '"') return null;
  let i = open + 1;
  while (i < text.length && isEtagc(text.charCodeAt(i))) i++;
  if (text[i] !== '"') return null;
  return { weak, opaque: text.slice(open + 1, i), next: i + 1 };
}

function isEtagc(c: number): boolean {
  return c === 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
}

/** A date field's value; null when absent or not one valid HTTP-date (RFC 9110 §13.1.3, §13.1.4). */
function dateValue(head: RequestHead, name: "if-modified-since" | "if-unmodified-since"): number | null {
  const value = head.fields[name];
  return value === undefined ? null : parseHttpDate(value);
}
