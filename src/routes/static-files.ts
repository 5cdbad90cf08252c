import type { Response } from "../http/response.ts";
import { type FileCacheOptions, FileCache, type Resolution } from "../files/file-cache.ts";
import { contentTypeFor } from "../files/mime.ts";
import { readFully } from "../files/read-fully.ts";
import { resolveUrlPath } from "../files/url-path.ts";
import type { Clock, FileInfo, FileSystem } from "../ports.ts";
import { errorResponse } from "./error-page.ts";

export interface StaticOptions {
  /** The served folder's real path (symlinks resolved), without a trailing separator. */
  readonly root: string;
  /** Serve names starting with "." (hidden by default, like miniserve). */
  readonly dotfiles: boolean;
  readonly cache: FileCacheOptions;
}

/** Files up to this size are read whole and kept in memory (within the cache's byte budget). */
export const MEMORY_FILE = 1024 * 1024;

const MISSING: Resolution = { kind: "missing" };
const DIRECTORY: Resolution = { kind: "directory" };

/** GET/HEAD of files under the root (RFC 9110 §9.3.1, §9.3.2), with resolutions cached. */
export class StaticFiles {
  private readonly cache: FileCache;

  constructor(private readonly fs: FileSystem, private readonly clock: Clock, private readonly options: StaticOptions) {
    this.cache = new FileCache(options.cache);
  }

  /** Synchronous for a cache hit; a promise when the file system must be asked. */
  serve(rawPath: string, query: string | null): Response | Promise<Response> {
    const hit = this.cache.fresh(rawPath, this.clock.now());
    if (hit !== undefined) return respond(hit, rawPath, query);
    const safe = resolveUrlPath(rawPath);
    if ("status" in safe) return errorResponse(safe.status);
    if (!this.options.dotfiles && safe.segments.some((s) => s.startsWith("."))) return errorResponse(404);
    return this.resolve(rawPath, safe.segments, safe.trailingSlash).then((resolution) => respond(resolution, rawPath, query));
  }

  private async resolve(key: string, segments: readonly string[], trailingSlash: boolean): Promise<Resolution> {
    const checkedAt = this.clock.now();
    const resolution = await this.lookUp(key, segments, trailingSlash);
    this.cache.set(key, resolution, checkedAt);
    return resolution;
  }

  private async lookUp(key: string, segments: readonly string[], trailingSlash: boolean): Promise<Resolution> {
    const found = await this.findInside(segments);
    if (found === null) return MISSING;
    if (found.info.kind === "directory") {
      // A folder named without its slash redirects; with it, it serves its index.html.
      if (!trailingSlash && segments.length > 0) return DIRECTORY;
      const index = await this.findInside([...segments, "index.html"]);
      return index === null || index.info.kind !== "file" ? MISSING : this.fileResolution(key, index, "index.html");
    }
    if (found.info.kind !== "file" || trailingSlash) return MISSING;
    return this.fileResolution(key, found, segments[segments.length - 1]!);
  }

  private async fileResolution(key: string, found: Found, name: string): Promise<Resolution> {
    const { path, info } = found;
    const before = this.cache.previous(key);
    // Unchanged since it was last read: keep the content already in memory.
    if (before?.kind === "file" && before.path === path && sameFile(before.info, info)) return before;
    let body: Uint8Array | null = null;
    if (info.size <= MEMORY_FILE && this.cache.canHold(info.size, key)) body = await readWhole(this.fs, path, info.size);
    const headers: ReadonlyArray<readonly [string, string]> = [["Content-Type", contentTypeFor(name)]];
    const response: Response = {
      status: 200,
      headers,
      body: body ?? { kind: "file", path, start: 0, end: info.size },
    };
    return { kind: "file", path, info, headers, body, response };
  }

  /**
   * Resolves segments under the root and follows symlinks; the result must still be inside
   * the root, compared with root + separator so /srv/www-old is not inside /srv/www.
   */
  private async findInside(segments: readonly string[]): Promise<Found | null> {
    const { root } = this.options;
    const sep = this.fs.separator;
    const candidate = segments.length === 0 ? root : root + sep + segments.join(sep);
    const real = await this.fs.realPath(candidate);
    if (real === null) return null;
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
    const info = await this.fs.stat(real);
    return info === null ? null : { path: real, info };
  }
}

interface Found {
  readonly path: string;
  readonly info: FileInfo;
}

function sameFile(a: FileInfo, b: FileInfo): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.kind === b.kind;
}

/** The whole file, or null when it did not read back at the size stat gave (it changed meanwhile). */
async function readWhole(fs: FileSystem, path: string, size: number): Promise<Uint8Array | null> {
  const file = await fs.open(path);
  if (file === null) return null;
  try {
    const bytes = new Uint8Array(size);
    return (await readFully(file, bytes, 0)) === size ? bytes : null;
  } finally {
    await file.close();
  }
}

function respond(resolution: Resolution, rawPath: string, query: string | null): Response {
  switch (resolution.kind) {
    case "missing":
      return errorResponse(404);
    case "directory": {
      // The slash form, so relative links in the page resolve inside the folder; keep the query.
      const location = `${rawPath}/${query === null ? "" : `?${query}`}`;
      return { status: 301, headers: [["Location", location], ["Content-Type", "text/html; charset=utf-8"]], body: null };
    }
    case "file":
      return resolution.response;
  }
}
