/**
 * Temporaries a killed process left behind (temp-name.ts), removed before anything is served:
 * every one at start, or a dead worker's alone (its id is in the name). The walk goes through
 * SafeRoot with symlinks refused, so it never follows a symlink and never leaves the root: every
 * folder a write can reach through a symlink inside the root is also reached by its own name.
 * Hidden folders are entered only when --dotfiles serves them, as only then can a write go there.
 */
import type { Clock } from "../../ports/clock.ts";
import type { DirEntry, FileSystem } from "../../ports/file-system.ts";
import { type Opened, SafeRoot } from "../safe-root.ts";
import { tempWriter } from "./temp-name.ts";

/** How far one walk goes: names looked at, and time. Past either it stops and says where. */
export interface WalkBounds {
  readonly maxEntries: number;
  readonly maxMs: number;
}

/** A start waits for this walk: 200,000 names or 5 s, whichever comes first. */
export const DEFAULT_WALK_BOUNDS: WalkBounds = { maxEntries: 200_000, maxMs: 5_000 };

/** Whose temporaries: every one (at start), or those of one process (a worker that died). */
export type TempOwner = { readonly kind: "any" } | { readonly kind: "process"; readonly id: number };

export interface StaleTempSweep {
  readonly removed: number;
  /** The folder the walk stopped in when a bound was reached; null: the walk finished. */
  readonly stoppedAt: string | null;
  /** Temporaries found but not removed (permissions, I/O). */
  readonly failed: number;
}

export interface SweepDeps {
  readonly fs: FileSystem;
  readonly clock: Pick<Clock, "now">;
}

/** Walks the root (its real path), depth first, removing the temporaries `owner` left. */
export async function removeStaleTemps(
  deps: SweepDeps,
  root: string,
  site: { readonly dotfiles: boolean },
  owner: TempOwner,
  bounds: WalkBounds = DEFAULT_WALK_BOUNDS,
): Promise<StaleTempSweep> {
  const safe = new SafeRoot(deps.fs, root, { symlinks: false, dotfiles: site.dotfiles });
  const deadline = deps.clock.now() + bounds.maxMs;
  const pending = [root];
  let seen = 0;
  let removed = 0;
  let failed = 0;
  for (let where = pending.pop(); where !== undefined; where = pending.pop()) {
    if (seen >= bounds.maxEntries || deps.clock.now() >= deadline) return { removed, failed, stoppedAt: where };
    const dir = await safe.open(where);
    if (dir === null || dir.info.kind !== "directory") {
      await dir?.file.close();
      continue;
    }
    try {
      const names = (await dir.file.list()) ?? [];
      seen += names.length;
      const swept = await sweepFolder(safe, dir, names, owner, site.dotfiles);
      removed += swept.removed;
      failed += swept.failed;
      pending.push(...swept.folders);
    } finally {
      await dir.file.close();
    }
  }
  return { removed, failed, stoppedAt: null };
}

/** One folder: its temporaries removed (never a folder or a symlink by that name), its sub-folders to walk. */
async function sweepFolder(
  safe: SafeRoot,
  dir: Opened,
  names: readonly DirEntry[],
  owner: TempOwner,
  dotfiles: boolean,
): Promise<{ removed: number; failed: number; folders: string[] }> {
  let removed = 0;
  let failed = 0;
  const folders: string[] = [];
  for (const { name, symlink, directory } of names) {
    if (symlink) continue;
    const writer = tempWriter(name);
    if (writer !== null) {
      if (owner.kind === "process" && owner.id !== writer) continue;
      if ((await dir.file.entry(name))?.kind !== "file") continue;
      const result = await dir.file.remove(name);
      if (result.kind === "ok") removed++;
      else if (result.reason !== "missing") failed++;
    } else if ((dotfiles || !name.startsWith(".")) && directory !== false) {
      // The listing's word where it has one (opening the folder checks it again), else one lstat.
      if (directory === true || (await dir.file.entry(name))?.kind === "directory") folders.push(safe.child(dir, name));
    }
  }
  // The removals last across a crash too (as a write's rename does).
  if (removed > 0) await dir.file.sync();
  return { removed, failed, folders };
}

/** The one line a sweep logs, or null when it found nothing to say. */
export function sweepLine(sweep: StaleTempSweep, root: string, whose: string): string | null {
  if (sweep.removed === 0 && sweep.failed === 0 && sweep.stoppedAt === null) return null;
  const count = `${sweep.removed} stale upload ${sweep.removed === 1 ? "temporary" : "temporaries"}`;
  const failed = sweep.failed === 0 ? "" : `, ${sweep.failed} could not be removed`;
  const stopped = sweep.stoppedAt === null ? "" : `; stopped at ${sweep.stoppedAt} (walk bounded), the rest stay`;
  return `sundial: removed ${count} ${whose} under ${root}${failed}${stopped}`;
}
