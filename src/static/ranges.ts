/** Byte ranges of a representation (RFC 9110 §14). Offsets are plain numbers: safe far beyond 4 GiB. */
import { trimOws } from "../http/chars.ts";

/** A satisfiable byte range of a file; end is exclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type RangeOutcome =
  /** Not a bytes range, malformed, or too many/overlapping/larger than the file: serve 200 full. */
  | { readonly kind: "ignore" }
  /** Nothing satisfiable: 416 with Content-Range from unsatisfiedRange(size). */
  | { readonly kind: "unsatisfiable" }
  /** The satisfiable ranges, in the order the client gave them. */
  | { readonly kind: "ranges"; readonly ranges: readonly ByteRange[] };

/** More ranges than this in one header and it is ignored (nginx's max_ranges does this, off by default). */
export const MAX_RANGES = 100;

const IGNORE: RangeOutcome = { kind: "ignore" };
const UNSATISFIABLE: RangeOutcome = { kind: "unsatisfiable" };

/** A range-spec as written, before it meets the file's size. */
type Spec =
  | { readonly kind: "int"; readonly first: string; readonly last: string | null }
  | { readonly kind: "suffix"; readonly length: string };

const DIGITS = /^[0-9]+$/;

/**
 * Parses a Range field value against a file of `size` bytes.
 * ranges-specifier = range-unit "=" range-set; range-set = 1#range-spec (RFC 9110 §14.1.1).
 */
export function parseRange(header: string, size: number): RangeOutcome {
  const eq = header.indexOf("=");
  if (eq < 0) return IGNORE;
  // RFC 9110 §14.1: range units are compared case-insensitively; we only know "bytes" (§14.1.2).
  if (header.slice(0, eq).toLowerCase() !== "bytes") return IGNORE;
  const specs = parseRangeSet(header.slice(eq + 1));
  if (specs === null) return IGNORE;
  // RFC 9110 §14.1.1: on a zero-length representation a suffix-range with a non-zero length is
  // the only satisfiable form, yet it selects no byte (a 206 cannot say so): send the empty 200.
  if (size === 0 && specs.some((s) => s.kind === "suffix" && toNumber(s.length) > 0)) return IGNORE;
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const range = resolve(spec, size);
    if (range !== null) ranges.push(range);
  }
  // RFC 9110 §15.5.17: no satisfiable range at all -> 416.
  if (ranges.length === 0) return UNSATISFIABLE;
  if (overlapsOrExceeds(ranges, size)) return IGNORE;
  return { kind: "ranges", ranges };
}

/** Content-Range for one part: "bytes first-last/complete-length" (RFC 9110 §14.4). */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end - 1}/${size}`;
}

/** Content-Range of a 416: unsatisfied-range = "*" "/" complete-length (RFC 9110 §14.4). */
export function unsatisfiedRange(size: number): string {
  return `bytes */${size}`;
}

/**
 * 1#range-spec: comma-separated, OWS around elements, empty elements ignored (RFC 9110 §5.6.1).
 * Null when the set is invalid, empty, or has more than MAX_RANGES elements.
 */
function parseRangeSet(set: string): Spec[] | null {
  const specs: Spec[] = [];
  for (const element of set.split(",")) {
    const text = trimOws(element);
    if (text === "") continue;
    // RFC 9110 §14.2: a server MAY ignore a Range with many ranges (amplification defence).
    if (specs.length === MAX_RANGES) return null;
    const spec = parseSpec(text);
    if (spec === null) return null;
    specs.push(spec);
  }
  return specs.length === 0 ? null : specs;
}

/** int-range = first-pos "-" [ last-pos ]; suffix-range = "-" suffix-length (RFC 9110 §14.1.1). */
function parseSpec(text: string): Spec | null {
  const dash = text.indexOf("-");
  if (dash < 0) return null;
  const first = text.slice(0, dash);
  const last = text.slice(dash + 1);
  if (first === "") return DIGITS.test(last) ? { kind: "suffix", length: last } : null;
  if (!DIGITS.test(first)) return null;
  if (last === "") return { kind: "int", first, last: null };
  if (!DIGITS.test(last)) return null;
  // RFC 9110 §14.1.1: an int-range with last-pos < first-pos makes the whole ranges-specifier invalid.
  if (compareDigits(last, first) < 0) return null;
  return { kind: "int", first, last };
}

/** The range a spec selects in a file of `size` bytes; null when unsatisfiable (RFC 9110 §14.1.2). */
function resolve(spec: Spec, size: number): ByteRange | null {
  if (spec.kind === "suffix") {
    const length = toNumber(spec.length);
    // RFC 9110 §14.1.1: a suffix-range is satisfiable only with a non-zero suffix-length.
    if (length === 0 || size === 0) return null;
    // RFC 9110 §14.1.2: a suffix longer than the representation selects all of it.
    return { start: Math.max(0, size - length), end: size };
  }
  const first = toNumber(spec.first);
  // RFC 9110 §14.1.1: an int-range is satisfiable only when first-pos < the current length.
  if (first >= size) return null;
  // RFC 9110 §14.1.2: a missing last-pos, or one at or past the end, means the rest of the data.
  const last = spec.last === null ? size - 1 : Math.min(toNumber(spec.last), size - 1);
  return { start: first, end: last + 1 };
}

/**
 * Overlapping ranges, or more bytes than the file holds: ignored (RFC 9110 §14.2 allows it, as a
 * defence against amplification; nginx ignores only a total larger than the file).
 */
function overlapsOrExceeds(ranges: readonly ByteRange[], size: number): boolean {
  if (ranges.length === 1) return false;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let total = 0;
  let previousEnd = 0;
  for (const range of sorted) {
    if (range.start < previousEnd) return true;
    previousEnd = range.end;
    total += range.end - range.start;
  }
  return total > size;
}

/** A digit string's value; beyond Number.MAX_SAFE_INTEGER it is Infinity (past any file's end). */
function toNumber(digits: string): number {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

/** Compares two digit strings by value, exactly, whatever their length. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, "");
  const y = b.replace(/^0+/, "");
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
