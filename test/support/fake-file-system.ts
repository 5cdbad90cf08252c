/** In-memory fakes of the file system and compressor ports (src/ports/file-system.ts, src/ports/compress.ts), for the connection's unit tests. */
import type { Compressor } from "../../src/ports/compress.ts";
import { nodeCompressor } from "../../runtime-adapters/shared-node/compress.ts";
import type {
  DirEntry,
  FileInfo,
  FileSystem,
  FileWriter,
  OpenFile,
  WriteFailure,
  WriteResult,
} from "../../src/ports/file-system.ts";

/**
 * A FileSystem over a map of absolute "/" paths to contents; directories are implied by the
 * file paths. Each read() gives at most chunkSize bytes (after a microtask), and open files are
 * counted so tests can assert none leaks. holdReads() stalls every read until the returned
 * function is called. Writes (in opened folders) change the map; `diskSpace` makes a write past
 * that many bytes in total fail as a full disk, and `syncs` counts fsyncs by path.
 */
export class FakeFileSystem implements FileSystem {
  readonly separator = "/";
  readonly namesOpenFiles = true;
  openReaders = 0;
  readsStarted = 0;
  private readonly files = new Map<string, Uint8Array>();
  /** Folders made by makeFolder (others are implied by the files in them). */
  private readonly folders = new Set<string>();
  /** A file's identity (FileInfo.id) when it differs from its path: it moves with a rename. */
  private readonly ids = new Map<string, string>();
  diskSpace = Infinity;
  openWriters = 0;
  readonly syncs: string[] = [];
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

  /** Replaces a file's content at once (a file another program changes), or removes it (null). */
  replaceFile(path: string, content: string | null): void {
    if (content === null) this.files.delete(path);
    else this.setFile(path, content);
  }

  /** The content of a file, as text, or undefined. */
  text(path: string): string | undefined {
    const file = this.files.get(path);
    return file === undefined ? undefined : new TextDecoder().decode(file);
  }

  /** Every file path, sorted (to find temporaries left behind). */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  private isDirectory(path: string): boolean {
    if (this.folders.has(path)) return true;
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
    if (file !== undefined) return { kind: "file", size: file.length, mtimeMs: 0, id: this.ids.get(path) ?? path };
    return this.isDirectory(path) ? { kind: "directory", size: 0, mtimeMs: 0, id: path } : null;
  }

  private async list(path: string): Promise<DirEntry[] | null> {
    if (!this.isDirectory(path)) return null;
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const names = new Set<string>();
    for (const name of [...this.files.keys(), ...this.folders]) {
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
      ...this.folderWrites(normal === "/" ? "" : normal),
    };
  }

  private folderWrites(dir: string): Omit<OpenFile, "read" | "stat" | "path" | "list" | "entry" | "close"> {
    const at = (name: string): string => `${dir}/${name}`;
    return {
      create: async (name) => {
        if (this.files.has(at(name)) || this.isDirectory(at(name))) return failed("exists");
        this.files.set(at(name), new Uint8Array(0));
        return this.writer(at(name));
      },
      rename: async (from, to) => {
        const file = this.files.get(at(from));
        if (file === undefined) return failed("missing");
        if (this.isDirectory(at(to))) return failed("other");
        this.move(at(from), at(to), file);
        return OK;
      },
      renameNoReplace: async (from, to) => {
        const file = this.files.get(at(from));
        if (file === undefined) return failed("missing");
        if (this.files.has(at(to)) || this.isDirectory(at(to))) return failed("exists");
        this.move(at(from), at(to), file);
        return OK;
      },
      remove: async (name) => {
        if (!this.files.delete(at(name))) return failed("missing");
        this.ids.delete(at(name));
        // The folder stays when its last file goes.
        if (dir !== "") this.folders.add(dir);
        return OK;
      },
      removeFolder: async (name) => {
        if (!this.isDirectory(at(name))) return failed("missing");
        if ((await this.list(at(name)))!.length > 0) return failed("not-empty");
        this.folders.delete(at(name));
        return OK;
      },
      makeFolder: async (name) => {
        if (this.files.has(at(name)) || this.isDirectory(at(name))) return failed("exists");
        this.folders.add(at(name));
        return OK;
      },
      sync: async () => (this.syncs.push(dir === "" ? "/" : dir), OK),
    };
  }

  private move(from: string, to: string, file: Uint8Array): void {
    const id = this.ids.get(from) ?? from;
    this.files.delete(from);
    this.ids.delete(from);
    this.files.set(to, file);
    this.ids.set(to, id);
  }

  private used(): number {
    let bytes = 0;
    for (const file of this.files.values()) bytes += file.length;
    return bytes;
  }

  private writer(path: string): FileWriter {
    this.openWriters++;
    let closed = false;
    return {
      kind: "writer",
      write: async (bytes) => {
        await Promise.resolve();
        if (closed) throw new Error("write after close");
        if (this.used() + bytes.length > this.diskSpace) return failed("no-space");
        const old = this.files.get(path) ?? new Uint8Array(0);
        const grown = new Uint8Array(old.length + bytes.length);
        grown.set(old);
        grown.set(bytes, old.length);
        this.files.set(path, grown);
        return OK;
      },
      sync: async () => (this.syncs.push(path), OK),
      stat: () => this.stat(path),
      close: async () => {
        if (closed) return;
        closed = true;
        this.openWriters--;
      },
    };
  }
}

const OK: WriteResult = { kind: "ok" };

function failed(reason: WriteFailure["reason"]): WriteFailure {
  return { kind: "failed", reason, message: reason };
}

/**
 * A Compressor that marks its output, so tests can tell an encoded body: "<coding>:" + the bytes,
 * reversed. Archives' gzip streams are real (node:zlib, as every adapter's).
 */
export const fakeCompressor: Compressor = {
  compress: async (data, coding) => {
    const prefix = new TextEncoder().encode(`${coding}:`);
    const out = new Uint8Array(prefix.length + Math.ceil(data.length / 4));
    out.set(prefix);
    return out;
  },
  gzipStream: nodeCompressor.gzipStream,
};
