import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { FileSystem } from "../../src/ports.ts";

/** Bytes read per chunk when streaming a file. */
const CHUNK = 256 * 1024;

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
  async *read(p, start, end) {
    const handle = await fsp.open(p, "r");
    try {
      let position = start;
      while (position < end) {
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK, end - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  },
};
