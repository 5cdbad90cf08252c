/** In-memory fakes of the file system and compressor ports (src/ports/file-system.ts, src/ports/compress.ts), for the connection's unit tests. */
import type { Compressor } from "../../src/ports/compress.ts";
import type { DirEntry, FileInfo, FileSystem, OpenFile } from "../../src/ports/file-system.ts";

/**
 * A FileSystem over a map of absolute "/" paths to contents; directories are implied by the
 * file paths. Each read() gives at most chunkSize bytes (after a microtask), and open files are
 * counted so tests can assert none leaks. holdReads() stalls every read until the returned
 * function is called.
 */
export class FakeFileSystem implements FileSystem {
  readonly separator = "/";
  readonly namesOpenFiles = true;
  openReaders = 0;
  readsStarted = 0;
  private readonly files = new Map<string, Uint8Array>();
  private gate: Promise<void> | null = null;

  constructor(files: Record<string, Uint8Array | string> = {}, public chunkSize = 16 * 1024) {
    for (const [path, content] of Object.entries(files)) this.setFile(path, content);
  }

  private setFile(path: string, content: Uint8Array | string): void {
    this.files.set(path, typeof content === "string" ? new TextEncoder().encode(content) : content);
  }

  holdReads(): () => void {
    let release = (): void => {};
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  private isDirectory(path: string): boolean {
    if (path === "/") return this.files.size > 0;
    const prefix = path.endsWith("/") ? path : `${path}/`;
    for (const name of this.files.keys()) if (name.startsWith(prefix)) return true;
    return false;
  }

  async realPath(path: string): Promise<string | null> {
    const normal = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
    return this.files.has(normal) || this.isDirectory(normal) ? normal : null;
  }

  async stat(path: string): Promise<FileInfo | null> {
    const file = this.files.get(path);
    if (file !== undefined) return { kind: "file", size: file.length, mtimeMs: 0, id: path };
    return this.isDirectory(path) ? { kind: "directory", size: 0, mtimeMs: 0, id: path } : null;
  }

  private async list(path: string): Promise<DirEntry[] | null> {
    if (!this.isDirectory(path)) return null;
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const names = new Set<string>();
    for (const name of this.files.keys()) {
      if (name.startsWith(prefix)) names.add(name.slice(prefix.length).split("/")[0]!);
    }
    return [...names].map((name) => ({ name, symlink: false }));
  }

  async open(path: string): Promise<OpenFile | null> {
    await Promise.resolve();
    const normal = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
    if (!this.files.has(normal) && !this.isDirectory(normal)) return null;
    this.openReaders++;
    let closed = false;
    return {
      stat: () => this.stat(normal),
      // No symlinks here: the opened file's path is the name it was opened by.
      path: async () => normal,
      list: () => this.list(normal),
      entry: (name) => this.stat(`${normal === "/" ? "" : normal}/${name}`),
      // Reads the file's current content, so a test can shrink it mid-transfer.
      read: async (into, position) => {
        this.readsStarted++;
        await (this.gate ?? Promise.resolve());
        if (closed) throw new Error("read after close");
        const file = this.files.get(path) ?? new Uint8Array(0);
        const bytes = file.subarray(position, Math.min(file.length, position + into.length, position + this.chunkSize));
        into.set(bytes);
        return bytes.length;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        this.openReaders--;
      },
    };
  }
}

/** A Compressor that marks its output, so tests can tell an encoded body: "<coding>:" + the bytes, reversed. */
export const fakeCompressor: Compressor = {
  compress: async (data, coding) => {
    const prefix = new TextEncoder().encode(`${coding}:`);
    const out = new Uint8Array(prefix.length + Math.ceil(data.length / 4));
    out.set(prefix);
    return out;
  },
};
