import type { SiteOptions } from "../options.ts";
import type { SafeRoot } from "../safe-root.ts";
import { encodeSegment, resolveUrlPath, type SafePath } from "../url-path.ts";
import { isTempName } from "./temp-name.ts";

/** What a write needs from the site. */
export interface WriteContext {
  readonly root: SafeRoot;
  readonly site: SiteOptions;
  /** Told after a file changed on disk: the file cache forgets what it knew. */
  readonly changed: () => void;
  /** This process's id, in the names of its temporaries (temp-name.ts). */
  readonly writer: number;
}

/** The file a PUT or DELETE names: its folder's segments under the root and its own name. */
export interface WriteTarget {
  readonly kind: "target";
  readonly folder: readonly string[];
  readonly name: string;
  /** Its path as a URL (for Location), under the site's prefix. */
  readonly location: string;
}

/** A path a write may not take: the status that says so. */
export interface PathRefused {
  readonly kind: "refused";
  readonly status: number;
}

/** The path rules of reading (url-path.ts): what it refuses is 400, a hidden segment 404 unless --dotfiles. */
function writablePath(rawPath: string, site: SiteOptions): SafePath | PathRefused {
  const safe = resolveUrlPath(rawPath);
  if (safe.kind === "refused") return { kind: "refused", status: 400 };
  if (!site.dotfiles && safe.segments.some((s) => s.startsWith("."))) return { kind: "refused", status: 404 };
  return safe;
}

/**
 * The same path rules as reading (url-path.ts: decoded once, no "..", NUL, backslash or encoded
 * slash: 400; hidden names 404 unless --dotfiles), and a write names a file: not the root, not a
 * path ending in "/" (409: a folder is not written), never one of the server's temporaries (403).
 */
export function writeTarget(
  rawPath: string,
  site: SiteOptions,
  prefix: string,
): WriteTarget | PathRefused {
  const safe = writablePath(rawPath, site);
  if (safe.kind === "refused") return safe;
  const name = safe.segments.at(-1);
  if (name === undefined || safe.trailingSlash) return { kind: "refused", status: 409 };
  if (isTempName(name)) return { kind: "refused", status: 403 };
  const location = `${prefix}/${safe.segments.map(encodeSegment).join("/")}`;
  return { kind: "target", folder: safe.segments.slice(0, -1), name, location };
}

/** The folder a POST names: its segments under the root, and its URL with the slash (for Location). */
export interface FolderTarget {
  readonly kind: "folder";
  readonly segments: readonly string[];
  readonly location: string;
}

/**
 * The path rules of writeTarget for a folder, with or without its trailing slash: 400 for what
 * reading refuses, 404 for a hidden segment unless --dotfiles, 403 for one of our temporaries.
 */
export function folderTarget(
  rawPath: string,
  site: SiteOptions,
  prefix: string,
): FolderTarget | PathRefused {
  const safe = writablePath(rawPath, site);
  if (safe.kind === "refused") return safe;
  if (safe.segments.some(isTempName)) return { kind: "refused", status: 403 };
  const path = safe.segments.map((s) => `${encodeSegment(s)}/`).join("");
  return { kind: "folder", segments: safe.segments, location: `${prefix}/${path}` };
}
