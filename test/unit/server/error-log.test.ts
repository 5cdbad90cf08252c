import { describe, expect, it } from "vitest";
import { describeError } from "../../../src/connection/describe-error.ts";
import { rateLimited } from "../../../src/server/error-log.ts";
import { FakeClock } from "../../support/fake-ports.ts";

describe("the error log", () => {
  it("writes at most N lines a second, then one line with the count left out", () => {
    const clock = new FakeClock(1_000_000);
    const lines: string[] = [];
    const log = rateLimited((line) => void lines.push(line), clock, 3);
    for (let i = 0; i < 10_000; i++) log(`e${i}`);
    expect(lines).toEqual(["e0", "e1", "e2"]);
    clock.advance(1000);
    expect(lines).toEqual(["e0", "e1", "e2", "sundial: 9997 more error lines left out (over 3 a second)"]);
    log("later");
    expect(lines.at(-1)).toBe("later");
    expect(lines).toHaveLength(5);
  });

  it("describes an error in one line: name, message, the first frame", () => {
    const error = new TypeError("bad\nthing");
    const line = describeError(error);
    expect(line).not.toContain("\n");
    expect(line).toMatch(/^TypeError: bad thing \(at .+\)$/);
    expect(describeError("plain\r\nstring")).toBe("plain string");
  });
});
