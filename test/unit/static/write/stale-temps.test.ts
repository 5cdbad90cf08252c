import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeFileSystem } from "../../../../runtime-adapters/shared-node/fs.ts";
import { removeStaleTemps, sweepLine } from "../../../../src/static/write/stale-temps.ts";
import { isTempName, tempName, tempWriter } from "../../../../src/static/write/temp-name.ts";
import { FakeFileSystem } from "../../../support/fake-file-system.ts";

const T1 = ".a.txt.sundial-100-0123456789abcdef.tmp";
const T2 = ".b.txt.sundial-200-0123456789abcdef.tmp";
const clock = { now: () => 0 };

describe("temporary names", () => {
  it("carry the writing process's id", () => {
    const name = tempName("report.pdf", 4321);
    expect(name).toMatch(/^\.report\.pdf\.sundial-4321-[0-9a-f]{16}\.tmp$/);
    expect(isTempName(name)).toBe(true);
    expect(tempWriter(name)).toBe(4321);
  });

  it("are told apart from look-alikes", () => {
    for (
      const name of [
        ".a.sundial-0123456789abcdef.tmp",
        "a.sundial-1-0123456789abcdef.tmp",
        ".a.sundial-x-0123456789abcdef.tmp",
        ".a.sundial-1-0123456789abcdef.tmp.bak",
      ]
    ) {
      expect(tempWriter(name)).toBe(null);
    }
  });
});

describe("removeStaleTemps (real folder)", () => {
  let base: string;
  let root: string;
  const write = (rel: string, text = "x"): void => {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), text);
  };
  const exists = (rel: string): boolean => fs.existsSync(path.join(base, rel));

  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sundial-stale-")));
    root = path.join(base, "site");
    write(`site/${T1}`);
    write(`site/a.txt`, "old");
    write(`site/deep/er/${T2}`);
    write(`site/.hidden/${T1}`);
    write(`outside/${T1}`);
    fs.mkdirSync(path.join(root, `.folder.sundial-1-0123456789abcdef.tmp`));
    fs.symlinkSync(path.join(base, "outside"), path.join(root, "out"));
    fs.symlinkSync(path.join(base, "outside", T1), path.join(root, ".c.sundial-1-0123456789abcdef.tmp"));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it("removes every temporary under the root, never through a symlink, never a folder, never a hidden folder's", async () => {
    const sweep = await removeStaleTemps({ fs: nodeFileSystem, clock }, root, { dotfiles: false }, { kind: "any" });
    expect(sweep).toEqual({ removed: 2, failed: 0, stoppedAt: null });
    expect(exists(`site/${T1}`)).toBe(false);
    expect(exists(`site/deep/er/${T2}`)).toBe(false);
    expect(exists("site/a.txt")).toBe(true);
    expect(exists(`site/.hidden/${T1}`)).toBe(true);
    expect(exists(`outside/${T1}`)).toBe(true);
    expect(fs.lstatSync(path.join(root, ".c.sundial-1-0123456789abcdef.tmp")).isSymbolicLink()).toBe(true);
    expect(exists("site/.folder.sundial-1-0123456789abcdef.tmp")).toBe(true);
  });

  it("enters hidden folders when --dotfiles serves them", async () => {
    const sweep = await removeStaleTemps({ fs: nodeFileSystem, clock }, root, { dotfiles: true }, { kind: "any" });
    expect(sweep.removed).toBe(3);
    expect(exists(`site/.hidden/${T1}`)).toBe(false);
    expect(exists(`outside/${T1}`)).toBe(true);
  });

  it("removes only the temporaries of the process named", async () => {
    const sweep = await removeStaleTemps({ fs: nodeFileSystem, clock }, root, { dotfiles: false }, {
      kind: "process",
      id: 200,
    });
    expect(sweep.removed).toBe(1);
    expect(exists(`site/${T1}`)).toBe(true);
    expect(exists(`site/deep/er/${T2}`)).toBe(false);
  });
});

describe("removeStaleTemps (bounds)", () => {
  const files = (): FakeFileSystem =>
    new FakeFileSystem({ [`/srv/${T1}`]: "x", "/srv/a/b.txt": "b", [`/srv/a/${T2}`]: "y", [`/srv/z/${T1}`]: "z" });

  it("stops after maxEntries names, and says in which folder", async () => {
    const fake = files();
    const sweep = await removeStaleTemps({ fs: fake, clock }, "/srv", { dotfiles: false }, { kind: "any" }, {
      maxEntries: 3,
      maxMs: 60_000,
    });
    expect(sweep.stoppedAt).not.toBe(null);
    expect(sweep.removed).toBeLessThan(3);
    expect(fake.openReaders).toBe(0);
    expect(sweepLine(sweep, "/srv", "left by an earlier run")).toContain(`stopped at ${sweep.stoppedAt}`);
  });

  it("stops when its time is up", async () => {
    const fake = files();
    let now = 0;
    const ticking = { now: () => (now += 1_000) };
    const sweep = await removeStaleTemps({ fs: fake, clock: ticking }, "/srv", { dotfiles: false }, { kind: "any" }, {
      maxEntries: 1_000,
      maxMs: 2_500,
    });
    expect(sweep.stoppedAt).not.toBe(null);
    expect(fake.openReaders).toBe(0);
  });

  it("walks everything within its bounds, and syncs each folder it removed from", async () => {
    const fake = files();
    const sweep = await removeStaleTemps({ fs: fake, clock }, "/srv", { dotfiles: false }, { kind: "any" });
    expect(sweep).toEqual({ removed: 3, failed: 0, stoppedAt: null });
    expect(fake.paths()).toEqual(["/srv/a/b.txt"]);
    expect(fake.syncs.sort()).toEqual(["/srv", "/srv/a", "/srv/z"]);
    expect(sweepLine(sweep, "/srv", "left by an earlier run")).toBe(
      "sundial: removed 3 stale upload temporaries left by an earlier run under /srv",
    );
  });

  it("says nothing when there was nothing to do", () => {
    expect(sweepLine({ removed: 0, failed: 0, stoppedAt: null }, "/srv", "x")).toBe(null);
  });
});
