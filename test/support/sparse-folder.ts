import * as fs from "node:fs";
import * as path from "node:path";

/** What sparseFolder made: the paths an archive of it holds (folders with a trailing slash), sorted. */
export interface SparseFolder {
  readonly names: readonly string[];
  readonly bytes: number;
}

/**
 * A folder of `bytes` that costs no disk: four sparse files (truncate), two of them a folder
 * down, and a small real one; reading them gives zeros as fast as the kernel can.
 */
export function sparseFolder(dir: string, bytes: number): SparseFolder {
  fs.mkdirSync(path.join(dir, "sub", "deep"), { recursive: true });
  fs.writeFileSync(path.join(dir, "small.txt"), "small\n");
  const quarter = Math.floor(bytes / 4);
  const files = ["a.bin", "b.bin", "sub/c.bin", `sub/deep/d.bin`];
  files.forEach((name, i) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, "");
    fs.truncateSync(file, i === 3 ? bytes - 3 * quarter : quarter);
  });
  return { names: [...files, "small.txt", "sub/", "sub/deep/"].sort(), bytes: bytes + 6 };
}
