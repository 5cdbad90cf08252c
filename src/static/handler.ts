import { errorResponse } from "../http/error-page.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";
import type { Clock } from "../ports/clock.ts";
import type { Compressor } from "../ports/compress.ts";
import type { FileSystem } from "../ports/file-system.ts";
import { type ArchiveFormat, archiveFormat, archiveResponse } from "./archive/response.ts";
import { walkFolder } from "./archive/walk.ts";
import { FileCache, type FileCacheLimits } from "./file-cache.ts";
import { fileResponse } from "./file-response.ts";
import { acceptsJson, type ListingFeatures, listingResponse, parseListingSort } from "./listing/page.ts";
import type { SiteOptions } from "./options.ts";
import type { FileResolution, ListingResolution, LookUp, Resolution } from "./resolution.ts";
import { Resolver } from "./resolver.ts";
import { SafeRoot } from "./safe-root.ts";
import { resolveUrlPath } from "./url-path.ts";
import type { RequestBody } from "../http/request-body.ts";
import { write } from "./write/writes.ts";
import { isTempName } from "./write/temp-name.ts";
import type { WriteContext } from "./write/write-target.ts";

export interface StaticOptions {
  /** The served folder's real path (symlinks resolved), without a trailing separator. */
  readonly root: string;
  readonly site: SiteOptions;
  /** How much the cache may hold; how long it trusts an entry is the site's --cache-ttl. */
  readonly cache: FileCacheLimits;
  /** Told of each look-up: answered from the cache (true) or from the disk (false), for the metrics. */
  readonly onCacheLookUp?: (hit: boolean) => void;
  /** This process's id, in the names of upload temporaries (write/temp-name.ts); 0 when absent. */
  readonly writer?: number;
  /** One line for the server's log (a file that changed while archived); absent: not said. */
  readonly warn?: (line: string) => void;
}

const HIDDEN: LookUp = { kind: "hidden" };

/** GET/HEAD of files under the root (RFC 9110 §9.3.1, §9.3.2), with resolutions cached. */
export class StaticFiles {
  private readonly cache: FileCache;
  private readonly resolver: Resolver;
  private readonly writes: WriteContext;
  private readonly root: SafeRoot;
  /** Told of a file that changed while it was archived: one warning line (docs/static-files.md). */
  private readonly onArchiveChange: (path: string, listed: number, now: number | null) => void;
  /** Header fields every file and listing response carries (Cache-Control). */
  private readonly cacheHeaders: ReadonlyArray<readonly [string, string]>;

  constructor(
    fs: FileSystem,
    private readonly clock: Clock,
    private readonly compressor: Compressor,
    private readonly options: StaticOptions,
  ) {
    const { site } = options;
    this.cache = new FileCache({ ...options.cache, ttlMs: site.cacheTtlMs });
    this.cacheHeaders = site.cacheControl === null ? [] : [["Cache-Control", site.cacheControl]];
    const root = this.root = new SafeRoot(fs, options.root, site);
    this.resolver = new Resolver(root, this.cache, { site, cacheHeaders: this.cacheHeaders });
    this.writes = { root, site, changed: () => this.cache.clear(), writer: options.writer ?? 0 };
    const warn = options.warn ?? (() => {});
    this.onArchiveChange = (path, listed, now) => warn(changedLine(path.slice(options.root.length), listed, now));
  }

  /** PUT and DELETE (write/writes.ts), as the site allows them; the cache forgets what they change. */
  write(
    head: RequestHead,
    rawPath: string,
    prefix: string,
    body: RequestBody | null,
  ): HttpResponse | Promise<HttpResponse> {
    return write(this.writes, head, rawPath, prefix, body);
  }

  /**
   * Synchronous for a cache hit without conditions; a promise when the disk must be asked.
   * `prefix` is the path the site is served under ("/files", from --base-path or a trusted
   * X-Forwarded-Prefix; "" at the root): listings show it, and their links are relative.
   */
  serve(head: RequestHead, rawPath: string, query: string | null, prefix = ""): HttpResponse | Promise<HttpResponse> {
    const format = this.options.site.archives === true && this.options.site.listing ? archiveFormat(query) : null;
    if (format !== null) {
      return this.archive(head, rawPath, format).then((r) => r ?? this.serveResolved(head, rawPath, query, prefix));
    }
    return this.serveResolved(head, rawPath, query, prefix);
  }

  private serveResolved(
    head: RequestHead,
    rawPath: string,
    query: string | null,
    prefix: string,
  ): HttpResponse | Promise<HttpResponse> {
    const found = this.lookUp(rawPath);
    if (found instanceof Promise) return found.then((r) => this.respond(r, head, rawPath, query, prefix));
    return this.respond(found, head, rawPath, query, prefix);
  }

  /** The cached or fresh resolution of a URL path, or what the URL alone decides (hidden, refused). */
  private lookUp(rawPath: string): LookUp | Promise<LookUp> {
    const hit = this.cache.fresh(rawPath, this.clock.now());
    this.options.onCacheLookUp?.(hit !== undefined);
    if (hit !== undefined) return hit;
    const safe = resolveUrlPath(rawPath);
    if (safe.kind === "refused") return safe;
    if (!this.options.site.dotfiles && safe.segments.some((s) => s.startsWith("."))) return HIDDEN;
    // An upload in progress (write/temp-name.ts) is never served, even with --dotfiles.
    if (safe.segments.some(isTempName)) return HIDDEN;
    const checkedAt = this.clock.now();
    // Every spelling of a path (//a, /%61) shares the resolution of its canonical form, so a
    // file is read, held and compressed once however it is asked for.
    const canonical = `/${safe.segments.join("/")}${safe.trailingSlash && safe.segments.length > 0 ? "/" : ""}`;
    const generation = this.cache.generation;
    return this.resolver.resolve(canonical, safe.segments, safe.trailingSlash).then((resolution) => {
      // A write finished meanwhile: what was read may be the old file, so it is not kept.
      if (this.cache.generation !== generation) return resolution;
      this.cache.set(canonical, resolution, checkedAt);
      if (rawPath !== canonical) this.cache.set(rawPath, resolution, checkedAt);
      return resolution;
    });
  }

  private respond(
    found: LookUp,
    head: RequestHead,
    rawPath: string,
    query: string | null,
    prefix: string,
  ): HttpResponse | Promise<HttpResponse> {
    switch (found.kind) {
      case "refused":
        return errorResponse(found.status);
      case "hidden":
      case "missing":
        return this.notFound(head);
      case "directory": {
        // The slash form, so relative links in the page resolve inside the folder; keep the query.
        const location = `${slashForm(rawPath)}${query === null ? "" : `?${query}`}`;
        return {
          status: 301,
          headers: [["Location", location], ["Content-Type", "text/html; charset=utf-8"]],
          body: null,
        };
      }
      case "listing":
        return renderedListing(
          found,
          query,
          head.fields.accept,
          this.cacheHeaders,
          prefix,
          this.options.site,
        );
      case "file":
        return fileResponse(found, head, this.compressor, this.clock.now());
    }
  }

  /**
   * A folder (named with its slash) as one archive, or null to answer as without --archives (a
   * file, a hidden or missing path, a folder without its slash, which redirects keeping the query).
   */
  private async archive(head: RequestHead, rawPath: string, format: ArchiveFormat): Promise<HttpResponse | null> {
    const safe = resolveUrlPath(rawPath);
    if (safe.kind === "refused" || (!safe.trailingSlash && safe.segments.length > 0)) return null;
    if (!this.options.site.dotfiles && safe.segments.some((s) => s.startsWith("."))) return null;
    const dir = await this.root.open(this.root.pathOf(safe.segments));
    if (dir === null) return null;
    const name = safe.segments.at(-1) ?? (this.options.root.split(/[\\/]/).at(-1) || "files");
    // RFC 9110 §9.3.2: HEAD gets GET's fields; the folder is not walked for a body never sent.
    if (dir.info.kind !== "directory" || head.method === "HEAD") await dir.file.close();
    if (dir.info.kind !== "directory") return null;
    if (head.method === "HEAD") {
      return archiveResponse(noEntries(), format, name, this.compressor, () => Promise.resolve());
    }
    const rules = { root: this.root, resolver: this.resolver, site: this.options.site, onChange: this.onArchiveChange };
    return archiveResponse(walkFolder(rules, dir), format, name, this.compressor, () => dir.file.close());
  }

  /** 404: or /index.html with --spa, or the folder's own 404.html. */
  private notFound(head: RequestHead): HttpResponse | Promise<HttpResponse> {
    const fallback = this.options.site.spa ? "/index.html" : "/404.html";
    const found = this.lookUp(fallback);
    const use = (r: LookUp): HttpResponse | Promise<HttpResponse> => {
      if (r.kind !== "file") return errorResponse(404);
      return this.options.site.spa ? fileResponse(r, head, this.compressor, this.clock.now()) : customNotFound(r);
    };
    return found instanceof Promise ? found.then(use) : use(found);
  }
}

/**
 * The folder's URL with its slash, relative to the folder's parent ("nested/" for /files/nested):
 * right under whatever prefix a proxy removed (RFC 9110 §10.2.2 allows a relative reference), and
 * never "//host/", which would send the browser to another site. "./" keeps a segment with a
 * colon from reading as a scheme (RFC 3986 §4.2).
 */
function slashForm(rawPath: string): string {
  const last = rawPath.slice(rawPath.lastIndexOf("/") + 1);
  return last.includes(":") ? `./${last}/` : `${last}/`;
}

/** Rendered listings per resolution, by format, sort and prefix (a cached listing is not rendered again). */
const renderedListings = new WeakMap<Resolution, Map<string, HttpResponse>>();

function renderedListing(
  listing: ListingResolution,
  query: string | null,
  accept: string | undefined,
  cacheHeaders: ReadonlyArray<readonly [string, string]>,
  prefix: string,
  features: ListingFeatures,
): HttpResponse {
  const sort = parseListingSort(query);
  const key = `${acceptsJson(accept) ? "json" : "html"} ${sort.key} ${sort.order} ${prefix}`;
  let rendered = renderedListings.get(listing);
  if (rendered === undefined) renderedListings.set(listing, rendered = new Map());
  let response = rendered.get(key);
  if (response === undefined) {
    response = listingResponse(listing.segments, listing.entries, query, accept, cacheHeaders, prefix, features);
    rendered.set(key, response);
  }
  return response;
}

/** The folder's 404.html as the body of a 404 (built once per resolution). */
const notFoundPages = new WeakMap<Resolution, HttpResponse>();

function customNotFound(page: FileResolution): HttpResponse {
  let response = notFoundPages.get(page);
  if (response === undefined) {
    const body = page.body ?? { kind: "file" as const, open: page.open, start: 0, end: page.info.size };
    response = { status: 404, headers: [["Content-Type", "text/html; charset=utf-8"]], body };
    notFoundPages.set(page, response);
  }
  return response;
}

async function* noEntries(): AsyncGenerator<never> {}

/** The warning for a file that changed while archived: the tar pads or cuts it, the zip has what was read. */
export function changedLine(path: string, listed: number, now: number | null): string {
  const what = now === null ? "was gone when read" : `${now < listed ? "shrank" : "grew"} to ${now} bytes`;
  // The name quoted: a file name may hold a newline, which must not start a line of its own.
  return `sundial: warning: ${
    JSON.stringify(path)
  } changed while archived: listed at ${listed} bytes, it ${what} (a tar pads or cuts it to ${listed}; a zip holds what was read)`;
}
