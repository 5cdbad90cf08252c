import type { ArchiveEntry } from "../../archive/entry.ts";
import type { OpenFile } from "../../ports/file-system.ts";
import { compareNames } from "../listing/page.ts";
import type { Resolver } from "../resolver.ts";
import { visibleNames } from "../resolver.ts";
import type { Opened, SafeRoot } from "../safe-root.ts";
import type { SiteOptions } from "../options.ts";

/** Bytes read from a file at once while it is archived. */
const READ_SIZE = 64 * 1024;

/** What the walk needs: the root every open goes through, and the listing's rules for a folder's names. */
export interface WalkRules {
  readonly root: SafeRoot;
  readonly resolver: Pick<Resolver, "entryInfo">;
  readonly site: Pick<SiteOptions, "dotfiles" | "symlinks">;
  /**
   * Told when a file's size is not the one the walk found (it shrank, grew or went while it was
   * archived): its real path, the size listed, and the size when read (null: gone).
   */
  readonly onChange?: (path: string, listed: number, now: number | null) => void;
}

/**
 * Everything under an opened folder, depth first, names in the listing's order, found as the
 * archive is written (one folder's names in memory per level, one file open at a time). The
 * listing's rules decide what is in: hidden names and refused symlinks are left out, a symlink is
 * followed only when it opens inside the root (SafeRoot), and a folder met again below itself (a
 * symlink loop) is left out. `dir` stays the caller's to close.
 */
export async function* walkFolder(
  rules: WalkRules,
  dir: Opened,
  prefix = "",
  ancestors: ReadonlySet<string> = new Set(),
): AsyncGenerator<ArchiveEntry> {
  const names = await dir.file.list();
  if (names === null) return;
  const inside = new Set([...ancestors, dir.info.id]);
  const visible = visibleNames(names, rules.site).map((e) => e.name).sort(compareNames);
  for (const name of visible) {
    const info = await rules.resolver.entryInfo(dir, name);
    if (info === null) continue;
    const path = prefix === "" ? name : `${prefix}/${name}`;
    const where = rules.root.child(dir, name);
    if (info.kind === "file") {
      yield {
        path,
        kind: "file",
        size: info.size,
        mtimeMs: info.mtimeMs,
        content: () => fileContent(rules, where, info.size),
      };
    } else if (info.kind === "directory") {
      yield* walkSubfolder(rules, where, path, inside);
    }
  }
}

async function* walkSubfolder(
  rules: WalkRules,
  where: string,
  path: string,
  ancestors: ReadonlySet<string>,
): AsyncGenerator<ArchiveEntry> {
  const sub = await rules.root.open(where);
  if (sub === null) return;
  try {
    if (sub.info.kind !== "directory" || ancestors.has(sub.info.id)) return;
    yield { path, kind: "directory", size: 0, mtimeMs: sub.info.mtimeMs, content: noContent };
    yield* walkFolder(rules, sub, path, ancestors);
  } finally {
    await sub.file.close();
  }
}

async function* noContent(): AsyncGenerator<Uint8Array> {}

/**
 * A file's bytes, at most `size` (what its header promised), opened again through the root so
 * the same checks apply at the time it is read; closed when the reader stops, early or not.
 * A file read to its end whose size is not `size` (before, while or after it was read) is told
 * to rules.onChange, as is one gone.
 */
async function* fileContent(rules: WalkRules, where: string, size: number): AsyncGenerator<Uint8Array> {
  const opened = await rules.root.open(where);
  if (opened === null || opened.info.kind !== "file") {
    await opened?.file.close();
    rules.onChange?.(where, size, null);
    return;
  }
  let given = 0;
  let ended = false;
  try {
    for await (const piece of readUpTo(opened.file, size)) {
      given += piece.length;
      yield piece;
    }
    ended = true;
  } finally {
    // Read whole (a zip stops reading at `size` itself): the size now says whether it changed.
    if (ended || given >= size) await reportChange(rules, opened.file, where, size, given);
    await opened.file.close();
  }
}

async function reportChange(rules: WalkRules, file: OpenFile, where: string, size: number, given: number) {
  if (rules.onChange === undefined) return;
  const now = given < size ? given : (await file.stat())?.size ?? given;
  if (now !== size) rules.onChange(where, size, now);
}

/**
 * One buffer for the whole file, filled again for each piece (ArchiveEntry.content: a piece is
 * valid until the next is asked for): 2 GiB archived make no garbage for the collector to catch up
 * with (issue 24: on Node a new 64 KiB buffer per piece raised RSS by 40 MiB).
 */
async function* readUpTo(file: OpenFile, size: number): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(Math.min(READ_SIZE, size));
  let position = 0;
  while (position < size) {
    const piece = buffer.subarray(0, Math.min(buffer.length, size - position));
    const read = await file.read(piece, position);
    if (read === 0) return;
    position += read;
    yield piece.subarray(0, read);
  }
}
