/**
 * The "exports" and "imports" maps of a package.json, as Node's resolution algorithm reads them
 * (https://nodejs.org/api/esm.html#resolution-algorithm-specification: PACKAGE_EXPORTS_RESOLVE,
 * PACKAGE_IMPORTS_EXPORTS_RESOLVE, PACKAGE_TARGET_RESOLVE, PATTERN_KEY_COMPARE). Pure: it maps a
 * subpath to a target relative to the package's folder and never touches a file.
 */

/** What a map gives for one subpath (or "#name"). */
export type MapTarget =
  /** A path inside the package, "./" first, with any "*" already replaced. */
  | { readonly kind: "target"; readonly target: string }
  /** An "imports" entry that names another package ("#dep": "dep"): resolve that instead. */
  | { readonly kind: "bare"; readonly specifier: string }
  /** No key matches, or no condition of the matching key does. */
  | { readonly kind: "unmatched" }
  /** The matching key maps to null: the package hides this subpath on purpose. */
  | { readonly kind: "excluded" }
  /** A target the algorithm refuses (not "./", or a "..", "." or node_modules segment). */
  | { readonly kind: "invalid-target"; readonly target: string }
  /** "exports" mixes "./x" keys with condition keys. */
  | { readonly kind: "invalid-config" };

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** The target of `subpath` ("." or "./x") in a package's "exports" field. */
export function resolveExports(exports: unknown, subpath: string, conditions: readonly string[]): MapTarget {
  const map = exportsMap(exports as Json);
  if (map === null) return { kind: "invalid-config" };
  return resolveMapKey(map, subpath, conditions, false);
}

/** The target of `specifier` ("#x") in a package's "imports" field. */
export function resolveImports(imports: unknown, specifier: string, conditions: readonly string[]): MapTarget {
  if (!isObject(imports as Json)) return { kind: "unmatched" };
  return resolveMapKey(imports as { readonly [key: string]: Json }, specifier, conditions, true);
}

/**
 * "exports" as a map of subpaths: a string, an array or an object of conditions is the "." entry
 * alone (the sugar); an object of "./" keys is itself. Mixing the two is invalid (null).
 */
function exportsMap(exports: Json): { readonly [key: string]: Json } | null {
  if (!isObject(exports)) return { ".": exports };
  const keys = Object.keys(exports);
  const dotted = keys.filter((key) => key.startsWith("."));
  if (dotted.length === 0) return { ".": exports };
  return dotted.length === keys.length ? exports : null;
}

/** PACKAGE_IMPORTS_EXPORTS_RESOLVE: an exact key first, then the most specific "*" pattern. */
function resolveMapKey(
  map: { readonly [key: string]: Json },
  key: string,
  conditions: readonly string[],
  isImports: boolean,
): MapTarget {
  if (Object.hasOwn(map, key) && !key.includes("*")) return resolveTarget(map[key]!, null, conditions, isImports);
  const patterns = Object.keys(map).filter((candidate) => countStars(candidate) === 1).sort(comparePatternKeys);
  for (const pattern of patterns) {
    const match = patternMatch(pattern, key);
    if (match !== null) return resolveTarget(map[pattern]!, match, conditions, isImports);
  }
  return { kind: "unmatched" };
}

/** What the "*" of `pattern` stands for in `key`, or null when the key does not fit the pattern. */
function patternMatch(pattern: string, key: string): string | null {
  const star = pattern.indexOf("*");
  const base = pattern.slice(0, star);
  const trailer = pattern.slice(star + 1);
  if (!key.startsWith(base) || key === base) return null;
  if (trailer !== "" && (!key.endsWith(trailer) || key.length < pattern.length)) return null;
  return key.slice(base.length, key.length - trailer.length);
}

/** PATTERN_KEY_COMPARE: the longer part before "*" first, then the longer key. */
function comparePatternKeys(a: string, b: string): number {
  const baseA = a.indexOf("*") + 1;
  const baseB = b.indexOf("*") + 1;
  if (baseA !== baseB) return baseB - baseA;
  return b.length - a.length;
}

/** PACKAGE_TARGET_RESOLVE: a string, the first usable entry of an array, or the first matching condition. */
function resolveTarget(
  target: Json,
  match: string | null,
  conditions: readonly string[],
  isImports: boolean,
): MapTarget {
  if (typeof target === "string") return stringTarget(target, match, isImports);
  if (Array.isArray(target)) return arrayTarget(target, match, conditions, isImports);
  if (isObject(target)) return conditionalTarget(target, match, conditions, isImports);
  if (target === null) return { kind: "excluded" };
  return { kind: "invalid-target", target: String(target) };
}

/** A fallback array: its first entry that resolves or excludes; an invalid or unmatched entry is skipped. */
function arrayTarget(
  targets: readonly Json[],
  match: string | null,
  conditions: readonly string[],
  isImports: boolean,
): MapTarget {
  let last: MapTarget = { kind: "excluded" };
  for (const entry of targets) {
    last = resolveTarget(entry, match, conditions, isImports);
    if (last.kind !== "invalid-target" && last.kind !== "unmatched") return last;
  }
  return last;
}

/** Conditions in the object's own order: the first key the runtime answers to (or "default") whose value resolves. */
function conditionalTarget(
  target: { readonly [key: string]: Json },
  match: string | null,
  conditions: readonly string[],
  isImports: boolean,
): MapTarget {
  for (const [condition, value] of Object.entries(target)) {
    if (condition !== "default" && !conditions.includes(condition)) continue;
    const resolved = resolveTarget(value, match, conditions, isImports);
    if (resolved.kind !== "unmatched") return resolved;
  }
  return { kind: "unmatched" };
}

/** A string target: "./" inside the package; in "imports" also another package's name. */
function stringTarget(target: string, match: string | null, isImports: boolean): MapTarget {
  const filled = match === null ? target : target.replaceAll("*", match);
  if (!target.startsWith("./")) {
    const bare = isImports && !target.startsWith("../") && !target.startsWith("/") &&
      !/^[a-z][a-z0-9+.-]*:/i.test(target);
    return bare ? { kind: "bare", specifier: filled } : { kind: "invalid-target", target };
  }
  if (hasForbiddenSegment(target.slice(2)) || (match !== null && hasForbiddenSegment(match))) {
    return { kind: "invalid-target", target };
  }
  return { kind: "target", target: filled };
}

/** A ".", ".." or node_modules segment would leave the package or reach into another one. */
function hasForbiddenSegment(path: string): boolean {
  return path.split(/[/\\]/).some((segment) => {
    const lower = segment.toLowerCase();
    return lower === "." || lower === ".." || lower === "node_modules";
  });
}

function countStars(key: string): number {
  return key.split("*").length - 1;
}

function isObject(value: Json): value is { readonly [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
