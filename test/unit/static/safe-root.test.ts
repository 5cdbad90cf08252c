import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeFileSystem } from "../../../runtime-adapters/shared-node/fs.ts";
import type { FileInfo, FileSystem, OpenFile } from "../../../src/ports/file-system.ts";
import { isInside, type Opened, SafeRoot } from "../../../src/static/safe-root.ts";

/**
 * SafeRoot against a real folder, through the Node adapter's file system. ".." and encoded
 * traversal are not its job (url-path.ts refuses them before a name is built); everything a
 * name can still do on disk is: symlinks, hidden names, special files, a file swapped meanwhile.
 *
 *   base/site/          the root
 *     a.txt  dir/b.txt  .env  .git/config  fifo
 *     link -> a.txt   dirlink -> dir   envlink -> .env
 *     out -> ../outside/secret.txt   outdir -> ../outside   evil -> ../site-evil/x.txt
 *   base/site-evil/x.txt   a sibling whose name has the root as a prefix
 *   base/outside/secret.txt
 */
let base: string;
let root: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sundial-safe-root-")));
  root = path.join(base, "site");
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), text);
  };
  write("site/a.txt", "aaa");
  write("site/dir/b.txt", "bbb");
  write("site/.env", "SECRET=1");
  write("site/.git/config", "[core]");
  write("site/race/secret.txt", "inside");
  write("site-evil/x.txt", "evil");
  write("outside/secret.txt", "OUTSIDE");
  fs.symlinkSync("a.txt", path.join(root, "link"));
  fs.symlinkSync("dir", path.join(root, "dirlink"));
  fs.symlinkSync(".env", path.join(root, "envlink"));
  fs.symlinkSync("../outside/secret.txt", path.join(root, "out"));
  fs.symlinkSync("../outside", path.join(root, "outdir"));
  fs.symlinkSync("../site-evil/x.txt", path.join(root, "evil"));
  execFileSync("mkfifo", [path.join(root, "fifo")]);
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

/** The Node adapter's file system, counting descriptors still open (every refusal must close). */
function tracked(inner: FileSystem = nodeFileSystem): { fs: FileSystem; open: () => number } {
  let open = 0;
  const fs: FileSystem = {
    ...inner,
    open: async (p) => {
      const file = await inner.open(p);
      if (file === null) return null;
      open++;
      return { ...file, close: () => (open--, file.close()) };
    },
  };
  return { fs, open: () => open };
}

const FOLLOW = { symlinks: true, dotfiles: false };
const NO_SYMLINKS = { symlinks: false, dotfiles: false };
const DOTFILES = { symlinks: true, dotfiles: true };

/** Opens `rel` under the root with a policy; the content it reads (or null when refused), all descriptors closed after. */
async function openAs(
  rel: string,
  policy = FOLLOW,
  inner?: FileSystem,
): Promise<{ path: string; text: string } | null> {
  const { fs: files, open } = tracked(inner);
  const safe = new SafeRoot(files, root, policy);
  const opened = await safe.open(path.join(root, rel));
  if (opened === null) {
    expect(open()).toBe(0);
    return null;
  }
  const text = await readText(opened);
  await opened.file.close();
  expect(open()).toBe(0);
  return { path: opened.path, text };
}

async function readText(opened: Opened): Promise<string> {
  if (opened.info.kind !== "file") return "";
  const bytes = new Uint8Array(opened.info.size);
  const n = await opened.file.read(bytes, 0);
  return new TextDecoder().decode(bytes.subarray(0, n));
}

describe("SafeRoot.open: the opened descriptor decides, not the name", () => {
  it("opens a file and a folder inside the root, with their real paths", async () => {
    expect(await openAs("a.txt")).toEqual({ path: path.join(root, "a.txt"), text: "aaa" });
    expect(await openAs("dir/b.txt")).toEqual({ path: path.join(root, "dir", "b.txt"), text: "bbb" });
    expect((await openAs("dir"))?.path).toBe(path.join(root, "dir"));
    expect((await openAs(""))?.path).toBe(root);
  });

  it("gives null for a name that does not exist", async () => {
    expect(await openAs("nope.txt")).toBeNull();
  });

  it("refuses a path outside the root", async () => {
    const safe = new SafeRoot(nodeFileSystem, root, FOLLOW);
    expect(await safe.open(path.join(base, "outside", "secret.txt"))).toBeNull();
  });

  it("refuses a sibling folder whose name has the root as a prefix (site-evil is not inside site)", async () => {
    const safe = new SafeRoot(nodeFileSystem, root, FOLLOW);
    expect(await safe.open(path.join(base, "site-evil", "x.txt"))).toBeNull();
    expect(await openAs("evil")).toBeNull();
    expect(isInside("/srv/site", "/srv/site", "/")).toBe(true);
    expect(isInside("/srv/site", "/srv/site/a", "/")).toBe(true);
    expect(isInside("/srv/site", "/srv/site-evil", "/")).toBe(false);
    expect(isInside("/srv/site", "/srv/site-evil/a", "/")).toBe(false);
    expect(isInside("/", "/etc", "/")).toBe(true);
  });

  it("refuses a symlink out of the root, to a file or through a folder", async () => {
    expect(await openAs("out")).toBeNull();
    expect(await openAs("outdir")).toBeNull();
    expect(await openAs("outdir/secret.txt")).toBeNull();
    expect(await openAs("out", DOTFILES)).toBeNull();
  });

  it("follows a symlink inside the root, to a file or a folder: the real path is the target's", async () => {
    expect(await openAs("link")).toEqual({ path: path.join(root, "a.txt"), text: "aaa" });
    expect(await openAs("dirlink/b.txt")).toEqual({ path: path.join(root, "dir", "b.txt"), text: "bbb" });
  });

  it("with --no-symlinks refuses every path through a symlink, and still opens plain names", async () => {
    expect(await openAs("link", NO_SYMLINKS)).toBeNull();
    expect(await openAs("dirlink/b.txt", NO_SYMLINKS)).toBeNull();
    expect(await openAs("out", NO_SYMLINKS)).toBeNull();
    expect(await openAs("a.txt", NO_SYMLINKS)).toEqual({ path: path.join(root, "a.txt"), text: "aaa" });
  });

  it("refuses a dotfile, a dot folder on the way and a symlink to a dotfile, unless dotfiles are served", async () => {
    expect(await openAs(".env")).toBeNull();
    expect(await openAs(".git/config")).toBeNull();
    expect(await openAs(".git")).toBeNull();
    expect(await openAs("envlink")).toBeNull();
    expect(await openAs(".env", DOTFILES)).toEqual({ path: path.join(root, ".env"), text: "SECRET=1" });
    expect(await openAs(".git/config", DOTFILES)).toEqual({ path: path.join(root, ".git", "config"), text: "[core]" });
    expect(await openAs("envlink", DOTFILES)).toEqual({ path: path.join(root, ".env"), text: "SECRET=1" });
  });

  it("refuses a FIFO, opened without blocking (no writer ever comes)", async () => {
    expect(await openAs("fifo")).toBeNull();
  }, 2000);

  it("refuses what the name led to when a folder on the way was swapped for a symlink out (the race, made deterministic)", async () => {
    const race = path.join(root, "race");
    const moved = path.join(base, "race-moved");
    // The swap lands between any check by name and the open: right before the open itself.
    const swapping: FileSystem = {
      ...nodeFileSystem,
      open: async (p) => {
        fs.renameSync(race, moved);
        fs.symlinkSync(path.join(base, "outside"), race);
        return nodeFileSystem.open(p);
      },
    };
    for (const policy of [FOLLOW, NO_SYMLINKS, DOTFILES]) {
      try {
        expect(await openAs("race/secret.txt", policy, swapping)).toBeNull();
      } finally {
        fs.unlinkSync(race);
        fs.renameSync(moved, race);
      }
    }
    expect(await openAs("race/secret.txt")).toEqual({ path: path.join(race, "secret.txt"), text: "inside" });
  });
});

describe("SafeRoot.reopen: sending opens the same file again", () => {
  const file = (): string => path.join(root, "reopen.txt");
  async function infoOf(safe: SafeRoot): Promise<FileInfo> {
    const opened = await safe.open(file());
    if (opened === null) throw new Error("reopen.txt did not open");
    await opened.file.close();
    return opened.info;
  }

  it("gives the file when it is the same one at the same size", async () => {
    fs.writeFileSync(file(), "same");
    const { fs: files, open } = tracked();
    const safe = new SafeRoot(files, root, FOLLOW);
    const reopened = await safe.reopen(file(), await infoOf(safe));
    expect(reopened).not.toBeNull();
    await reopened!.close();
    expect(open()).toBe(0);
  });

  it("refuses (and closes) a file replaced between resolve and reopen: another identity under the same name", async () => {
    fs.writeFileSync(file(), "old!");
    const { fs: files, open } = tracked();
    const safe = new SafeRoot(files, root, FOLLOW);
    const info = await infoOf(safe);
    // Same size, same name, another inode: what a deploy by rename does.
    const next = path.join(root, "reopen.next");
    fs.writeFileSync(next, "new!");
    fs.renameSync(next, file());
    expect(await safe.reopen(file(), info)).toBeNull();
    expect(open()).toBe(0);
  });

  it("refuses the same file at another size (the promised Content-Length would lie)", async () => {
    fs.writeFileSync(file(), "short");
    const safe = new SafeRoot(nodeFileSystem, root, FOLLOW);
    const info = await infoOf(safe);
    fs.appendFileSync(file(), " and longer");
    expect(await safe.reopen(file(), info)).toBeNull();
  });

  it("refuses a file that left the root meanwhile (a symlink out now stands at its name)", async () => {
    fs.writeFileSync(file(), "x");
    const safe = new SafeRoot(nodeFileSystem, root, FOLLOW);
    const info = await infoOf(safe);
    fs.unlinkSync(file());
    fs.symlinkSync(path.join(base, "outside", "secret.txt"), file());
    try {
      expect(await safe.reopen(file(), info)).toBeNull();
    } finally {
      fs.unlinkSync(file());
    }
  });
});

/**
 * Where the port cannot name open files (OpenFile.path() gives null: Deno without --allow-all,
 * platforms without /proc/self/fd), the name is resolved again after the open and must lead to
 * the very file opened (device and inode).
 */
describe("SafeRoot without descriptor names: the fallback", () => {
  const unnamed = (inner: FileSystem = nodeFileSystem): FileSystem => ({
    ...inner,
    namesOpenFiles: false,
    open: async (p) => {
      const file = await inner.open(p);
      return file === null ? null : ({ ...file, path: async () => null } satisfies OpenFile);
    },
  });

  it("opens plain names and symlinks inside, and refuses the same things as with names", async () => {
    const fs = unnamed();
    expect(await openAs("a.txt", FOLLOW, fs)).toEqual({ path: path.join(root, "a.txt"), text: "aaa" });
    expect(await openAs("link", FOLLOW, fs)).toEqual({ path: path.join(root, "a.txt"), text: "aaa" });
    expect(await openAs("link", NO_SYMLINKS, fs)).toBeNull();
    expect(await openAs("out", FOLLOW, fs)).toBeNull();
    expect(await openAs("evil", FOLLOW, fs)).toBeNull();
    expect(await openAs("envlink", FOLLOW, fs)).toBeNull();
    expect(await openAs("fifo", FOLLOW, fs)).toBeNull();
  });

  it("refuses when the name leads to another file than the one opened (swapped between open and the check)", async () => {
    const target = path.join(root, "swapped.txt");
    fs.writeFileSync(target, "first");
    // Opened, then replaced by rename before the name is resolved again.
    const swapping: FileSystem = {
      ...nodeFileSystem,
      open: async (p) => {
        const file = await nodeFileSystem.open(p);
        fs.writeFileSync(`${target}.next`, "other");
        fs.renameSync(`${target}.next`, target);
        return file;
      },
    };
    try {
      expect(await openAs("swapped.txt", FOLLOW, unnamed(swapping))).toBeNull();
      expect(await openAs("swapped.txt", FOLLOW, unnamed())).toEqual({ path: target, text: "other" });
    } finally {
      fs.unlinkSync(target);
    }
  });
});

describe("SafeRoot with --auth-path: no symlink crosses the guarded line", () => {
  let dir: string;
  let site: string;
  beforeAll(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sundial-guarded-")));
    site = path.join(dir, "site");
    fs.mkdirSync(path.join(site, "Private"), { recursive: true });
    fs.mkdirSync(path.join(site, "pub"));
    fs.writeFileSync(path.join(site, "Private", "secret.txt"), "secret");
    fs.writeFileSync(path.join(site, "pub", "open.txt"), "open");
    fs.symlinkSync("../Private/secret.txt", path.join(site, "pub", "link"));
    fs.symlinkSync("../Private", path.join(site, "pub", "dirlink"));
    fs.symlinkSync("../pub/open.txt", path.join(site, "Private", "back"));
    fs.symlinkSync("secret.txt", path.join(site, "Private", "inside"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const opens = async (rel: string): Promise<boolean> => {
    const root = new SafeRoot(nodeFileSystem, site, { symlinks: true, dotfiles: false, guardedPaths: ["/private"] });
    const opened = await root.open(path.join(site, rel));
    await opened?.file.close();
    return opened !== null;
  };

  it("serves each side by its own names, and symlinks within a side", async () => {
    expect(await opens("Private/secret.txt")).toBe(true);
    expect(await opens("Private/inside")).toBe(true);
    expect(await opens("Private")).toBe(true);
    expect(await opens("pub/open.txt")).toBe(true);
  });

  it("refuses a symlink from outside into a guarded path (a file or a folder), and out of one", async () => {
    expect(await opens("pub/link")).toBe(false);
    expect(await opens("pub/dirlink")).toBe(false);
    expect(await opens("pub/dirlink/secret.txt")).toBe(false);
    expect(await opens("Private/back")).toBe(false);
  });

  it("draws no line without guarded paths", async () => {
    const root = new SafeRoot(nodeFileSystem, site, { symlinks: true, dotfiles: false });
    const opened = await root.open(path.join(site, "pub/link"));
    expect(opened).not.toBe(null);
    await opened?.file.close();
  });
});
