import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { startSundial } from "../../support/server-process.ts";
import { slowReaders } from "../../support/slow-readers.ts";
import type { SuiteContext } from "../context.ts";

/**
 * Issue 12 D: 1,000 slow readers of a large file (the slow-read attack, slowhttptest -X) hold
 * their responses' send buffers; the shared budget (src/connection/send-buffers.ts) keeps the server
 * under 150 MB RSS, and it still answers. On Deno that takes the run form's
 * --v8-flags=--max-semi-space-size=1,--heap-growing-percent=20 (test/support/server-process.ts): with V8's default young
 * generation the heap grew to 85 MB for 32-43 MB in use, and Deno peaked at 174-180 MB
 * (issue 22; docs/static-files.md, Streaming and the file cache).
 */
const PEAK_MIB = 150;
export function slowReaderTests({ target }: SuiteContext): void {
  describe("slow readers: memory stays bounded", () => {
    it(
      `1,000 connections reading a 64 MiB file slowly: peak RSS under ${PEAK_MIB} MB, /time still answered`,
      async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-slowread-"));
        // Sparse: larger than the in-memory cache, so every response streams from the disk.
        fs.writeFileSync(path.join(dir, "big.bin"), "");
        fs.truncateSync(path.join(dir, "big.bin"), 64 * 1024 * 1024);
        // Defaults only: the readers come from 127.0.0.1, which the per-address cap leaves alone.
        const server = await startSundial(target, [dir]);
        try {
          const result = await slowReaders(server.port, server.process.pid!, "/big.bin", 1000, 5000);
          // Most readers got their response started (on a loaded machine some are still being accepted at the end).
          expect(result.answered).toBeGreaterThanOrEqual(500);
          expect(result.peakMiB, `peak RSS ${result.peakMiB.toFixed(0)} MiB (from ${result.baselineMiB.toFixed(0)})`)
            .toBeLessThan(PEAK_MIB);
          const time = await fetch(`http://127.0.0.1:${server.port}/time`);
          expect(time.status).toBe(200);
        } finally {
          await server.stop();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      30_000,
    );
  });
}
