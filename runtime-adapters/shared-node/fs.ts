import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import process from "node:process";
import type { FileInfo, FileSystem, OpenFile } from "../../src/ports/file-system.ts";

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
        (entries) => entries.map((e) => ({ name: e.name, symlink: e.isSymbolicLink() })),
        () => null,
      ),
    entry: (name) => fsp.lstat(base + path.sep + name).then(info, () => null),
    close: () => handle.close().catch(() => {}),
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
