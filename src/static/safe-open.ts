import type { FileInfo, FileSystem, OpenFile } from "../ports.ts";

/** What may be served from under the root, besides plain names inside it. */
export interface ContainmentPolicy {
  /** Follow symlinks whose target stays inside the root (else refuse every path through one). */
  readonly symlinks: boolean;
  /** Serve names starting with "." (also as the target of a symlink). */
  readonly dotfiles: boolean;
}

/** A file or folder opened under the root and checked: `path` and `info` are the opened file's own. */
export interface Opened {
  readonly file: OpenFile;
  /** Its real path (inside the root). */
  readonly path: string;
  readonly info: FileInfo;
}

/**
 * Opens `candidate` and checks the file actually opened, not the name: whoever can rename
 * entries in the served folder can swap a folder for a symlink between any check by name and
 * the open (a time-of-check-to-time-of-use race). So the check is on the descriptor: its own
 * path as the kernel reports it must be inside the root (compared with root + separator, so
 * /srv/www-old is not inside /srv/www); with symlinks refused, it must be the very path asked
 * for; a hidden name is refused unless dotfiles are served. Only files and folders pass.
 * Resolves with the open file (the caller closes it), or null, having closed it.
 */
export async function openInside(fs: FileSystem, root: string, candidate: string, policy: ContainmentPolicy): Promise<Opened | null> {
  const file = await fs.open(candidate);
  if (file === null) return null;
  const checked = await check(fs, file, root, candidate, policy);
  if (checked === null) await file.close();
  return checked;
}

async function check(fs: FileSystem, file: OpenFile, root: string, candidate: string, policy: ContainmentPolicy): Promise<Opened | null> {
  const info = await file.stat();
  if (info === null || (info.kind !== "file" && info.kind !== "directory")) return null;
  let real = await file.path();
  if (real === null) {
    // The platform cannot name a descriptor: resolve the name again, after the open, and
    // require it to be the same file (device and inode). This narrows the race to the time
    // between those two calls; it does not close it (README: Path safety).
    real = await fs.realPath(candidate);
    if (real === null || (await fs.stat(real))?.id !== info.id) return null;
  }
  if (!isInside(root, real, fs.separator)) return null;
  if (!policy.symlinks && real !== candidate) return null;
  // A symlink must not reveal a hidden name (envlink -> .env) unless dotfiles are served.
  if (!policy.dotfiles && real.slice(root.length).split(fs.separator).some((s) => s.startsWith("."))) return null;
  return { file, path: real, info };
}

/** The root itself, or a path below it (root + separator + more). */
export function isInside(root: string, real: string, separator: string): boolean {
  return real === root || real.startsWith(root.endsWith(separator) ? root : root + separator);
}

/**
 * Opens a file again to send it: the same checks, and it must still be the same file (device
 * and inode) at the same size, or the promised Content-Length and validators would lie.
 */
export async function reopenInside(
  fs: FileSystem,
  root: string,
  path: string,
  expected: FileInfo,
  policy: ContainmentPolicy,
): Promise<OpenFile | null> {
  const opened = await openInside(fs, root, path, policy);
  if (opened === null) return null;
  if (opened.info.id === expected.id && opened.info.size === expected.size) return opened.file;
  await opened.file.close();
  return null;
}
