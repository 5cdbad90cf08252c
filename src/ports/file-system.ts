/**
 * Files: read by path, and written only inside a folder opened (and checked) first, by names in it,
 * so a write cannot be steered through a symlink swapped in after the check. Every adapter supplies
 * it over node:fs (runtime-adapters/shared-node/fs.ts); tests supply a fake.
 */

export interface FileInfo {
  /** "symlink" only from OpenFile.entry(), which does not follow the entry it looks at. */
  readonly kind: "file" | "directory" | "symlink" | "other";
  readonly size: number;
  readonly mtimeMs: number;
  /** Which file this is whatever its name: device and inode ("dev:ino"), as stat gives them. */
  readonly id: string;
}

export interface FileSystem {
  /** The platform's path separator ("/" or "\\"). */
  readonly separator: string;
  /**
   * Whether OpenFile.path() can name what a descriptor refers to (Linux /proc/self/fd; Deno
   * only with --allow-all). Without it the check of opened files is narrowed, not sound.
   */
  readonly namesOpenFiles: boolean;
  /** The canonical absolute path (symlinks resolved), or null when it does not exist. */
  realPath(path: string): Promise<string | null>;
  /** Metadata after following symlinks, or null when it does not exist or cannot be read. */
  stat(path: string): Promise<FileInfo | null>;
  /**
   * A file or folder opened for reading (following symlinks), or null when it cannot be opened.
   * Never blocks (a FIFO opens at once and reports kind "other"). The caller closes it.
   */
  open(path: string): Promise<OpenFile | null>;
}

export interface DirEntry {
  readonly name: string;
  /** The entry itself is a symbolic link (what it points to is found by opening it). */
  readonly symlink: boolean;
  /**
   * The entry itself is a folder, as the listing read it (readdir's d_type, not following a
   * symlink); absent where the platform does not say (then OpenFile.entry() tells).
   */
  readonly directory?: boolean;
}

/**
 * A file or folder open for reading. Everything here is about what was opened, not about the
 * name it was opened by (which may have been swapped for a symlink since): this is what lets
 * the core check that a file it reads is inside the served folder.
 */
export interface OpenFile {
  /** Reads up to into.length bytes at position; resolves with how many were read (0 at the end). */
  read(into: Uint8Array, position: number): Promise<number>;
  /** Metadata of the opened file itself (fstat), or null when it cannot be read. */
  stat(): Promise<FileInfo | null>;
  /**
   * The path the descriptor refers to now, as the kernel tells it (Linux: /proc/self/fd/N), or
   * null where the platform cannot tell (the core then falls back to comparing identities).
   */
  path(): Promise<string | null>;
  /** The names in the opened folder (unsorted), or null when it is not a readable folder. */
  list(): Promise<DirEntry[] | null>;
  /** Metadata of one name inside the opened folder, not following it (a symlink is "symlink"). */
  entry(name: string): Promise<FileInfo | null>;
  /** Releases the descriptor. Never rejects. */
  close(): Promise<void>;
  /**
   * In an opened folder: creates `name` as a new empty file for writing (never an existing name,
   * never through a symlink; mode 0644).
   */
  create(name: string): Promise<FileWriter | WriteFailure>;
  /** In an opened folder: renames `from` to `to`, replacing a file `to` atomically. */
  rename(from: string, to: string): Promise<WriteResult>;
  /**
   * In an opened folder: gives the file `from` the name `to` only if no entry has that name
   * ("exists" otherwise), decided atomically by the file system (a hard link, which never
   * replaces, then `from` removed), so a file or folder made there meanwhile is never replaced.
   */
  renameNoReplace(from: string, to: string): Promise<WriteResult>;
  /** In an opened folder: removes the file (or symlink) `name`. */
  remove(name: string): Promise<WriteResult>;
  /** In an opened folder: removes the empty folder `name` ("not-empty" otherwise). */
  removeFolder(name: string): Promise<WriteResult>;
  /** In an opened folder: creates the folder `name` (mode 0755). */
  makeFolder(name: string): Promise<WriteResult>;
  /** Flushes the opened file or folder to the disk (fsync): a folder's renames and removals last. */
  sync(): Promise<WriteResult>;
}

/**
 * Why a write failed: the name exists, a folder is not empty, the disk (or quota) is full, the
 * name is missing, or anything else (permissions, I/O).
 */
export interface WriteFailure {
  readonly kind: "failed";
  readonly reason: "exists" | "not-empty" | "no-space" | "missing" | "other";
  readonly message: string;
}

export type WriteResult = { readonly kind: "ok" } | WriteFailure;

/** A new file open for writing, from OpenFile.create(). */
export interface FileWriter {
  readonly kind: "writer";
  /** Appends all of bytes; resolves when the system took them (the disk's backpressure). */
  write(bytes: Uint8Array): Promise<WriteResult>;
  /** Flushes the file's content to the disk (fsync). */
  sync(): Promise<WriteResult>;
  /** Metadata of the written file (fstat), or null. */
  stat(): Promise<FileInfo | null>;
  /** Releases the descriptor. Never rejects. */
  close(): Promise<void>;
}
