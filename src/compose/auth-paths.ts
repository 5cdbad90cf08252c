/**
 * --auth-path: authentication for the paths under some prefixes only. A request is judged on its
 * path as the static handler resolves it (static/url-path.ts: the base path removed when carried,
 * decoded once, "." and ".." resolved, empty segments dropped), so `/%70rivate/x`, `//private/x`
 * and `/a/../private/x` are under /private like `/private/x`, and `/private/../x` is not. A path
 * the handler would refuse (400) is guarded: an unsure answer never skips the password.
 */
import type { RequestHead } from "../http/parser/request-head.ts";
import { guardedPrefixes, underGuarded } from "../static/guarded-paths.ts";
import { parseTarget, resolveUrlPath } from "../static/url-path.ts";

/**
 * A prefix as given (it starts with "/"), in its canonical form: "/private" for "/private/",
 * "/%70rivate" or "//private"; null when it is not a path the server could serve.
 */
export function canonicalAuthPath(text: string): string | null {
  if (!text.startsWith("/") || text.includes("?") || text.includes("#")) return null;
  const safe = resolveUrlPath(text);
  return safe.kind === "refused" ? null : `/${safe.segments.join("/")}`;
}

/**
 * Whether a request needs authentication by its path: under one of `paths` (canonical forms),
 * segment by segment (/private guards /private and /private/x, not /privateer). Names are
 * compared without case, so a file system that ignores case (macOS, Windows) cannot serve
 * /PRIVATE/x without the password; on one that does not, /PRIVATE is guarded too (more, never less).
 */
export function pathGuard(paths: readonly string[], basePath: string): (head: RequestHead) => boolean {
  const prefixes = guardedPrefixes(paths);
  return (head) => {
    const request = requestSegments(head, basePath);
    if (request === null) return true;
    const { segments, download } = request;
    if (underGuarded(prefixes, segments)) return true;
    // A folder's archive (?download=) holds everything below it, a guarded folder too.
    const folder = guardedPrefixes([`/${segments.join("/")}`]);
    return download && prefixes.some((prefix) => underGuarded(folder, prefix));
  };
}

/** The request's path as the site resolves it, and whether it asks for an archive; null when the site would refuse it. */
function requestSegments(
  head: RequestHead,
  basePath: string,
): { readonly segments: readonly string[]; readonly download: boolean } | null {
  const target = parseTarget(head.target, head.method);
  if (target.kind === "refused") return null;
  if (target.form === "asterisk" || target.form === "authority") return { segments: [], download: false };
  let rawPath = target.rawPath;
  // As the router: under --base-path, a request that still carries the prefix has it removed.
  if (basePath !== "" && (rawPath === basePath || rawPath.startsWith(`${basePath}/`))) {
    rawPath = rawPath.slice(basePath.length) || "/";
  }
  const safe = resolveUrlPath(rawPath);
  if (safe.kind === "refused") return null;
  return { segments: safe.segments, download: asksForArchive(target.query) };
}

/** Any `download` parameter (static/archive/response.ts reads its value): judged before the site checks it. */
function asksForArchive(query: string | null): boolean {
  return query !== null && query.split("&").some((pair) => pair === "download" || pair.startsWith("download="));
}
