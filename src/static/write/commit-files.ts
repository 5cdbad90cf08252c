import type { OpenFile } from "../../ports/file-system.ts";
import { statusOf } from "./folder.ts";
import type { Received } from "./form-upload.ts";
import { type Refused, refused } from "./temp-file.ts";

/**
 * Commits an upload read whole: every name checked free first (409, nothing done), then the new
 * folder made, then each file moved from its temporary to its name with a move that never
 * replaces, then the folder flushed. Should one move fail (a name taken in the instant since the
 * check: 409; a full disk: 507; else 500), what this request already committed is taken back
 * (each name removed only while it still is the file this request wrote, the new folder only
 * while empty), so the request leaves all of its files or none. Only a crash inside this loop
 * can leave some: those moved before it, each whole.
 */
export async function commitFiles(
  dir: OpenFile,
  files: readonly Received[],
  folder: string | null,
  changed: () => void,
): Promise<Refused | null> {
  for (const name of [...files.map((f) => f.name), ...(folder === null ? [] : [folder])]) {
    if ((await dir.entry(name)) !== null) return refused(409);
  }
  if (folder !== null) {
    const made = await dir.makeFolder(folder);
    if (made.kind === "failed") return refused(statusOf(made.reason));
  }
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const moved = await dir.renameNoReplace(file.temp.name, file.name);
    if (moved.kind === "failed") {
      await takeBack(dir, files.slice(0, i), folder);
      // What was there for an instant may have been read meanwhile: the file cache forgets it.
      changed();
      return refused(moved.reason === "exists" ? 409 : moved.reason === "no-space" ? 507 : 500);
    }
  }
  await dir.sync();
  return null;
}

async function takeBack(dir: OpenFile, committed: readonly Received[], folder: string | null): Promise<void> {
  for (const file of committed) {
    const now = await dir.entry(file.name);
    if (now?.id === file.info.id) await dir.remove(file.name);
  }
  if (folder !== null) await dir.removeFolder(folder);
  await dir.sync();
}
