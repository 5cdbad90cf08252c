import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT";
export const SIBLING_SECRET = "SIBLING-FOLDER-SECRET";
export const DOTFILE_SECRET = "DOTFILE-SECRET";

export interface Fixture {
  /** The served folder. */
  readonly root: string;
  /** Its parent, holding files that must never be served. */
  readonly base: string;
  readonly files: Readonly<Record<string, Buffer>>;
  remove(): void;
}

/** A served folder with the awkward cases: dotfiles, symlinks in and out, a sibling with the same prefix. */
export function createFixture(): Fixture {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sundial-e2e-")));
  const root = path.join(base, "site");
  const files: Record<string, Buffer> = {
    "index.html": Buffer.from("<!doctype html><title>root</title><p>ROOT INDEX</p>\n"),
    "hello.txt": Buffer.from("hello world\n"),
    "a.txt": Buffer.from("AAAA"),
    "b.txt": Buffer.from("BBBBBBBB"),
    "style.css": Buffer.from("body{color:red}\n"),
    "app.js": Buffer.from("console.log(1);\n"),
    "mod.mjs": Buffer.from("export {};\n"),
    "data.json": Buffer.from('{"a":1}\n'),
    "pic.svg": Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>\n'),
    "image.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]),
    "font.woff2": randomBytes(100),
    "no-extension": Buffer.from("plain bytes"),
    "empty.txt": Buffer.alloc(0),
    "big.bin": randomBytes(5 * 1024 * 1024 + 123),
    "with space.txt": Buffer.from("spaced"),
    "caf\u00e9.txt": Buffer.from("accented"),
    ".env": Buffer.from(DOTFILE_SECRET),
    ".hidden/inside.txt": Buffer.from(DOTFILE_SECRET),
    "sub/index.html": Buffer.from("<p>SUB INDEX</p>\n"),
    "sub/deep/file.txt": Buffer.from("deep file"),
    "empty-dir/.keep": Buffer.alloc(0),
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  fs.writeFileSync(path.join(base, "secret.txt"), SECRET);
  fs.mkdirSync(path.join(base, "site-backup"));
  fs.writeFileSync(path.join(base, "site-backup", "leak.txt"), SIBLING_SECRET);
  fs.symlinkSync("hello.txt", path.join(root, "link-inside.txt"));
  fs.symlinkSync("sub", path.join(root, "link-sub"));
  fs.symlinkSync("../secret.txt", path.join(root, "link-out.txt"));
  fs.symlinkSync("..", path.join(root, "link-parent"));
  fs.symlinkSync("../site-backup/leak.txt", path.join(root, "link-sibling.txt"));
  fs.symlinkSync("../site-backup", path.join(root, "link-sibling-dir"));
  fs.symlinkSync("does-not-exist", path.join(root, "broken-link"));
  return { root, base, files, remove: () => fs.rmSync(base, { recursive: true, force: true }) };
}
