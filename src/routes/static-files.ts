import type { Response } from "../http/response.ts";
import { contentTypeFor } from "../files/mime.ts";
import { resolveUrlPath } from "../files/url-path.ts";
import type { FileInfo, FileSystem } from "../ports.ts";
import { errorResponse } from "./error-page.ts";

export interface StaticOptions {
  /** The served folder's real path (symlinks resolved), without a trailing separator. */
  readonly root: string;
  /** Serve names starting with "." (hidden by default, like miniserve). */
  readonly dotfiles: boolean;
}

/** A file found inside the root: its real path and metadata. */
interface Found {
  readonly path: string;
  readonly info: FileInfo;
}

/** Serves GET/HEAD for a path under the root (RFC 9110 §9.3.1, §9.3.2). */
export async function serveStatic(
  rawPath: string,
  query: string | null,
  fs: FileSystem,
  options: StaticOptions,
): Promise<Response> {
  const safe = resolveUrlPath(rawPath);
  if ("status" in safe) return errorResponse(safe.status);
  if (!options.dotfiles && safe.segments.some((s) => s.startsWith("."))) return errorResponse(404);
  const found = await findInside(fs, options.root, [...safe.segments]);
  if (found === null) return errorResponse(404);
  if (found.info.kind === "directory") {
    if (!rawPath.endsWith("/")) {
      // The slash form, so relative links in the page resolve inside the folder; keep the query.
      const location = `${rawPath}/${query === null ? "" : `?${query}`}`;
      return { status: 301, headers: [["Location", location], ["Content-Type", "text/html; charset=utf-8"]], body: null };
    }
    const index = await findInside(fs, options.root, [...safe.segments, "index.html"]);
    if (index === null || index.info.kind !== "file") return errorResponse(404);
    return fileResponse(index, "index.html");
  }
  if (found.info.kind !== "file") return errorResponse(404);
  return fileResponse(found, safe.segments[safe.segments.length - 1]!);
}

function fileResponse(found: Found, name: string): Response {
  return {
    status: 200,
    headers: [["Content-Type", contentTypeFor(name)]],
    body: { kind: "file", path: found.path, start: 0, end: found.info.size },
  };
}

/**
 * Resolves segments under the root and follows symlinks; the result must still be inside
 * the root, compared with root + separator so /srv/www-old is not inside /srv/www.
 */
async function findInside(fs: FileSystem, root: string, segments: string[]): Promise<Found | null> {
  const sep = fs.separator;
  const candidate = segments.length === 0 ? root : root + sep + segments.join(sep);
  const real = await fs.realPath(candidate);
  if (real === null) return null;
  if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  const info = await fs.stat(real);
  return info === null ? null : { path: real, info };
}
