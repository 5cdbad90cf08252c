import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, startSundial } from "../../support/server-process.ts";
import { PROBE_LIMIT_MS, probedSlowReaders } from "../../support/slow-readers.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "stream-app.mjs");
const READERS = 250;
/**
 * RSS growth allowed with READERS slow readers of an app's streamed body: 400 KB each. Before
 * issue 22 the server read up to 1 MiB of the body ahead of each head (8 MiB on Bun while it
 * learnt the type of an untyped body): 270-1,200 MB here. Now it reads 64 KiB ahead and, past
 * the send-buffer budget, one piece at a time: 30-55 MB measured (docs/static-files.md, Streaming and the file cache).
 */
const GROWTH_MIB = 100;
/** An Ethernet path's segment size (see test/support/slow-read.py): the loopback's lets each send buffer take megabytes at once. */
const MSS = 1460;

/**
 * Issue 22, finding 3: slow readers (4 KiB receive windows, 64 bytes read every 100 ms) of an
 * 8 MiB body an app makes as it is read, in 16 KiB pieces (a Node stream's size), with and
 * without a Content-Type (on Bun, a body without one is cloned to learn its type). The server's
 * memory stays bounded, /time answers throughout, and the memory stops growing once they left.
 */
export function slowAppReaderTests({ target }: SuiteContext): void {
  describe("slow readers of an app's streamed body: memory stays bounded", () => {
    for (const route of ["/untyped", "/typed"]) {
      it(
        `${READERS} connections reading ${route} slowly: RSS grows under ${GROWTH_MIB} MB, /time answers within 2 s throughout`,
        async () => {
          const server = await startSundial(target, [os.tmpdir(), "--app", APP]);
          try {
            const result = await probedSlowReaders(
              server.port,
              server.process.pid!,
              `${route}?piece=16384`,
              READERS,
              5000,
              2000,
              MSS,
            );
            const seen =
              `RSS ${result.baselineMiB.toFixed(0)} -> peak ${result.peakMiB.toFixed(0)} -> ${
                result.afterMiB.toFixed(0)
              } MiB after; ` +
              `${result.answered} answered; ${result.probesFailed} of ${result.probes} probes not answered within ${PROBE_LIMIT_MS} ms`;
            // Most readers got their response started (on a loaded machine some are still being accepted at the end).
            expect(result.answered, seen).toBeGreaterThanOrEqual(READERS / 2);
            expect(result.peakMiB - result.baselineMiB, seen).toBeLessThan(GROWTH_MIB);
            expect(result.probesFailed, seen).toBe(0);
            // Once they left, nothing more is taken (Bun went on growing to twice its peak).
            expect(result.afterMiB, seen).toBeLessThan(result.peakMiB + 16);
          } finally {
            await server.stop();
          }
        },
        40_000,
      );
    }
  });
}
