import { acceptsMediaType } from "../../http/negotiation/accept.ts";
import { type HttpResponse, utf8 } from "../../http/response.ts";
import { entryHref, folderPath, isoTime, listingHtml } from "./html.ts";
import { listingPolicy } from "./controls.ts";
import type { ListingEntry, ListingFeatures, ListingSort, SortKey, SortOrder } from "./entry.ts";

export type { ListingEntry, ListingFeatures, ListingSort, SortKey, SortOrder };

const HTML_TYPE = "text/html; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * The listing of one folder, as HTML or (when the client asks for it) JSON.
 * segments: the folder's decoded URL path segments ([] for the root).
 * query: the raw query string without "?", or null; `sort=name|size|time`, `order=asc|desc`.
 * accept: the request's Accept header value, or undefined.
 * headers: extra header fields (e.g. Cache-Control), sent after the ones set here.
 */
export function listingResponse(
  segments: readonly string[],
  entries: readonly ListingEntry[],
  query: string | null,
  accept: string | undefined,
  headers: ReadonlyArray<readonly [string, string]>,
  /** The path the site is served under ("/files"; "" at the root), shown in the page and in "path". */
  prefix = "",
  /** What the page offers beside the entries: archives, the upload form, delete buttons. */
  features: ListingFeatures = {},
): HttpResponse {
  const sort = parseListingSort(query);
  const sorted = sortEntries(entries, sort);
  // RFC 9110 §12.5.5: the representation depends on Accept, so caches must key on it.
  if (acceptsJson(accept)) {
    const body = utf8(listingJson(segments, sorted, prefix));
    return { status: 200, headers: [["Content-Type", JSON_TYPE], ["Vary", "Accept"], ...headers], body };
  }
  const body = utf8(listingHtml(segments, sorted, sort, prefix, features));
  // Names are the served folder's, not ours: the page loads nothing and runs no script but its own.
  const policy = listingPolicy(features);
  return {
    status: 200,
    headers: [["Content-Type", HTML_TYPE], ["Vary", "Accept"], ["Content-Security-Policy", policy], ...headers],
    body,
  };
}

/** `sort` and `order` from the query; anything missing or unknown falls back to name, ascending. */
export function parseListingSort(query: string | null): ListingSort {
  const params = new URLSearchParams(query ?? "");
  const key = params.get("sort");
  const order = params.get("order");
  return {
    key: key === "size" || key === "time" ? key : "name",
    order: order === "desc" ? "desc" : "asc",
  };
}

/** Whether the client asks for the listing as JSON (Accept lists application/json with q > 0). */
export function acceptsJson(accept: string | undefined): boolean {
  return acceptsMediaType(accept, "application/json");
}

/** Natural ("file2" before "file10"), case- and accent-insensitive, the same on every machine. */
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A total order on names: the collator first, then code units, so equal-looking names keep one order. */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || compareCodeUnits(a, b);
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sizeOf(entry: ListingEntry): number {
  return entry.kind === "directory" ? 0 : entry.size;
}

/** Folders first in every order; then the chosen key in the chosen direction; ties by name, ascending. */
export function sortEntries(entries: readonly ListingEntry[], sort: ListingSort): ListingEntry[] {
  const sign = sort.order === "desc" ? -1 : 1;
  return [...entries].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === "directory" ? -1 : 1;
    if (sort.key === "name") return sign * compareNames(a.name, b.name);
    const byKey = sort.key === "size" ? compareNumbers(sizeOf(a), sizeOf(b)) : compareNumbers(a.mtimeMs, b.mtimeMs);
    return sign * byKey || compareNames(a.name, b.name);
  });
}

function listingJson(segments: readonly string[], entries: readonly ListingEntry[], prefix: string): string {
  return JSON.stringify({
    path: prefix + folderPath(segments),
    entries: entries.map((entry) => ({
      name: entry.name,
      type: entry.kind,
      size: sizeOf(entry),
      modified: isoTime(entry.mtimeMs),
      href: entryHref(entry),
    })),
  });
}
