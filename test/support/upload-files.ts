/** What the write and upload parts of the e2e suite check on disk: temporaries left, content hashes. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";

/** Temporaries of unfinished uploads (src/static/write/temp-name.ts), anywhere under dir. */
export function temporaries(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((n) =>
    /\.sundial-[0-9]+-[0-9a-f]{16}\.tmp$/.test(n)
  );
}

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
