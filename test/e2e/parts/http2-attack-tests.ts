import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type H2AttackBounds,
  isSundialOnly,
  type ResetBound,
  SUNDIAL_H2_BOUNDS,
  type SundialOnly,
} from "../../support/h2-attack-bounds.ts";
import { manyConnections, type ProbeResult, startProbe } from "../../support/h2-attack-load.ts";
import {
  ackFlood,
  type AttackResult,
  continuationFlood,
  headerListBomb,
  madeYouReset,
  rapidReset,
  zeroWindowHold,
} from "../../support/h2-attacks.ts";
import { type H2Server, type H2ServerSpec, writeH2Site } from "../../support/h2-servers.ts";
import { RssPeak } from "../../support/memory-load.ts";
import { sundialH2Spec } from "../../support/h2-sundial.ts";
import type { SuiteContext } from "../context.ts";

/** Runs an attack while a probe asks for / on fresh connections; the server's peak RSS around it, when it runs here. */
async function underWatch<T>(
  server: H2Server,
  what: string,
  attack: () => Promise<T>,
): Promise<{ result: T; probe: ProbeResult; growthMiB: number | null }> {
  const pid = server.pid();
  const peak = pid === undefined ? null : new RssPeak(pid);
  const probe = startProbe(server.endpoint);
  try {
    const result = await attack();
    const watched = {
      result,
      probe: await probe.stop(),
      growthMiB: peak === null ? null : peak.stop() - peak.baselineMiB,
    };
    console.log(
      `${what}: ${JSON.stringify(result).slice(0, 400)}; probes answered ${watched.probe.answered}, peak RSS up ${
        watched.growthMiB?.toFixed(1) ?? "(not local)"
      } MiB`,
    );
    return watched;
  } finally {
    peak?.stop();
  }
}

/** The probe got every answer, each within its 2 s. */
function expectProbeAnswered(probe: ProbeResult): void {
  expect(probe.failures, `probes beside the attack: ${JSON.stringify(probe)}`).toEqual([]);
  expect(probe.answered).toBeGreaterThan(0);
}

function expectGrowth(growthMiB: number | null, bound: number, what: string): void {
  if (growthMiB === null) return;
  expect(growthMiB, `${what}: peak RSS up ${growthMiB.toFixed(1)} MiB`).toBeLessThan(bound);
}

/** A reset flood ended with one of the codes, the server having taken at most maxStreams streams. */
function expectResetBound(result: AttackResult, bound: ResetBound): void {
  const seen = JSON.stringify(result);
  expect(result.end.kind, seen).toBe("goaway");
  if (result.end.kind !== "goaway") return;
  expect(bound.codes, seen).toContain(result.end.code);
  expect(result.end.lastStreamId, seen).toBeLessThanOrEqual(2 * bound.maxStreams - 1);
}

/**
 * The HTTP/2 attacks, each bounded in count and time, against any server an H2ServerSpec starts
 * (one server for the part, started with the zero window hold's timeout): Rapid Reset,
 * MadeYouReset (two ways), a CONTINUATION flood, a header list bomb, SETTINGS and PING floods
 * whose acknowledgements are never read, a stream held at a zero window, and 1,000 connections
 * of 100 streams. While each runs, a probe asks for / on fresh connections and must get every
 * answer; where the server runs here its peak RSS is bounded (RssPeak, /proc). An attack whose
 * bound is `sundialOnly` is reported as skipped with the reason. For the attack suite: it wants
 * the machine to itself.
 */
export function http2AttackTests(spec: H2ServerSpec, bounds: H2AttackBounds): void {
  describe(`HTTP/2 attacks on ${spec.name}`, () => {
    let server: H2Server | undefined;
    let root: string | undefined;
    const holdS = isSundialOnly(bounds.zeroWindow) ? undefined : bounds.zeroWindow.holdS;
    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-h2-attack-"));
      writeH2Site(root);
      server = await spec.start(root, { zeroWindowTimeoutS: holdS });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
    });
    const growth = bounds.attackGrowthMiB;

    resetTest(
      spec.name,
      "Rapid Reset: HEADERS then RST_STREAM, 20,000 streams at most",
      bounds.rapidReset,
      () => rapidReset(server!.endpoint),
      () => server!,
      growth,
    );
    resetTest(
      spec.name,
      "MadeYouReset: each stream made invalid by a WINDOW_UPDATE of 0",
      bounds.madeYouResetWindow,
      () => madeYouReset(server!.endpoint, "window-update-0"),
      () => server!,
      growth,
    );
    resetTest(
      spec.name,
      "MadeYouReset: DATA after END_STREAM on each stream",
      bounds.madeYouResetData,
      () => madeYouReset(server!.endpoint, "data-after-end-stream"),
      () => server!,
      growth,
    );

    const continuation = bounds.continuation;
    boundedIt(continuation, "CONTINUATION flood: a field block never ended, four connections at once", async (b) => {
      const watched = await underWatch(
        server!,
        `${spec.name}: CONTINUATION flood`,
        () => Promise.all([0, 1, 2, 3].map(() => continuationFlood(server!.endpoint))),
      );
      for (const result of watched.result) {
        const seen = JSON.stringify(result);
        expect(result.end.kind, seen).not.toBe("timeout");
        if (result.end.kind === "goaway") expect(b.codes, seen).toContain(result.end.code);
        // One 16 KiB step of slack: the GOAWAY may still be on its way when the next step goes.
        expect(result.sent, seen).toBeLessThanOrEqual(b.maxOctets + 16 * 1024);
      }
      expectProbeAnswered(watched.probe);
      expectGrowth(watched.growthMiB, growth, "CONTINUATION flood");
    });

    boundedIt(
      bounds.headerBomb,
      "header list bomb: 16,000 references to a 4,000-octet entry (64 MB of fields), 4 at once, 3 times",
      async (b) => {
        const watched = await underWatch(server!, `${spec.name}: header list bomb`, async () => {
          const outcomes: string[] = [];
          for (let round = 0; round < 3; round++) {
            const results = await Promise.all([0, 1, 2, 3].map(() => headerListBomb(server!.endpoint)));
            outcomes.push(...results.map((r) => r.outcome));
          }
          return outcomes;
        });
        for (const outcome of watched.result) expect(outcome).toMatch(b.outcome);
        expectProbeAnswered(watched.probe);
        expectGrowth(watched.growthMiB, growth, "header list bomb");
      },
    );

    for (const kind of ["SETTINGS", "PING"] as const) {
      const bound = kind === "SETTINGS" ? bounds.settingsFlood : bounds.pingFlood;
      boundedIt(bound, `${kind} flood, its acknowledgements never read: the connection ends`, async (b) => {
        const watched = await underWatch(
          server!,
          `${spec.name}: ${kind} flood`,
          () => ackFlood(server!.endpoint, kind, b.maxFrames),
        );
        const seen = JSON.stringify(watched.result);
        expect(watched.result.end.kind, seen).not.toBe("timeout");
        if (watched.result.end.kind === "goaway") {
          expect(["ENHANCE_YOUR_CALM", "NO_ERROR"], seen).toContain(watched.result.end.code);
        }
        expect(watched.result.sent, seen).toBeLessThan(b.maxFrames);
        expectProbeAnswered(watched.probe);
        expectGrowth(watched.growthMiB, growth, `${kind} flood`);
      });
    }

    boundedIt(bounds.zeroWindow, "zero window hold: INITIAL_WINDOW_SIZE 0, never a WINDOW_UPDATE", async (b) => {
      const watched = await underWatch(
        server!,
        `${spec.name}: zero window hold`,
        () => zeroWindowHold(server!.endpoint, b.holdS * 1000 + 5000),
      );
      const seen = JSON.stringify(watched.result);
      const outcomes = b.outcome === "closed" ? ["closed", "goaway"] : ["reset"];
      expect(outcomes, seen).toContain(watched.result.outcome);
      expect(watched.result.afterMs, seen).toBeGreaterThan(b.holdS * 500);
      expectProbeAnswered(watched.probe);
    }, 1000 * (holdS ?? 0) + 30_000);

    boundedIt(
      bounds.manyConnections,
      "1,000 connections of 100 streams each: every response, peak RSS bounded",
      async (b) => {
        const watched = await underWatch(
          server!,
          `${spec.name}: 1,000 connections x 100 streams`,
          () => manyConnections(server!.endpoint, 1000, 100, () => {}),
        );
        const result = watched.result;
        expect(result.failures).toEqual([]);
        expect(result.answered).toBe(100_000);
        expectGrowth(watched.growthMiB, b.peakGrowthMiB, "1,000 connections of 100 streams");
      },
      120_000,
    );
  });
}

/** A reset flood's test: bounded, a probe answered beside it, RSS bounded. */
function resetTest(
  name: string,
  title: string,
  bound: ResetBound | SundialOnly,
  attack: () => Promise<AttackResult>,
  server: () => H2Server,
  growth: number,
): void {
  boundedIt(bound, title, async (b) => {
    const watched = await underWatch(server(), `${name}: ${title}`, attack);
    expectResetBound(watched.result, b);
    expectProbeAnswered(watched.probe);
    expectGrowth(watched.growthMiB, growth, title);
  });
}

/** A test run with its bound, or reported as skipped where the bound is sundial's only. */
function boundedIt<B extends object>(
  bound: B,
  title: string,
  body: (bound: Exclude<B, SundialOnly>) => Promise<void>,
  timeoutMs = 60_000,
): void {
  if (isSundialOnly(bound)) {
    it.skip(`${title} (sundial only: ${bound.sundialOnly})`, () => {});
    return;
  }
  it(title, () => body(bound as Exclude<B, SundialOnly>), timeoutMs);
}

/**
 * The attacks as a SuitePart of sundial's attack suite (test/e2e/attack-suite.ts), held to
 * SUNDIAL_H2_BOUNDS over h2c. Not in ATTACK_PARTS until sundial speaks HTTP/2; the zero window
 * hold then needs the flag that shortens sundial's timeout (sundialH2Spec's optionArgs).
 */
export function http2AttackPart({ target }: SuiteContext): void {
  http2AttackTests(sundialH2Spec(target, false), SUNDIAL_H2_BOUNDS);
}
