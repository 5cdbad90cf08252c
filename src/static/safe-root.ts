import type { FileInfo, FileSystem, OpenFile } from "../ports/file-system.ts";
import { guardedPrefixes, underGuarded } from "./guarded-paths.ts";

/** What may be served from under the root, besides plain names inside it. */
export interface ContainmentPolicy {
  /** Follow symlinks whose target stays inside the root (else refuse every path through one). */
  readonly symlinks: boolean;
  /** Serve names starting with "." (also as the target of a symlink). */
  readonly dotfiles: boolean;
  /**
   * The paths --auth-path guards (canonical, "/private"): a file is opened only when its name and
   * its real path are both under them or both outside, so no symlink carries a guarded file out
   * to a name without a password, nor the other way. Absent or empty: no such line.
   */
  readonly guardedPaths?: readonly string[];
}

/** A file or folder opened under the root and checked: `path` and `info` are the opened file's own. */
export interface Opened {
  readonly file: OpenFile;
  /** Its real path (inside the root). */
  readonly path: string;
  readonly info: FileInfo;
}

/**
 * The served folder's boundary: every file the server reads is opened here, and checked here.
 *
 * The check is on the file actually opened, not on the name: whoever can rename entries in the
 * served folder can swap a folder for a symlink between any check by name and the open (a
 * time-of-check-to-time-of-use race). So the opened descriptor's own path, as the kernel reports
 * it, must be inside the root (compared with root + separator, so /srv/www-old is not inside
 * /srv/www); with symlinks refused, it must be the very path asked for; a hidden name is refused
 * unless dotfiles are served. Only files and folders pass. ".." and encoded traversal never get
 * here: url-path.ts refuses them first (DESIGN: path safety, in order).
 */
export class SafeRoot {
  private readonly guarded: string[][];

  /**
   * `root` is the served folder's real path (symlinks resolved), without a trailing separator.
   * The policy is read once: these are the only options that decide what may be opened.
   */
  constructor(
    private readonly fs: FileSystem,
    readonly root: string,
    private readonly policy: ContainmentPolicy,
  ) {
    this.guarded = guardedPrefixes(policy.guardedPaths ?? []);
  }

  /** The file system's path separator ("/" or "\\"). */
  get separator(): string {
    return this.fs.separator;
  }

  /** The path of a name below the root, given as its decoded URL segments ([] is the root). */
  pathOf(segments: readonly string[]): string {
    return segments.length === 0 ? this.root : this.root + this.fs.separator + segments.join(this.fs.separator);
  }

  /** `name` inside an opened (and checked) folder. */
  child(dir: Opened, name: string): string {
    return dir.path + this.fs.separator + name;
  }

  /** Resolves with the open file (the caller closes it), or null, having closed what it opened. */
  async open(candidate: string): Promise<Opened | null> {
    const file = await this.fs.open(candidate);
    if (file === null) return null;
    const checked = await this.check(file, candidate);
    if (checked === null) await file.close();
    return checked;
  }

  /**
   * Opens a file again to send it: the same checks, and it must still be the same file (device
   * and inode) at the same size, or the promised Content-Length and validators would lie.
   */
  async reopen(path: string, expected: FileInfo): Promise<OpenFile | null> {
    const opened = await this.open(path);
    if (opened === null) return null;
    if (opened.info.id === expected.id && opened.info.size === expected.size) return opened.file;
    await opened.file.close();
    return null;
  }

  private async check(file: OpenFile, candidate: string): Promise<Opened | null> {
    const { fs, root, policy } = this;
    const info = await file.stat();
    if (info === null || (info.kind !== "file" && info.kind !== "directory")) return null;
    let real = await file.path();
    if (real === null) {
      // The platform cannot name a descriptor: resolve the name again, after the open, and
      // require it to be the same file (device and inode). This narrows the race to the time
      // between those two calls; it does not close it (docs/static-files.md, Path safety).
      real = await fs.realPath(candidate);
      if (real === null || (await fs.stat(real))?.id !== info.id) return null;
    }
    if (!isInside(root, real, fs.separator)) return null;
    if (!policy.symlinks && real !== candidate) return null;
    // A symlink must not reveal a hidden name (envlink -> .env) unless dotfiles are served.
    if (!policy.dotfiles && real.slice(root.length).split(fs.separator).some((s) => s.startsWith("."))) return null;
    if (this.guarded.length > 0 && this.crossesGuard(candidate, real)) return null;
    return { file, path: real, info };
  }

  /** Whether the name asked for and the file opened sit on different sides of --auth-path. */
  private crossesGuard(candidate: string, real: string): boolean {
    const below = (path: string): string[] =>
      path.slice(this.root.length).split(this.fs.separator).filter((s) => s !== "");
    return underGuarded(this.guarded, below(candidate)) !== underGuarded(this.guarded, below(real));
  }
}

/** The root itself, or a path below it (root + separator + more). */
export function isInside(root: string, real: string, separator: string): boolean {
  return real === root || real.startsWith(root.endsWith(separator) ? root : root + separator);
}
