import type { FileSystem } from "../../src/ports.ts";

export const denoFileSystem: FileSystem = {
  separator: Deno.build.os === "windows" ? "\\" : "/",
  realPath: (p) => Deno.realPath(p).catch(() => null),
  stat: async (p) => {
    try {
      const s = await Deno.stat(p);
      return { kind: s.isFile ? "file" : s.isDirectory ? "directory" : "other", size: s.size, mtimeMs: s.mtime?.getTime() ?? 0 };
    } catch {
      return null;
    }
  },
  open: async (p) => {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(p, { read: true });
    } catch {
      return null;
    }
    // Deno.FsFile has no positional read: seek only when the caller does not continue where the last read ended.
    let offset = 0;
    return {
      read: async (into, position) => {
        if (position !== offset) offset = await file.seek(position, Deno.SeekMode.Start);
        const n = (await file.read(into)) ?? 0;
        offset += n;
        return n;
      },
      close: () => {
        try {
          file.close();
        } catch {
          // already closed
        }
        return Promise.resolve();
      },
    };
  },
  list: async (p) => {
    try {
      const entries: { name: string; symlink: boolean }[] = [];
      for await (const e of Deno.readDir(p)) entries.push({ name: e.name, symlink: e.isSymlink });
      return entries;
    } catch {
      return null;
    }
  },
};
