import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GeneratedBody, MIB, putGenerated } from "../../support/memory-load.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

/** The disk: a tmpfs this small fills within one upload. */
const TMPFS_SIZE = "4m";

/** A tmpfs mounted at dir, or why it cannot be (not root, or no mount allowed in this container). */
function mountTmpfs(dir: string): string | null {
  if (process.platform !== "linux") return "a tmpfs needs Linux";
  const result = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${TMPFS_SIZE}`, "tmpfs", dir], { encoding: "utf8" });
  if (result.error !== undefined) return `mount could not run: ${result.error.message}`;
  if (result.status !== 0) {
    return `mount -t tmpfs was refused (${
      result.stderr.trim() || `exit ${result.status}`
    }): it needs root and a container that allows mount`;
  }
  return null;
}

/** Whether a tmpfs can be mounted here, asked once when the suite is defined (a skip must say why before it runs). */
const MOUNT_REFUSED = ((): string | null => {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-tmpfs-probe-"));
  try {
    const refused = mountTmpfs(probe);
    if (refused === null) spawnSync("umount", [probe]);
    return refused;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
})();

/** Temporaries of unfinished uploads (src/static/write/temp-name.ts) in dir. */
function temporaries(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => /\.sundial-[0-9a-f]{16}\.tmp$/.test(n));
}

const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/**
 * Issue 24's crash safety on a real full disk: a 4 MiB tmpfs served with --upload. A PUT larger
 * than the free space is 507 (RFC 4918 §11.5, as RFC 9110 leaves it), the file it would have
 * replaced is unchanged, no temporary is left, and a small PUT afterwards succeeds. Skipped,
 * with the reason, where mount is not allowed (not root, or a container without the capability).
 */
export function fullDiskTests({ target }: SuiteContext): void {
  describe.skipIf(MOUNT_REFUSED !== null)("a full disk (a 4 MiB tmpfs)", () => {
    let server: RunningSundial | undefined;
    let base = "";
    let disk = "";
    const old = randomBytes(MIB);
    beforeAll(async () => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-full-disk-"));
      disk = path.join(base, "disk");
      fs.mkdirSync(disk);
      const refused = mountTmpfs(disk);
      if (refused !== null) throw new Error(refused);
      fs.writeFileSync(path.join(disk, "file.bin"), old);
      server = await startSundial(target, [disk, "--upload", "--max-upload", "64m"]);
    });
    afterAll(async () => {
      await server?.stop();
      spawnSync("umount", [disk]);
      fs.rmSync(base, { recursive: true, force: true });
    });

    it("a PUT past the free space: 507, the old file unchanged, no temporary; a small PUT then succeeds", async () => {
      // 64 KiB every 5 ms: a client that reads the early 507 before it sent another megabyte.
      const large = await putGenerated(server!.port, "/file.bin", new GeneratedBody(16 * MIB, 64 * 1024), 30_000, 5);
      expect(large?.status).toBe(507);
      expect(large?.reason).toBe("Insufficient Storage");
      expect(sha256(fs.readFileSync(path.join(disk, "file.bin")))).toBe(sha256(old));
      expect(temporaries(disk)).toEqual([]);
      const small = new GeneratedBody(256 * 1024);
      const replaced = await putGenerated(server!.port, "/file.bin", small, 10_000);
      expect(replaced?.status).toBe(204);
      expect(sha256(fs.readFileSync(path.join(disk, "file.bin")))).toBe(small.digest());
      const created = await putGenerated(server!.port, "/new.bin", new GeneratedBody(1000), 10_000);
      expect(created?.status).toBe(201);
      expect(temporaries(disk)).toEqual([]);
    }, 60_000);
  });
  if (MOUNT_REFUSED !== null) {
    describe("a full disk (a 4 MiB tmpfs)", () => {
      it.skip(`skipped: ${MOUNT_REFUSED}`, () => {});
    });
  }
}
