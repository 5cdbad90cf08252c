import { headerValue } from "../http/header-field.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";
import { validatorsFor } from "./validators.ts";
import { FileCache, type FileCacheLimits, type Resolution } from "./file-cache.ts";
import { readFully } from "../io/read-fully.ts";
import { resolveUrlPath } from "./url-path.ts";
import type { Clock, Compressor, FileInfo, FileSystem, OpenFile } from "../ports.ts";
import { type Opened, openInside, reopenInside } from "./safe-open.ts";
import { errorResponse } from "../http/error-page.ts";
import { buildFileResolution, fileResponse } from "./file-response.ts";
import { acceptsJson, type ListingEntry, listingResponse, parseListingSort } from "./listing/page.ts";
import type { SiteOptions } from "./options.ts";

export interface StaticOptions {
  /** The served folder's real path (symlinks resolved), without a trailing separator. */
  readonly root: string;
  readonly site: SiteOptions;
  /** How much the cache may hold; how long it trusts an entry is the site's --cache-ttl. */
  readonly cache: FileCacheLimits;
}

/** Files up to this size are read whole and kept in memory (within the cache's byte budget). */
export const MEMORY_FILE = 1024 * 1024;
/** Siblings looked for next to a file, in the order of preference (RFC 9110 §8.4.1 codings). */
const SIBLINGS = [["br", ".br"], ["zstd", ".zst"], ["gzip", ".gz"]] as const;
/** Entries of a folder stat'ed at once while building a listing. */
const LIST_BATCH = 64;
/** Most entries a listing shows (in the order the folder gives them, then sorted). */
export const MAX_LISTED = 10_000;

const MISSING: Resolution = { kind: "missing" };
const DIRECTORY: Resolution = { kind: "directory" };

/** GET/HEAD of files under the root (RFC 9110 §9.3.1, §9.3.2), with resolutions cached. */
export class StaticFiles {
  private readonly cache: FileCache;
  /** Header fields every file and listing response carries (Cache-Control). */
  private readonly cacheHeaders: ReadonlyArray<readonly [string, string]>;

  constructor(
    private readonly fs: FileSystem,
    private readonly clock: Clock,
    private readonly compressor: Compressor,
    private readonly options: StaticOptions,
  ) {
    this.cache = new FileCache({ ...options.cache, ttlMs: options.site.cacheTtlMs });
    this.cacheHeaders = options.site.cacheControl === null ? [] : [["Cache-Control", options.site.cacheControl]];
  }

  /** Synchronous for a cache hit without conditions; a promise when the disk must be asked. */
  serve(head: RequestHead, rawPath: string, query: string | null): HttpResponse | Promise<HttpResponse> {
    const resolution = this.lookUp(rawPath);
    if (resolution === null) return this.notFound(head);
    if (resolution instanceof Promise) return resolution.then((r) => (r === null ? this.notFound(head) : this.respond(r, head, rawPath, query)));
    return this.respond(resolution, head, rawPath, query);
  }

  /** The cached or fresh resolution of a URL path; null for a hidden (dot) path; a 400 as a response. */
  private lookUp(rawPath: string): Resolution | HttpResponse | Promise<Resolution | HttpResponse> | null {
    const hit = this.cache.fresh(rawPath, this.clock.now());
    if (hit !== undefined) return hit;
    const safe = resolveUrlPath(rawPath);
    if ("status" in safe) return errorResponse(safe.status);
    if (!this.options.site.dotfiles && safe.segments.some((s) => s.startsWith("."))) return null;
    const checkedAt = this.clock.now();
    // Every spelling of a path (//a, /%61) shares the resolution of its canonical form, so a
    // file is read, held and compressed once however it is asked for.
    const canonical = `/${safe.segments.join("/")}${safe.trailingSlash && safe.segments.length > 0 ? "/" : ""}`;
    return this.resolve(canonical, safe.segments, safe.trailingSlash).then((resolution) => {
      this.cache.set(canonical, resolution, checkedAt);
      if (rawPath !== canonical) this.cache.set(rawPath, resolution, checkedAt);
      return resolution;
    });
  }

  private respond(found: Resolution | HttpResponse, head: RequestHead, rawPath: string, query: string | null): HttpResponse | Promise<HttpResponse> {
    if (!("kind" in found)) return found;
    switch (found.kind) {
      case "missing":
        return this.notFound(head);
      case "directory": {
        // The slash form, so relative links in the page resolve inside the folder; keep the query.
        // One leading slash only: "//host/" would send the browser to another site.
        const location = `${rawPath.replace(/^\/+/, "/")}/${query === null ? "" : `?${query}`}`;
        return { status: 301, headers: [["Location", location], ["Content-Type", "text/html; charset=utf-8"]], body: null };
      }
      case "listing":
        return renderedListing(found, query, headerValue(head, "accept"), this.cacheHeaders);
      case "file":
        return fileResponse(found, head, this.compressor, this.clock.now());
    }
  }

  /** 404: or /index.html with --spa, or the folder's own 404.html. */
  private notFound(head: RequestHead): HttpResponse | Promise<HttpResponse> {
    const fallback = this.options.site.spa ? "/index.html" : "/404.html";
    const found = this.lookUp(fallback);
    const use = (r: Resolution | HttpResponse | null): HttpResponse | Promise<HttpResponse> => {
      if (r === null || !("kind" in r) || r.kind !== "file") return errorResponse(404);
      return this.options.site.spa ? fileResponse(r, head, this.compressor, this.clock.now()) : customNotFound(r);
    };
    return found instanceof Promise ? found.then(use) : use(found);
  }

  private async resolve(key: string, segments: readonly string[], trailingSlash: boolean): Promise<Resolution> {
    const { root } = this.options;
    const found = await this.openChecked(segments.length === 0 ? root : root + this.fs.separator + segments.join(this.fs.separator));
    if (found === null) return MISSING;
    try {
      return await this.resolveOpened(key, found, segments, trailingSlash);
    } finally {
      await found.file.close();
    }
  }

  /** What an opened (and checked) path is: everything below reads through its descriptor. */
  private async resolveOpened(key: string, found: Opened, segments: readonly string[], trailingSlash: boolean): Promise<Resolution> {
    if (found.info.kind === "file") return trailingSlash ? MISSING : this.fileResolution(key, found, segments[segments.length - 1]!);
    // A folder named without its slash redirects; with it, it serves its index.html or a listing.
    if (!trailingSlash && segments.length > 0) return DIRECTORY;
    const index = await this.openChecked(found.path + this.fs.separator + "index.html");
    if (index !== null) {
      try {
        if (index.info.kind === "file") return await this.fileResolution(key, index, "index.html");
      } finally {
        await index.file.close();
      }
    }
    if (!this.options.site.listing) return MISSING;
    const entries = await this.listInside(found);
    return entries === null ? MISSING : { kind: "listing", segments, entries };
  }

  private async fileResolution(key: string, found: Opened, name: string): Promise<Resolution> {
    const { path, info } = found;
    const siblings: Array<{ coding: "br" | "zstd" | "gzip"; path: string; info: FileInfo }> = [];
    for (const [coding, suffix] of SIBLINGS) {
      const sibling = await this.openChecked(path + suffix);
      if (sibling === null) continue;
      await sibling.file.close();
      if (sibling.info.kind === "file") siblings.push({ coding, path: sibling.path, info: sibling.info });
    }
    const before = this.cache.previous(key);
    const unchanged = before?.kind === "file" && before.path === path && sameFile(before.info, info);
    // Unchanged, siblings too: keep the resolution, its content and encodings already in memory.
    if (unchanged && sameSiblings(before.siblings, siblings)) return before;
    let body: Uint8Array | null = unchanged ? before.body : null;
    // Read through the checked descriptor: nothing from outside the root can enter the cache.
    if (body === null && info.size <= MEMORY_FILE && this.cache.canHold(info.size, key)) body = await readWhole(found.file, info.size);
    return buildFileResolution({
      path,
      info,
      name,
      body,
      siblings,
      compress: this.options.site.compress,
      cacheHeaders: this.cacheHeaders,
      opener: this.opener,
    });
  }

  /** Sending opens the file again: it must be the same file, still inside the root. */
  private readonly opener = (path: string, info: FileInfo) => () => reopenInside(this.fs, this.options.root, path, info, this.options.site);

  /** The folder's entries that could be served: not hidden, not refused symlinks, inside the root. */
  private async listInside(dir: Opened): Promise<ListingEntry[] | null> {
    const names = await dir.file.list();
    if (names === null) return null;
    const { dotfiles, symlinks } = this.options.site;
    // A bounded page: a folder of a million files must not stall the server.
    const visible = names.filter((e) => (dotfiles || !e.name.startsWith(".")) && (symlinks || !e.symlink)).slice(0, MAX_LISTED);
    const entries: ListingEntry[] = [];
    for (let i = 0; i < visible.length; i += LIST_BATCH) {
      const batch = visible.slice(i, i + LIST_BATCH).map(async (e): Promise<ListingEntry | null> => {
        const info = await this.entryInfo(dir, e.name);
        if (info === null || (info.kind !== "file" && info.kind !== "directory")) return null;
        return { name: e.name, kind: info.kind, size: info.kind === "file" ? info.size : 0, mtimeMs: info.mtimeMs };
      });
      for (const entry of await Promise.all(batch)) if (entry !== null) entries.push(entry);
    }
    return entries;
  }

  /**
   * An entry, looked up in the opened folder itself and not followed: a plain file or folder is
   * described as it is; a symlink is opened and checked like any path (and hidden if refused).
   */
  private async entryInfo(dir: Opened, name: string): Promise<FileInfo | null> {
    const info = await dir.file.entry(name);
    if (info === null || info.kind !== "symlink") return info;
    if (!this.options.site.symlinks) return null;
    const target = await this.openChecked(dir.path + this.fs.separator + name);
    if (target === null) return null;
    await target.file.close();
    return target.info;
  }

  /** Opens a path and checks what was opened (src/static/safe-open.ts); the caller closes it. */
  private openChecked(candidate: string): Promise<Opened | null> {
    return openInside(this.fs, this.options.root, candidate, this.options.site);
  }
}

function sameFile(a: FileInfo, b: FileInfo): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.kind === b.kind;
}

function sameSiblings(
  before: FileResolutionOf["siblings"],
  now: ReadonlyArray<{ readonly coding: string; readonly info: FileInfo }>,
): boolean {
  if (before.length !== now.length) return false;
  // A sibling's ETag is made from its size and modification time: equal tags, unchanged sibling.
  return before.every((rep, i) => rep.coding === now[i]!.coding && rep.validators.etag === validatorsFor(now[i]!.info, rep.coding!).etag);
}

type FileResolutionOf = Resolution & { kind: "file" };

/** Rendered listings per resolution, by format and sort (a cached listing is not rendered again). */
const renderedListings = new WeakMap<Resolution, Map<string, HttpResponse>>();

function renderedListing(
  listing: Resolution & { kind: "listing" },
  query: string | null,
  accept: string | undefined,
  cacheHeaders: ReadonlyArray<readonly [string, string]>,
): HttpResponse {
  const sort = parseListingSort(query);
  const key = `${acceptsJson(accept) ? "json" : "html"} ${sort.key} ${sort.order}`;
  let rendered = renderedListings.get(listing);
  if (rendered === undefined) renderedListings.set(listing, (rendered = new Map()));
  let response = rendered.get(key);
  if (response === undefined) {
    response = listingResponse(listing.segments, listing.entries, query, accept, cacheHeaders);
    rendered.set(key, response);
  }
  return response;
}

/** The whole file, or null when it did not read back at the size stat gave (it changed meanwhile). */
async function readWhole(file: OpenFile, size: number): Promise<Uint8Array | null> {
  const bytes = new Uint8Array(size);
  return (await readFully(file, bytes, 0)) === size ? bytes : null;
}

/** The folder's 404.html as the body of a 404 (built once per resolution). */
const notFoundPages = new WeakMap<Resolution, HttpResponse>();

function customNotFound(page: Resolution & { kind: "file" }): HttpResponse {
  let response = notFoundPages.get(page);
  if (response === undefined) {
    const body = page.body ?? { kind: "file" as const, open: page.open, start: 0, end: page.info.size };
    response = { status: 404, headers: [["Content-Type", "text/html; charset=utf-8"]], body };
    notFoundPages.set(page, response);
  }
  return response;
}
