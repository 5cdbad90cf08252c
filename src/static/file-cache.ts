import type { FileBody, HttpResponse } from "../http/response.ts";
import type { FileInfo } from "../ports.ts";
import type { ListingEntry } from "./listing/page.ts";
import type { Validators } from "./validators.ts";

/** One form of a file's content as sent: the file itself, a precompressed sibling, or encoded in memory. */
export interface Representation {
  /** The content coding (RFC 9110 §8.4), or null for the file as it is. */
  readonly coding: "br" | "zstd" | "gzip" | null;
  readonly validators: Validators;
  /** The 200 response, built once (its identity lets the connection reuse its head). */
  readonly response: HttpResponse;
  /** Header fields of a 304 for it (RFC 9110 §15.4.5: the validators and caching fields of the 200). */
  readonly notModified: HttpResponse;
}

/** What a URL path resolved to on disk, as the static handler needs it. */
export type Resolution =
  | {
    readonly kind: "file";
    /** Its real path, inside the root. */
    readonly path: string;
    /** As the opened file reported it (never from a lookup by name). */
    readonly info: FileInfo;
    /** Opens it again to send it, checked to be the same file and still inside the root. */
    readonly open: FileBody["open"];
    readonly contentType: string;
    /** The whole content for small files (read once, served from memory), else null. */
    readonly body: Uint8Array | null;
    /** The file as it is. */
    readonly identity: Representation;
    /** Precompressed siblings found next to it (name.br, name.zst, name.gz). */
    readonly siblings: readonly Representation[];
    /** Fields every representation carries (Cache-Control, Vary). */
    readonly common: ReadonlyArray<readonly [string, string]>;
    /** --compress applies: text-like, held in memory, within the size bounds. */
    readonly compressible: boolean;
    /**
     * Encodings made on the fly, cached with the resolution: a promise while one is being made,
     * then the result itself, so later requests are answered synchronously (null: not worth it
     * or failed).
     */
    readonly encoded: Map<string, Promise<Representation | null> | Representation | null>;
  }
  | { readonly kind: "listing"; readonly segments: readonly string[]; readonly entries: readonly ListingEntry[] }
  | { readonly kind: "directory" }
  | { readonly kind: "missing" };

/** How much the cache may hold. */
export interface FileCacheLimits {
  readonly maxEntries: number;
  /** Total bytes of file content held in memory. */
  readonly maxBodyBytes: number;
}

export interface FileCacheOptions extends FileCacheLimits {
  /** How long a resolution is trusted before the file system is asked again (--cache-ttl; bounded staleness). */
  readonly ttlMs: number;
}

export const DEFAULT_FILE_CACHE: FileCacheLimits = {
  maxEntries: 4096,
  maxBodyBytes: 32 * 1024 * 1024,
};

interface Entry {
  readonly resolution: Resolution;
  readonly checkedAt: number;
  readonly bodyBytes: number;
}

/**
 * URL path -> resolution, trusted for ttlMs, so a hot file costs no system call per request.
 * Staleness is bounded: after a file changes, at most ttlMs pass before it is served fresh
 * (nginx's open_file_cache trusts its entries for 60 s by default). Entries leave oldest first.
 */
export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private bodyBytes = 0;

  constructor(private readonly options: FileCacheOptions) {}

  /** A resolution still within its TTL, or undefined. */
  fresh(key: string, now: number): Resolution | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || now - entry.checkedAt >= this.options.ttlMs) return undefined;
    return entry.resolution;
  }

  /** The last resolution for a key, however old (to reuse content that did not change). */
  previous(key: string): Resolution | undefined {
    return this.entries.get(key)?.resolution;
  }

  /** Whether content of this size may be kept in memory as well. */
  canHold(size: number, key: string): boolean {
    const replaced = this.entries.get(key)?.bodyBytes ?? 0;
    return this.bodyBytes - replaced + size <= this.options.maxBodyBytes;
  }

  set(key: string, resolution: Resolution, now: number): void {
    this.delete(key);
    const bodyBytes = heldBytes(resolution);
    this.entries.set(key, { resolution, checkedAt: now, bodyBytes });
    this.bodyBytes += bodyBytes;
    while (this.entries.size > this.options.maxEntries || this.bodyBytes > this.options.maxBodyBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bodyBytes -= entry.bodyBytes;
  }
}

/** Per listed entry, beyond its name: the entry object and its share of the array. */
const LISTING_ENTRY_BYTES = 96;

/**
 * Memory a resolution holds: a file's content (its on-the-fly encodings are smaller than it, so
 * a file with both brotli and gzip holds at most three times this), or a listing's entries.
 */
function heldBytes(resolution: Resolution): number {
  if (resolution.kind === "file") return resolution.body === null ? 0 : resolution.body.length;
  if (resolution.kind !== "listing") return 0;
  let bytes = 0;
  for (const entry of resolution.entries) bytes += LISTING_ENTRY_BYTES + 2 * entry.name.length;
  return bytes;
}
