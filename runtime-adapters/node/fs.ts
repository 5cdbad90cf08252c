import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { FileSystem } from "../../src/ports.ts";

export const nodeFileSystem: FileSystem = {
  separator: path.sep,
  realPath: (p) => fsp.realpath(p).catch(() => null),
  stat: async (p) => {
    try {
      const s = await fsp.stat(p);
      return { kind: s.isFile() ? "file" : s.isDirectory() ? "directory" : "other", size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return null;
    }
  },
  open: async (p) => {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(p, "r");
    } catch {
      return null;
    }
    return {
      read: async (into, position) => (await handle.read(into, 0, into.length, position)).bytesRead,
      close: () => handle.close().catch(() => {}),
    };
  },
  list: async (p) => {
    try {
      const entries = await fsp.readdir(p, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, symlink: e.isSymbolicLink() }));
    } catch {
      return null;
    }
  },
};
