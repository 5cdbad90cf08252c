import { describe, it } from "vitest";
import type { Target } from "../support/server-process.ts";
import { ownServersContext, type SuitePart } from "./context.ts";
import { appAttackTests } from "./parts/app-attack-tests.ts";
import { memoryBoundTests } from "./parts/memory-bound-tests.ts";
import { slowAppReaderTests } from "./parts/slow-app-reader-tests.ts";
import { slowClientTests } from "./parts/slow-client-tests.ts";
import { slowReaderTests } from "./parts/slow-reader-tests.ts";
import { websocketBackpressureTests } from "./parts/websocket-backpressure-tests.ts";
import { websocketBombTests } from "./parts/websocket-bomb-tests.ts";

/**
 * The attack suite: the black-box tests whose bounds are timing or memory (/time answered within
 * 2 s under a flood of 1,100 slow or hung connections, peak RSS under 150 MB with 1,000 slow
 * readers, a 1 GiB upload and 2 GiB archives within 32 MiB of RSS). They run after the rest, one file at a time, with the machine to themselves
 * (vitest.attack.config.ts): beside another runtime's suite on two cores they measured the
 * neighbour as much as the server.
 */
const ATTACK_PARTS: readonly SuitePart[] = [
  slowClientTests,
  slowReaderTests,
  slowAppReaderTests,
  appAttackTests,
  memoryBoundTests,
  websocketBackpressureTests,
  websocketBombTests,
];

export function defineAttackSuite(target: Target): void {
  describe.skipIf(target.skip !== undefined)(`attacks on ${target.name}`, () => {
    const ctx = ownServersContext(target);
    for (const part of ATTACK_PARTS) part(ctx);
  });
  if (target.skip !== undefined) {
    describe(`attacks on ${target.name}`, () => {
      it.skip(`skipped: ${target.skip}`, () => {});
    });
  }
}
