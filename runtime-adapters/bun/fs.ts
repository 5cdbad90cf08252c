import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { FileSystem } from "../../src/ports.ts";

/** Bytes read per chunk when streaming a file. */
const CHUNK = 256 * 1024;

/**
 * Metadata through Bun's node:fs; contents through Bun.file slices. Each slice opens, reads
 * and closes the file by itself, so no descriptor stays open while a slow client drains.
 */
export const bunFileSystem: FileSystem = {
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
  async *read(p, start, end) {
    const file = Bun.file(p);
    for (let position = start; position < end;) {
      const bytes = await file.slice(position, Math.min(end, position + CHUNK)).bytes();
      if (bytes.length === 0) return;
      position += bytes.length;
      yield bytes;
    }
  },
};
