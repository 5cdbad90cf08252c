import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import { rssMiB } from "../../support/slow-readers.ts";
import { play } from "../../support/websocket-case-runner.ts";
import { ClientDeflate } from "../../support/websocket-cases-deflate.ts";
import { clientFrame } from "../../support/websocket-frames.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-conformance-app.mjs");
const GIB = 1024 * 1024 * 1024;
/** Four bombs at once, three rounds. */
const AT_ONCE = 4;
const ROUNDS = 3;
/** What the bombs may add to the server's peak RSS: a few inflated MiB each, far from a GiB. */
const PEAK_GROWTH_MIB = 100;

/**
 * RFC 7692 §8.1's zip bomb: a message of 1 MiB of DEFLATE data (maxPayloadLength is 1 MiB, so
 * the frame itself is allowed) that inflates to 1 GiB. The server stops inflating at
 * maxPayloadLength and a chunk, and closes with 1009; four at once, three times over, add well
 * under 100 MiB to its peak RSS. In the attack suite: memory-bound, it wants the machine to itself.
 */
export function websocketBombTests({ target }: SuiteContext): void {
  describe("WebSocket: a permessage-deflate zip bomb (1 MiB inflating to 1 GiB)", () => {
    let server: RunningSundial | undefined;
    beforeAll(async () => {
      server = await startSundial(target, ["--app", APP, "--quiet"]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it(
      `closes each with 1009 having inflated about maxPayloadLength: peak RSS grows under ${PEAK_GROWTH_MIB} MiB`,
      async () => {
        const compressed = new ClientDeflate(false).compress(new Uint8Array(GIB));
        expect(compressed.length).toBeLessThan(1024 * 1024);
        const bomb = clientFrame(0x2, compressed, { rsv: 4 });
        const pid = server!.process.pid!;
        const baseline = rssMiB(pid);
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20);
        try {
          for (let round = 0; round < ROUNDS; round++) {
            const outcomes = await Promise.all(Array.from({ length: AT_ONCE }, () =>
              play(server!.port, {
                id: "bomb",
                title: "bomb",
                extensions: "permessage-deflate",
                writes: () => [bomb],
                closeAfter: false,
                expect: { messages: [], close: 1009 },
              })));
            for (const outcome of outcomes) expect(outcome).toMatchObject({ messages: [], close: 1009 });
          }
        } finally {
          clearInterval(sampler);
        }
        const growth = peak - baseline;
        expect(growth, `peak RSS ${peak.toFixed(0)} MiB from ${baseline.toFixed(0)} MiB`).toBeLessThan(PEAK_GROWTH_MIB);
        console.log(`${target.name}: zip bombs: peak RSS ${peak.toFixed(0)} MiB from ${baseline.toFixed(0)} MiB`);
      },
      120_000,
    );
  });
}
