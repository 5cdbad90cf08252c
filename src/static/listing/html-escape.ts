/** Escaping for the listing page: names into markup, and into one URL path segment. */

/** Text and attribute values: the five characters that can end or open markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * encodeURIComponent throws on a lone surrogate (possible in Windows file names): such a
 * code unit becomes U+FFFD instead, so a name never makes the page fail.
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/**
 * A name as one percent-encoded path segment (RFC 3986 §3.3), relative to its folder, so `#`,
 * `?`, `%`, `:` and spaces stay part of the name.
 */
export function segmentHref(name: string): string {
  return encodeURIComponent(wellFormed(name));
}
