import { afterAll, beforeAll, describe, it } from "vitest";
import { createFixture, type Fixture } from "../support/fixture.ts";
import { type RunningSundial, startSundial, type Target } from "../support/server-process.ts";
import { archiveTests } from "./parts/archive-tests.ts";
import { appErrorsTests } from "./parts/app-errors-tests.ts";
import { appContractTests } from "./parts/app-contract-tests.ts";
import { appPackagesTests } from "./parts/app-packages-tests.ts";
import { appTests } from "./parts/app-tests.ts";
import { authTests } from "./parts/auth-tests.ts";
import { authPathTests } from "./parts/auth-path-tests.ts";
import { cliTests } from "./parts/cli-tests.ts";
import { conformanceTests } from "./parts/conformance-tests.ts";
import { crashTests } from "./parts/crash-tests.ts";
import { filesTests } from "./parts/files/files-tests.ts";
import { fullDiskTests } from "./parts/full-disk-tests.ts";
import { hardeningTests } from "./parts/hardening-tests.ts";
import { opsTests } from "./parts/ops-tests.ts";
import type { SuiteContext, SuitePart } from "./context.ts";
import { protocolTests } from "./parts/protocol-tests.ts";
import { boundaryTests, raceTests } from "./parts/race-tests.ts";
import { safetyTests } from "./parts/safety-tests.ts";
import { staticTests } from "./parts/static-tests.ts";
import { timeServiceTests } from "./parts/time-services-tests.ts";
import { SUITE_TIME_ZONE, timeTests } from "./parts/time-tests.ts";
import { uploadTests } from "./parts/upload-tests.ts";
import { websocketConformanceTests } from "./parts/websocket-conformance-tests.ts";
import { websocketTests } from "./parts/websocket-tests.ts";
import { honoChatTests } from "./parts/hono-chat-tests.ts";
import { http2ConformancePart } from "./parts/http2-conformance-tests.ts";
import { http2OpsTests } from "./parts/http2-ops-tests.ts";
import { writeTests } from "./parts/write-tests.ts";

/** The parts, in the order they register their tests. */
const PARTS: readonly SuitePart[] = [
  timeTests,
  staticTests,
  safetyTests,
  protocolTests,
  cliTests,
  conformanceTests,
  hardeningTests,
  filesTests,
  timeServiceTests,
  raceTests,
  boundaryTests,
  appTests,
  appPackagesTests,
  appErrorsTests,
  appContractTests,
  opsTests,
  authTests,
  authPathTests,
  writeTests,
  uploadTests,
  crashTests,
  fullDiskTests,
  archiveTests,
  websocketTests,
  honoChatTests,
  websocketConformanceTests,
  http2ConformancePart,
  http2OpsTests,
];

/**
 * The black-box suite: the same tests against any command that starts sundial (a runtime's
 * run form or a built executable). Each target gets its own server on a free port. The attacks
 * (floods of slow clients, slow readers, hung apps: timing- and memory-bound) are attack-suite.ts,
 * run afterwards with the machine to themselves.
 */
export function defineSuite(target: Target): void {
  describe.skipIf(target.skip !== undefined)(`sundial on ${target.name}`, () => {
    let server: RunningSundial | undefined;
    let fixture: Fixture | undefined;
    beforeAll(async () => {
      fixture = createFixture();
      server = await startSundial(target, [fixture.root], { TZ: SUITE_TIME_ZONE });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      fixture?.remove();
    });
    const ctx: SuiteContext = { target, server: () => server!, fixture: () => fixture! };
    for (const part of PARTS) part(ctx);
  });
  if (target.skip !== undefined) {
    describe(`sundial on ${target.name}`, () => {
      it.skip(`skipped: ${target.skip}`, () => {});
    });
  }
}
