import type { Opened, SafeRoot } from "../safe-root.ts";

/** The folder a write happens in, opened and checked; or the status that refuses the write. */
export type WriteFolder = { readonly kind: "folder"; readonly folder: Opened } | {
  readonly kind: "refused";
  readonly status: number;
};

/**
 * Opens the folder named by `segments` one level at a time, each through SafeRoot (inside the
 * root, symlinks only as the site allows, no hidden name unless served), so a write never lands
 * outside the root. A missing level is made when `mkdir` is on, else 409 (RFC 9110 §15.5.10: the
 * request conflicts with the state of the resource); a level that is not a folder is 409 too.
 */
export async function openFolder(root: SafeRoot, segments: readonly string[], mkdir: boolean): Promise<WriteFolder> {
  let current = await root.open(root.root);
  if (current === null || current.info.kind !== "directory") return refuse(current, 500);
  for (const name of segments) {
    const next = await enter(root, current, name, mkdir);
    await current.file.close();
    if (next.kind === "refused") return next;
    current = next.folder;
  }
  return { kind: "folder", folder: current };
}

async function enter(root: SafeRoot, dir: Opened, name: string, mkdir: boolean): Promise<WriteFolder> {
  const entry = await dir.file.entry(name);
  if (entry === null) {
    if (!mkdir) return { kind: "refused", status: 409 };
    const made = await dir.file.makeFolder(name);
    if (made.kind === "failed" && made.reason !== "exists") return { kind: "refused", status: statusOf(made.reason) };
    await dir.file.sync();
  }
  const next = await root.open(root.child(dir, name));
  // A symlink refused by the site's policy, or leading out of the root: as if absent (reading says 404).
  if (next === null) return { kind: "refused", status: entry?.kind === "symlink" ? 403 : 409 };
  if (next.info.kind !== "directory") return refuse(next, 409);
  return { kind: "folder", folder: next };
}

async function refuse(opened: Opened | null, status: number): Promise<WriteFolder> {
  await opened?.file.close();
  return { kind: "refused", status };
}

/** RFC 9110 §15.5.10 (409), RFC 4918 §11.5 (507 Insufficient Storage), else 500. */
export function statusOf(reason: "exists" | "not-empty" | "no-space" | "missing" | "other"): number {
  if (reason === "no-space") return 507;
  if (reason === "exists" || reason === "not-empty" || reason === "missing") return 409;
  return 500;
}
