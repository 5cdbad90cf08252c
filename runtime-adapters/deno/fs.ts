import type { FileSystem } from "../../src/ports.ts";

/** Bytes read per chunk when streaming a file. */
const CHUNK = 256 * 1024;

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
  async *read(p, start, end) {
    const file = await Deno.open(p, { read: true });
    try {
      await file.seek(start, Deno.SeekMode.Start);
      let position = start;
      while (position < end) {
        const buffer = new Uint8Array(Math.min(CHUNK, end - position));
        const n = await file.read(buffer);
        if (n === null || n === 0) return;
        position += n;
        yield n === buffer.length ? buffer : buffer.subarray(0, n);
      }
    } finally {
      file.close();
    }
  },
};
