import type { Resolution } from "./resolution.ts";

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
  /** Counts clear(): a resolution read from the disk before a clear is not stored after it. */
  generation = 0;

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

  /**
   * Forgets everything: after a write or delete this server made, no entry (the file's, its
   * folder's listing, another spelling of its path) may be served stale.
   */
  clear(): void {
    this.entries.clear();
    this.bodyBytes = 0;
    this.generation++;
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
