import { describe, expect, it } from "vitest";
import { isInside, openInside, reopenInside } from "../../src/static/safe-open.ts";
import type { FileInfo, FileSystem, OpenFile } from "../../src/ports.ts";

/**
 * A file system where each name opens whatever the test says: `opens[name]` is the path the
 * opened descriptor really has (as if a symlink or a swapped folder had been followed).
 */
function fsWhere(opens: Record<string, { real: string | null; info?: Partial<FileInfo> }>, byName: Record<string, string> = {}) {
  const closed: string[] = [];
  const info = (id: string, extra: Partial<FileInfo> = {}): FileInfo => ({ kind: "file", size: 3, mtimeMs: 0, id, ...extra });
  const fs: FileSystem = {
    separator: "/",
    namesOpenFiles: true,
    realPath: async (p) => byName[p] ?? null,
    stat: async (p) => (byName[p] === undefined ? null : info(`id:${byName[p]}`)),
    open: async (p): Promise<OpenFile | null> => {
      const entry = opens[p];
      if (entry === undefined) return null;
      return {
        read: async () => 0,
        stat: async () => info(`id:${entry.real ?? p}`, entry.info),
        path: async () => entry.real,
        list: async () => [],
        entry: async () => null,
        close: async () => void closed.push(p),
      };
    },
  };
  return { fs, closed };
}

const FOLLOW = { symlinks: true, dotfiles: false };

describe("openInside: the opened descriptor decides, not the name", () => {
  it("accepts a file whose descriptor is inside the root, and hands it over open", async () => {
    const { fs, closed } = fsWhere({ "/srv/a.txt": { real: "/srv/a.txt" } });
    const opened = await openInside(fs, "/srv", "/srv/a.txt", FOLLOW);
    expect(opened?.path).toBe("/srv/a.txt");
    expect(closed).toEqual([]);
  });

  it("refuses (and closes) a name whose open landed outside: the swapped-folder race", async () => {
    const { fs, closed } = fsWhere({ "/srv/race/secret.txt": { real: "/outside/secret.txt" } });
    expect(await openInside(fs, "/srv", "/srv/race/secret.txt", FOLLOW)).toBeNull();
    expect(closed).toEqual(["/srv/race/secret.txt"]);
  });

  it("compares with root + separator: /srv-old is not inside /srv", async () => {
    const { fs } = fsWhere({ "/srv/x": { real: "/srv-old/x" } });
    expect(await openInside(fs, "/srv", "/srv/x", FOLLOW)).toBeNull();
    expect(isInside("/srv", "/srv", "/")).toBe(true);
    expect(isInside("/srv", "/srv/a", "/")).toBe(true);
    expect(isInside("/srv", "/srv-old", "/")).toBe(false);
    expect(isInside("/", "/etc", "/")).toBe(true);
  });

  it("follows a symlink inside the root, unless symlinks are refused", async () => {
    const { fs } = fsWhere({ "/srv/link": { real: "/srv/target.txt" } });
    expect((await openInside(fs, "/srv", "/srv/link", FOLLOW))?.path).toBe("/srv/target.txt");
    expect(await openInside(fs, "/srv", "/srv/link", { symlinks: false, dotfiles: false })).toBeNull();
  });

  it("refuses a symlink to a hidden name unless dotfiles are served", async () => {
    const { fs } = fsWhere({ "/srv/envlink": { real: "/srv/.env" } });
    expect(await openInside(fs, "/srv", "/srv/envlink", FOLLOW)).toBeNull();
    expect((await openInside(fs, "/srv", "/srv/envlink", { symlinks: true, dotfiles: true }))?.path).toBe("/srv/.env");
  });

  it("refuses what is neither a file nor a folder (a FIFO, a device)", async () => {
    const { fs, closed } = fsWhere({ "/srv/fifo": { real: "/srv/fifo", info: { kind: "other" } } });
    expect(await openInside(fs, "/srv", "/srv/fifo", FOLLOW)).toBeNull();
    expect(closed).toEqual(["/srv/fifo"]);
  });

  it("without descriptor names: resolves the name after the open and requires the same file", async () => {
    const same = fsWhere({ "/srv/a": { real: null } }, { "/srv/a": "/srv/a" });
    // The opened file's id is "id:/srv/a" and the name resolves to the same file.
    expect((await openInside(same.fs, "/srv", "/srv/a", FOLLOW))?.path).toBe("/srv/a");
    const swapped = fsWhere({ "/srv/a": { real: null, info: { id: "id:/outside/a" } } }, { "/srv/a": "/srv/a" });
    expect(await openInside(swapped.fs, "/srv", "/srv/a", FOLLOW)).toBeNull();
  });
});

describe("reopenInside: sending opens the same file again", () => {
  const expected: FileInfo = { kind: "file", size: 3, mtimeMs: 0, id: "id:/srv/a" };
  it("gives the file when it is the same one at the same size", async () => {
    const { fs } = fsWhere({ "/srv/a": { real: "/srv/a" } });
    expect(await reopenInside(fs, "/srv", "/srv/a", expected, FOLLOW)).not.toBeNull();
  });
  it("refuses another file under the same name, or the same file at another size", async () => {
    const replaced = fsWhere({ "/srv/a": { real: "/srv/a", info: { id: "id:other" } } });
    expect(await reopenInside(replaced.fs, "/srv", "/srv/a", expected, FOLLOW)).toBeNull();
    expect(replaced.closed).toEqual(["/srv/a"]);
    const grown = fsWhere({ "/srv/a": { real: "/srv/a", info: { size: 4 } } });
    expect(await reopenInside(grown.fs, "/srv", "/srv/a", expected, FOLLOW)).toBeNull();
  });
});
