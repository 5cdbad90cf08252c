import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import process from "node:process";
import type {
  FileInfo,
  FileSystem,
  FileWriter,
  OpenFile,
  WriteFailure,
  WriteResult,
} from "../../src/ports/file-system.ts";

/**
 * Read-only and non-blocking: a FIFO opens at once (and is then refused by its kind) instead of
 * holding a thread of the runtime's pool until a writer comes. Windows has neither flag.
 */
const OPEN_FLAGS = process.platform === "win32" ? "r" : fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/**
 * Linux names every open descriptor in /proc/self/fd: its link is the opened file's path now,
 * and a path through it looks names up in the opened folder itself (as openat does). Deno lets
 * a program read there only with --allow-all; elsewhere there is no such folder.
 */
const PROC_FD = ((): string | null => {
  if (process.platform !== "linux") return null;
  try {
    fs.accessSync("/proc/self/fd");
    return "/proc/self/fd/";
  } catch {
    return null;
  }
})();

/** A new file only (O_EXCL), never through a symlink at the name (O_NOFOLLOW, where there is one). */
const CREATE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL |
  (process.platform === "win32" ? 0 : fs.constants.O_NOFOLLOW);

const OK: WriteResult = { kind: "ok" };

const REASONS: Readonly<Record<string, WriteFailure["reason"]>> = {
  EEXIST: "exists",
  ENOTEMPTY: "not-empty",
  ENOSPC: "no-space",
  EDQUOT: "no-space",
  ENOENT: "missing",
};

function failure(error: unknown): WriteFailure {
  const code = (error as { code?: unknown })?.code;
  const reason = typeof code === "string" ? REASONS[code] ?? "other" : "other";
  return { kind: "failed", reason, message: error instanceof Error ? error.message : String(error) };
}

function done(promise: Promise<unknown>): Promise<WriteResult> {
  return promise.then(() => OK, failure);
}

function writer(handle: fsp.FileHandle): FileWriter {
  let position = 0;
  const writeAll = async (bytes: Uint8Array): Promise<void> => {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, position);
      offset += bytesWritten;
      position += bytesWritten;
    }
  };
  return {
    kind: "writer",
    write: (bytes) => done(writeAll(bytes)),
    sync: () => done(handle.sync()),
    stat: () => handle.stat().then(info, () => null),
    close: () => handle.close().catch(() => {}),
  };
}

/**
 * link(2) fails with EEXIST when the new name exists, whatever it is: the no-replace move that
 * rename(2) is not (Linux's RENAME_NOREPLACE is out of node:fs's reach). The old name's removal
 * cannot fail the move: the file is in place, and a temporary left would only be a name.
 */
async function linkThenUnlink(from: string, to: string): Promise<WriteResult> {
  const linked = await done(fsp.link(from, to));
  if (linked.kind === "ok") await fsp.unlink(from).catch(() => {});
  return linked;
}

function info(s: fs.Stats): FileInfo {
  const kind = s.isFile() ? "file" : s.isDirectory() ? "directory" : s.isSymbolicLink() ? "symlink" : "other";
  return { kind, size: s.size, mtimeMs: s.mtimeMs, id: `${s.dev}:${s.ino}` };
}

function opened(handle: fsp.FileHandle, openedAs: string): OpenFile {
  // Where the platform cannot name the descriptor, folders are read by the name they were opened by.
  const base = PROC_FD === null ? openedAs : PROC_FD + handle.fd;
  return {
    read: async (into, position) => (await handle.read(into, 0, into.length, position)).bytesRead,
    stat: () => handle.stat().then(info, () => null),
    path: () => (PROC_FD === null ? Promise.resolve(null) : fsp.readlink(base).catch(() => null)),
    list: () =>
      fsp.readdir(base, { withFileTypes: true }).then(
        (entries) => entries.map((e) => ({ name: e.name, symlink: e.isSymbolicLink(), directory: e.isDirectory() })),
        () => null,
      ),
    entry: (name) => fsp.lstat(base + path.sep + name).then(info, () => null),
    close: () => handle.close().catch(() => {}),
    // Names are looked up in the opened folder itself (through /proc/self/fd where there is one).
    create: (name) => fsp.open(base + path.sep + name, CREATE_FLAGS, 0o644).then(writer, failure),
    rename: (from, to) => done(fsp.rename(base + path.sep + from, base + path.sep + to)),
    renameNoReplace: (from, to) => linkThenUnlink(base + path.sep + from, base + path.sep + to),
    remove: (name) => done(fsp.unlink(base + path.sep + name)),
    removeFolder: (name) => done(fsp.rmdir(base + path.sep + name)),
    makeFolder: (name) => done(fsp.mkdir(base + path.sep + name, 0o755)),
    sync: () => done(handle.sync()),
  };
}

/**
 * node:fs, which Node, Bun and Deno all implement with real descriptors (Deno's own Deno.FsFile
 * hides its descriptor, and the core needs it to check what was opened). All three adapters use it.
 */
export const nodeFileSystem: FileSystem = {
  separator: path.sep,
  namesOpenFiles: PROC_FD !== null,
  realPath: (p) => fsp.realpath(p).catch(() => null),
  stat: (p) => fsp.stat(p).then(info, () => null),
  open: (p) => fsp.open(p, OPEN_FLAGS).then((handle) => opened(handle, p), () => null),
};
