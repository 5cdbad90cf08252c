import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { describeExpectation, type Deviation, type H2Case, play } from "../../support/h2-case-runner.ts";
import { H2_CASES, H2_SECTIONS } from "../../support/h2-cases.ts";
import { type H2Server, type H2ServerSpec, writeH2Site } from "../../support/h2-servers.ts";
import { sundialH2Spec } from "../../support/h2-sundial.ts";
import type { SuiteContext } from "../context.ts";

export interface ConformanceOptions {
  /** Pinned deviations by case id (a reference server's; sundial has none: the RFC's outcome holds). */
  readonly deviations?: ReadonlyMap<string, Deviation>;
}

/**
 * An HTTP/2 conformance suite of our own along h2spec's sections (RFC 9113 §3.5 to §8.5 and
 * RFC 7541), played over raw frames (test/support/h2-raw.ts) against any server an H2ServerSpec
 * starts: nginx now (http2-reference.test.ts), sundial's targets once they speak HTTP/2. Each
 * case runs on its own connection and is a test of its own, named with what it sends and the
 * outcomes it accepts (test/support/h2-case-runner.ts); a section's cases run a few at a time.
 * A server's known deviation replaces the RFC's outcome with what the server does, so that it
 * is pinned (a change in the server fails the test) and the test's name keeps both.
 */
export function http2ConformanceTests(spec: H2ServerSpec, options: ConformanceOptions = {}): void {
  const deviations = options.deviations ?? new Map<string, Deviation>();
  describe(`HTTP/2 conformance (h2spec's sections) on ${spec.name}`, () => {
    let server: H2Server | undefined;
    let root: string | undefined;
    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-h2-site-"));
      writeH2Site(root);
      server = await spec.start(root);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
    });

    for (const [section, title] of H2_SECTIONS) {
      describe.concurrent(`${section} ${title}`, () => {
        for (const c of H2_CASES.filter((k) => k.section === section)) {
          registerCase(c, deviations.get(c.id), () => server!);
        }
      });
    }

    it("the cases cover every section, and every pinned deviation names a case", () => {
      const ids = new Set(H2_CASES.map((c) => c.id));
      const sections = new Set(H2_SECTIONS.map(([s]) => s));
      const stray = [...deviations.keys()].filter((id) => !ids.has(id));
      const orphans = H2_CASES.filter((c) => !sections.has(c.section)).map((c) => c.id);
      const duplicates = H2_CASES.map((c) => c.id).filter((id, i, all) => all.indexOf(id) !== i);
      if (stray.length + orphans.length + duplicates.length > 0) {
        throw new Error(
          `stray deviations ${stray}, cases outside the sections ${orphans}, duplicate ids ${duplicates}`,
        );
      }
    });
  });
}

function registerCase(c: H2Case, deviation: Deviation | undefined, server: () => H2Server): void {
  const expect = deviation?.expect ?? c.expect;
  const name = deviation === undefined
    ? `${c.id} ${c.title}: ${describeExpectation(expect)}`
    : `${c.id} ${c.title}: pinned deviation, ${describeExpectation(expect)} (the RFC: ${
      describeExpectation(c.expect)
    }; ${deviation.reason})`;
  it(name, async (ctx) => {
    const outcome = await play(server().endpoint, c, expect);
    if (outcome.notApplicable !== undefined) {
      ctx.skip(`not applicable: ${outcome.notApplicable}`);
      return;
    }
    ctx.expect(outcome.pass, `${c.id}: saw ${outcome.seen}`).toBe(true);
  }, 20_000);
}

/**
 * The conformance part as a SuitePart of sundial's black-box suite (test/e2e/suite.ts): over h2c
 * and TLS on the target, held to the RFC (no deviations). Not in the suite's PARTS until sundial
 * speaks HTTP/2.
 */
export function http2ConformancePart({ target }: SuiteContext): void {
  http2ConformanceTests(sundialH2Spec(target, false));
  http2ConformanceTests(sundialH2Spec(target, true));
}
