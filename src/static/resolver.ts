import { readFully } from "../io/read-fully.ts";
import type { DirEntry, FileInfo, OpenFile } from "../ports/file-system.ts";
import type { FileCache } from "./file-cache.ts";
import { buildFileResolution } from "./file-response.ts";
import type { ListingEntry } from "./listing/entry.ts";
import type { FileResolution, Resolution } from "./resolution.ts";
import type { Opened, SafeRoot } from "./safe-root.ts";
import type { SiteOptions } from "./options.ts";
import { validatorsFor } from "./validators.ts";

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

type Sibling = { readonly coding: "br" | "zstd" | "gzip"; readonly path: string; readonly info: FileInfo };

/** What the resolver asks of the cache: the last resolution of a key, and room for content. */
export type ResolutionMemory = Pick<FileCache, "previous" | "canHold">;

/** The options that change what a path resolves to. */
export interface ResolverOptions {
  readonly site: Pick<SiteOptions, "listing" | "dotfiles" | "symlinks" | "compress">;
  /** Header fields every file response carries (Cache-Control). */
  readonly cacheHeaders: ReadonlyArray<readonly [string, string]>;
}

/**
 * Turns a URL path's decoded segments into a resolution by opening and checking (every open
 * goes through the SafeRoot): a file (with its precompressed siblings), a folder's index.html or
 * listing, a folder to redirect to its slash form, or missing.
 */
export class Resolver {
  constructor(
    private readonly root: SafeRoot,
    private readonly memory: ResolutionMemory,
    private readonly options: ResolverOptions,
  ) {}

  /** `key` is the canonical URL path the resolution will be cached under. */
  async resolve(key: string, segments: readonly string[], trailingSlash: boolean): Promise<Resolution> {
    const found = await this.root.open(this.root.pathOf(segments));
    if (found === null) return MISSING;
    try {
      return await this.resolveOpened(key, found, segments, trailingSlash);
    } finally {
      await found.file.close();
    }
  }

  /** What an opened (and checked) path is: everything below reads through its descriptor. */
  private async resolveOpened(
    key: string,
    found: Opened,
    segments: readonly string[],
    trailingSlash: boolean,
  ): Promise<Resolution> {
    if (found.info.kind === "file") {
      return trailingSlash ? MISSING : this.fileResolution(key, found, segments[segments.length - 1]!);
    }
    // A folder named without its slash redirects; with it, it serves its index.html or a listing.
    if (!trailingSlash && segments.length > 0) return DIRECTORY;
    const index = await this.root.open(this.root.child(found, "index.html"));
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
    const siblings: Sibling[] = [];
    for (const [coding, suffix] of SIBLINGS) {
      const sibling = await this.root.open(path + suffix);
      if (sibling === null) continue;
      await sibling.file.close();
      if (sibling.info.kind === "file") siblings.push({ coding, path: sibling.path, info: sibling.info });
    }
    const before = this.memory.previous(key);
    const unchanged = before?.kind === "file" && before.path === path && sameFile(before.info, info);
    // Unchanged, siblings too: keep the resolution, its content and encodings already in memory.
    if (unchanged && sameSiblings(before.siblings, siblings)) return before;
    let body: Uint8Array | null = unchanged ? before.body : null;
    // Read through the checked descriptor: nothing from outside the root can enter the cache.
    if (body === null && info.size <= MEMORY_FILE && this.memory.canHold(info.size, key)) {
      body = await readWhole(found.file, info.size);
    }
    return buildFileResolution({
      path,
      info,
      name,
      body,
      siblings,
      compress: this.options.site.compress,
      cacheHeaders: this.options.cacheHeaders,
      opener: this.opener,
    });
  }

  /** Sending opens the file again: it must be the same file, still inside the root. */
  private readonly opener = (path: string, info: FileInfo) => () => this.root.reopen(path, info);

  /** The folder's entries that could be served: not hidden, not refused symlinks, inside the root. */
  private async listInside(dir: Opened): Promise<ListingEntry[] | null> {
    const names = await dir.file.list();
    if (names === null) return null;
    // A bounded page: a folder of a million files must not stall the server.
    const visible = visibleNames(names, this.options.site).slice(0, MAX_LISTED);
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
  async entryInfo(dir: Opened, name: string): Promise<FileInfo | null> {
    const info = await dir.file.entry(name);
    if (info === null || info.kind !== "symlink") return info;
    if (!this.options.site.symlinks) return null;
    const target = await this.root.open(this.root.child(dir, name));
    if (target === null) return null;
    await target.file.close();
    return target.info;
  }
}

/** The names a listing (and an archive) may show, before any stat: not hidden, not refused symlinks. */
export function visibleNames(names: readonly DirEntry[], site: Pick<SiteOptions, "dotfiles" | "symlinks">): DirEntry[] {
  return names.filter((e) => (site.dotfiles || !e.name.startsWith(".")) && (site.symlinks || !e.symlink));
}

function sameFile(a: FileInfo, b: FileInfo): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.kind === b.kind;
}

function sameSiblings(before: FileResolution["siblings"], now: readonly Sibling[]): boolean {
  if (before.length !== now.length) return false;
  // A sibling's ETag is made from its size and modification time: equal tags, unchanged sibling.
  return before.every((rep, i) =>
    rep.coding === now[i]!.coding && rep.validators.etag === validatorsFor(now[i]!.info, rep.coding!).etag
  );
}

/** The whole file, or null when it did not read back at the size stat gave (it changed meanwhile). */
async function readWhole(file: OpenFile, size: number): Promise<Uint8Array | null> {
  const bytes = new Uint8Array(size);
  return (await readFully(file, bytes, 0)) === size ? bytes : null;
}
