import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, type ParsedResponse, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import { until } from "../../support/wait.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "faulty-app.mjs");

/** One request on a fresh connection. */
async function ask(port: number, target: string): Promise<ParsedResponse> {
  const { data } = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`, {
    until: hasResponses(1),
    timeoutMs: 5000,
  });
  const [response] = parseResponses(data);
  if (response === undefined) throw new Error(`no response to ${target}`);
  return response;
}

/** The stderr lines of one kind of app error, and the errors the summary lines say were not shown. */
function errorLines(stderr: string): { rejections: string[]; exceptions: string[]; held: number } {
  const lines = stderr.split("\n");
  const held = lines.map((l) => /^sundial: (\d+) more app errors? in that second not shown/.exec(l)).reduce(
    (n, m) => n + (m === null ? 0 : Number(m[1])),
    0,
  );
  return {
    rejections: lines.filter((l) => l.startsWith("sundial: unhandled rejection")),
    exceptions: lines.filter((l) => l.startsWith("sundial: uncaught exception")),
    held,
  };
}

const metric = (text: string, kind: string): number =>
  Number(new RegExp(`^sundial_app_errors_total\\{kind="${kind}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? NaN);

/**
 * Where each runtime tells which request an error came from (AsyncLocalStorage, as it reaches
 * the runtime's error event): Node 24 and later for both kinds (Node before 24 does not tag: its
 * AsyncLocalStorage slows every promise, runtime-adapters/node/ports.ts); Deno for rejections only (its "error" event
 * for a timer's exception runs outside the timer's context); Bun for exceptions only (its
 * unhandledRejection runs outside the promise's).
 */
const ATTRIBUTED: Readonly<Record<string, { readonly rejection: boolean; readonly exception: boolean }>> = {
  node: Number(process.versions.node.split(".")[0]) >= 24
    ? { rejection: true, exception: true }
    : { rejection: false, exception: false },
  deno: { rejection: true, exception: false },
  bun: { rejection: false, exception: true },
};

/** An app's unhandled rejections and uncaught exceptions (issue 22, finding 6): logged, counted, and the server goes on. */
export function appErrorsTests({ target }: SuiteContext): void {
  const runtime = target.name.replace(/-exe$/, "");
  const attributed = ATTRIBUTED[runtime]!;

  describe.skipIf(target.skip !== undefined)("--app: errors the app leaves uncaught", () => {
    let server: RunningSundial;
    beforeAll(async () => {
      server = await startSundial(target, ["--app", APP, "--metrics"], {}, REPO_ROOT);
    }, 60_000);
    afterAll(() => server?.stop());

    it(
      "keeps serving: one stderr line each (kind, request where known, message, first frame), at most 10 a second, counted in /metrics",
      async () => {
        for (let i = 0; i < 5; i++) {
          expect((await ask(server.port, "/reject")).status).toBe(200);
          expect((await ask(server.port, "/throw-in-timer")).status).toBe(200);
        }
        expect((await ask(server.port, "/hello")).body.toString()).toBe("hello\n");
        // Ten errors at most ten a second: all ten are written, whatever the windows.
        await until(() => {
          const e = errorLines(server.stderr());
          return e.rejections.length + e.exceptions.length === 10;
        }, 5000);
        const { rejections, exceptions } = errorLines(server.stderr());
        expect([rejections.length, exceptions.length], server.stderr()).toEqual([5, 5]);
        const frame = /\(at .*faulty-app\.mjs:\d+:\d+\)?\)$/;
        for (const line of rejections) {
          expect(line).toMatch(
            attributed.rejection
              ? /^sundial: unhandled rejection in GET \/reject: Error: rejected on purpose \(at /
              : /^sundial: unhandled rejection \(request not known\): Error: rejected on purpose \(at /,
          );
          expect(line).toMatch(frame);
        }
        for (const line of exceptions) {
          expect(line).toMatch(
            attributed.exception
              ? /^sundial: uncaught exception in GET \/throw-in-timer: Error: thrown in a timer \(at /
              : /^sundial: uncaught exception \(request not known\): Error: thrown in a timer \(at /,
          );
          expect(line).toMatch(frame);
        }

        // A burst of 25 in one request: ten lines in its second at most, then one line for the rest.
        expect((await ask(server.port, "/reject-burst?n=25")).body.toString()).toBe("rejected 25\n");
        expect(await until(() => errorLines(server.stderr()).held > 0, 5000), server.stderr()).toBe(true);
        const after = errorLines(server.stderr());
        const burstLines = after.rejections.length - 5;
        expect(burstLines).toBeLessThanOrEqual(10);
        expect(burstLines + after.held).toBe(25);
        expect(after.rejections.filter((l) => l.includes("Error: burst ")).length).toBe(burstLines);

        const metrics = (await ask(server.port, "/metrics")).body.toString();
        expect([metric(metrics, "unhandled_rejection"), metric(metrics, "uncaught_exception")]).toEqual([30, 5]);
        expect((await ask(server.port, "/hello")).body.toString()).toBe("hello\n");
        expect(server.process.exitCode).toBeNull();
      },
      30_000,
    );
  });

  describe.skipIf(target.skip !== undefined)("--app --workers 2: each worker keeps serving", () => {
    let server: RunningSundial;
    beforeAll(async () => {
      server = await startSundial(target, ["--app", APP, "--workers", "2"], {}, REPO_ROOT);
      await until(() => /Workers: .*\n/.test(server.stderr()), 5000);
    }, 60_000);
    afterAll(() => server?.stop());

    it("no worker ends or is started again, and their lines reach the supervisor's stderr", async () => {
      const pids = /Workers: 2 processes \(pids (\d+), (\d+)\)/.exec(server.stderr())!.slice(1).map(Number);
      for (let i = 0; i < 12; i++) {
        expect((await ask(server.port, "/reject")).status).toBe(200);
        expect((await ask(server.port, "/throw-in-timer")).status).toBe(200);
      }
      await until(() => {
        const e = errorLines(server.stderr());
        return e.rejections.length + e.exceptions.length + e.held === 24;
      }, 5000);
      const { rejections, exceptions, held } = errorLines(server.stderr());
      expect(rejections.length + exceptions.length + held, server.stderr()).toBe(24);
      for (let i = 0; i < 4; i++) expect((await ask(server.port, "/hello")).body.toString()).toBe("hello\n");
      expect(server.stderr()).not.toMatch(/starting it again|before it was serving/);
      for (const pid of pids) expect(() => process.kill(pid, 0)).not.toThrow();
    }, 30_000);
  });
}
