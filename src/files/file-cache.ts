import type { Response } from "../http/response.ts";
import type { FileInfo } from "../ports.ts";

/** What a URL path resolved to on disk, as the static handler needs it. */
export type Resolution =
  | {
    readonly kind: "file";
    readonly path: string;
    readonly info: FileInfo;
    /** The response header fields that depend on the file (Content-Type). */
    readonly headers: ReadonlyArray<readonly [string, string]>;
    /** The whole content for small files (read once, served from memory), else null. */
    readonly body: Uint8Array | null;
    /** The 200 response for it, built once (its identity lets the connection reuse its head). */
    readonly response: Response;
  }
  | { readonly kind: "directory" }
  | { readonly kind: "missing" };

export interface FileCacheOptions {
  /** How long a resolution is trusted before the file system is asked again (bounded staleness). */
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** Total bytes of file content held in memory. */
  readonly maxBodyBytes: number;
}

export const DEFAULT_FILE_CACHE: FileCacheOptions = {
  ttlMs: 1000,
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
    const bodyBytes = resolution.kind === "file" && resolution.body !== null ? resolution.body.length : 0;
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

  get size(): number {
    return this.entries.size;
  }
}
