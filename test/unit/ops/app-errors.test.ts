import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { processListeners, uncaughtPort } from "../../../runtime-adapters/shared-node/uncaught.ts";
import type { App } from "../../../src/app.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import type { ConsoleOutput } from "../../../src/ports/console-output.ts";
import type { Uncaught, UncaughtError, UncaughtKind } from "../../../src/ports/uncaught.ts";
import { appErrorLine, firstFrame, printable, thrownMessage } from "../../../src/ops/app-error-line.ts";
import { APP_ERROR_LINES_PER_SECOND, catchAppErrors } from "../../../src/ops/app-errors.ts";
import { LineBudget } from "../../../src/ops/line-budget.ts";
import { FakeClock } from "../../support/fake-ports.ts";

/** stderr as lines. */
function fakeOutput(): ConsoleOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: () => {}, err: (line) => void lines.push(line), log: () => {} };
}

/** An Uncaught whose errors the test raises (deliver) with a port's dispatch: the adapter's, over a fake install. */
function fakeUncaught(): {
  port: Uncaught;
  deliver: (kind: UncaughtKind, error: unknown) => void;
  installed: () => boolean;
} {
  let deliver: ((kind: UncaughtKind, error: unknown) => void) | null = null;
  const port = uncaughtPort((d) => {
    deliver = d;
    return () => void (deliver = null);
  });
  return { port, deliver: (kind, error) => deliver?.(kind, error), installed: () => deliver !== null };
}

const head = (method: string, target: string): RequestHead => ({ method, target } as unknown as RequestHead);
/** An app whose handler raises an error inside the request, as a forgotten await would (synchronously here, for the test). */
const raisingApp = (raise: () => void): App => ({
  headers: [],
  handle: () => (raise(), { status: 200, headers: [], body: new Uint8Array() }),
});
const context = {} as Parameters<App["handle"]>[1];

describe("LineBudget: at most N lines a second, then one line for the rest", () => {
  it("writes N of a burst, holds the rest without making their lines, and sums them up when the second ends", () => {
    const clock = new FakeClock(1_000_000);
    const lines: string[] = [];
    const budget = new LineBudget(clock, 10, (l) => void lines.push(l), (held) => `held ${held}`);
    let made = 0;
    for (let i = 0; i < 25; i++) budget.offer(() => `line ${made++}`);
    expect(lines).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i}`));
    expect(made).toBe(10);
    clock.advance(999);
    expect(lines).toHaveLength(10);
    clock.advance(1);
    expect(lines.at(-1)).toBe("held 15");
    budget.offer(() => "next second");
    expect(lines.at(-1)).toBe("next second");
    expect(clock.pendingTimers).toBe(0);
  });

  it("writes a steady trickle whole, with no summary", () => {
    const clock = new FakeClock(0);
    const lines: string[] = [];
    const budget = new LineBudget(clock, 2, (l) => void lines.push(l), (held) => `held ${held}`);
    for (let i = 0; i < 20; i++) {
      budget.offer(() => `line ${i}`);
      clock.advance(500);
    }
    expect(lines).toHaveLength(20);
    expect(lines.some((l) => l.startsWith("held"))).toBe(false);
  });

  it("flush() writes the summary at once and cancels its timer; a clock stepped back opens a new window", () => {
    const clock = new FakeClock(10_000);
    const lines: string[] = [];
    const budget = new LineBudget(clock, 1, (l) => void lines.push(l), (held) => `held ${held}`);
    budget.offer(() => "a");
    budget.offer(() => "b");
    budget.flush();
    expect(lines).toEqual(["a", "held 1"]);
    expect(clock.pendingTimers).toBe(0);
    budget.offer(() => "c");
    clock.time = 5_000;
    budget.offer(() => "d");
    expect(lines).toEqual(["a", "held 1", "held 1", "d"]);
  });

  it("writes exactly the offered count, lines plus summaries, for any arrival times", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1500 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 12 }),
        (gaps, perSecond) => {
          const clock = new FakeClock(0);
          const lines: string[] = [];
          const budget = new LineBudget(clock, perSecond, (l) => void lines.push(l), (held) => `held ${held}`);
          for (const gap of gaps) {
            clock.advance(gap);
            budget.offer(() => "line");
          }
          clock.advance(1000);
          const held = lines.filter((l) => l.startsWith("held ")).reduce((n, l) => n + Number(l.slice(5)), 0);
          expect(lines.filter((l) => l === "line").length + held).toBe(gaps.length);
        },
      ),
    );
  });
});

describe("appErrorLine: one line with the kind, the request, the message and the first frame", () => {
  const error = new Error("no database");
  error.stack = "Error: no database\n    at fetch (file:///srv/app.mjs:4:50)\n    at handle (file:///srv/x.mjs:1:1)";

  it("names the request when known, and says so when not", () => {
    expect(appErrorLine("unhandled_rejection", error, { method: "GET", target: "/items?id=1" })).toBe(
      "sundial: unhandled rejection in GET /items?id=1: Error: no database (at fetch (file:///srv/app.mjs:4:50))",
    );
    expect(appErrorLine("uncaught_exception", error, null)).toBe(
      "sundial: uncaught exception (request not known): Error: no database (at fetch (file:///srv/app.mjs:4:50))",
    );
  });

  it("reads Bun's frames (JavaScriptCore's stack as Bun writes it) and leaves the frame out where there is none", () => {
    expect(firstFrame({ stack: "TypeError: x\n      at <anonymous> (/srv/app.mjs:5:73)\n" })).toBe(
      "at <anonymous> (/srv/app.mjs:5:73)",
    );
    expect(firstFrame("a string")).toBeNull();
    expect(appErrorLine("unhandled_rejection", "just text", null)).toBe(
      "sundial: unhandled rejection (request not known): just text",
    );
  });

  it("shows any thrown value, and never throws itself", () => {
    expect(thrownMessage(new TypeError(""))).toBe("TypeError");
    expect(thrownMessage(null)).toBe("null");
    expect(thrownMessage(undefined)).toBe("undefined");
    expect(thrownMessage(42)).toBe("42");
    expect(thrownMessage(Object.create(null))).toBe("(a thrown value that cannot be shown as text)");
    const hostile = {
      toString: () => {
        throw new Error("no");
      },
      get stack(): string {
        throw new Error("no");
      },
    };
    expect(appErrorLine("uncaught_exception", hostile, null)).toBe(
      "sundial: uncaught exception (request not known): (a thrown value that cannot be shown as text)",
    );
  });

  it("escapes controls and cuts long messages and targets, keeping surrogate pairs whole", () => {
    expect(printable("a\nb\r\tc\u001b[31m\u0085\u2028", 100)).toBe("a\\nb\\r\\tc\\u001b[31m\\u0085\\u2028");
    expect(printable("x".repeat(600), 500)).toBe(`${"x".repeat(500)}...`);
    expect(printable(`${"x".repeat(4)}\u{1F600}`, 5)).toBe("xxxx...");
    const line = appErrorLine("unhandled_rejection", new Error("m".repeat(2000)), {
      method: "GET",
      target: `/${"t".repeat(5000)}`,
    });
    expect(line.length).toBeLessThan(1200);
  });

  it("is one line without control characters, whatever the message and the request", () => {
    const text = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 80,
    });
    fc.assert(
      fc.property(text, text, text, (message, method, target) => {
        const line = appErrorLine("uncaught_exception", new Error(message), { method, target });
        // deno-lint-ignore no-control-regex -- matching control characters is the point
        expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
    );
  });
});

describe("catchAppErrors: the server goes on, each error a line and a count", () => {
  it("names the request the handler ran for, counts each kind, and stop() hands the process back", () => {
    const clock = new FakeClock(0);
    const output = fakeOutput();
    const uncaught = fakeUncaught();
    const counted: UncaughtKind[] = [];
    const errors = catchAppErrors({ clock, output, uncaught: uncaught.port }, (kind) => void counted.push(kind));
    expect(uncaught.installed()).toBe(true);
    const app = errors.tag(raisingApp(() => uncaught.deliver("unhandled_rejection", new Error("forgot an await"))));
    void app.handle(head("POST", "/orders"), context);
    uncaught.deliver("uncaught_exception", new Error("from a timer of no request"));
    expect(output.lines).toEqual([
      expect.stringMatching(/^sundial: unhandled rejection in POST \/orders: Error: forgot an await \(at /),
      expect.stringMatching(
        /^sundial: uncaught exception \(request not known\): Error: from a timer of no request \(at /,
      ),
    ]);
    expect(counted).toEqual(["unhandled_rejection", "uncaught_exception"]);
    errors.stop();
    expect(uncaught.installed()).toBe(false);
  });

  it(`writes ${APP_ERROR_LINES_PER_SECOND} lines of a burst and one summary, counting all`, () => {
    const clock = new FakeClock(0);
    const output = fakeOutput();
    const uncaught = fakeUncaught();
    let counted = 0;
    const errors = catchAppErrors({ clock, output, uncaught: uncaught.port }, () => void counted++);
    for (let i = 0; i < 100; i++) uncaught.deliver("unhandled_rejection", new Error(`e${i}`));
    clock.advance(1000);
    expect(output.lines).toHaveLength(APP_ERROR_LINES_PER_SECOND + 1);
    expect(output.lines.at(-1)).toBe(
      `sundial: 90 more app errors in that second not shown (at most ${APP_ERROR_LINES_PER_SECOND} lines a second)`,
    );
    expect(counted).toBe(100);
    errors.stop();
  });

  it("with two servers in one process, each error is told once: by the server whose request it came from, else by the first", () => {
    const clock = new FakeClock(0);
    const uncaught = fakeUncaught();
    const [outA, outB] = [fakeOutput(), fakeOutput()];
    const a = catchAppErrors({ clock, output: outA, uncaught: uncaught.port });
    const b = catchAppErrors({ clock, output: outB, uncaught: uncaught.port });
    void b.tag(raisingApp(() => uncaught.deliver("unhandled_rejection", new Error("b's")))).handle(
      head("GET", "/b"),
      context,
    );
    uncaught.deliver("uncaught_exception", new Error("nobody's"));
    expect([outA.lines.length, outB.lines.length]).toEqual([1, 1]);
    expect(outB.lines[0]).toContain("in GET /b: Error: b's");
    expect(outA.lines[0]).toContain("(request not known): Error: nobody's");
    // A closed server's request: the one still serving tells it.
    const aApp = a.tag(raisingApp(() => uncaught.deliver("unhandled_rejection", new Error("late"))));
    a.stop();
    void aApp.handle(head("GET", "/a"), context);
    expect(outB.lines.at(-1)).toContain("in GET /a: Error: late");
    b.stop();
    expect(uncaught.installed()).toBe(false);
  });

  it("a catcher that throws does not escape the listener (it would end the process)", () => {
    const uncaught = fakeUncaught();
    const seen: UncaughtError[] = [];
    const release = uncaught.port.catch((event) => {
      seen.push(event);
      throw new Error("bad catcher");
    });
    expect(() => uncaught.deliver("uncaught_exception", new Error("x"))).not.toThrow();
    expect(seen).toHaveLength(1);
    release();
  });
});

describe("processListeners (Node, Bun): a program's own handler decides", () => {
  it("delivers only while it is the one listener on the event, and removes itself", () => {
    // Vitest's own listeners are set aside for these synchronous lines (no event can come between).
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    try {
      const delivered: unknown[] = [];
      const uninstall = processListeners((kind, error) => void delivered.push([kind, error]));
      const [ours] = process.listeners("unhandledRejection");
      const reason = new Error("x");
      ours!(reason, Promise.resolve());
      expect(delivered).toEqual([["unhandled_rejection", reason]]);
      const programs = (): void => {};
      process.on("unhandledRejection", programs);
      ours!(reason, Promise.resolve());
      expect(delivered).toHaveLength(1);
      process.off("unhandledRejection", programs);
      uninstall();
      expect(process.listenerCount("unhandledRejection")).toBe(0);
    } finally {
      for (const listener of saved) process.on("unhandledRejection", listener);
    }
  });
});
