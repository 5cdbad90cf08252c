/**
 * The paths --auth-path guards, as the file handler sees them: a symlink must not carry a file
 * across that line (safe-root.ts), as it must not reveal a hidden name. The password itself is
 * asked for in front of the site (compose/auth-paths.ts); both compare segments the same way.
 */

/** Canonical paths ("/private") as lower-case segments. */
export function guardedPrefixes(paths: readonly string[]): string[][] {
  return paths.map((p) => p.split("/").filter((s) => s !== "").map((s) => s.toLowerCase()));
}

/** Whether decoded segments are under one of the prefixes, segment by segment, case ignored. */
export function underGuarded(prefixes: readonly (readonly string[])[], segments: readonly string[]): boolean {
  return prefixes.some((prefix) =>
    prefix.length <= segments.length && prefix.every((s, i) => segments[i]!.toLowerCase() === s)
  );
}
