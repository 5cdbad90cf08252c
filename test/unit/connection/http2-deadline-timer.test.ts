import { describe, expect, it } from "vitest";
import { type Late, StreamDeadline } from "../../../src/connection/http2-deadline.ts";
import { FakeClock } from "../../support/fake-ports.ts";

/** The app's limit 1 s (or as given), the client's 300 ms (or as given). */
function deadline(
  appMs = 1000,
  clientMs = 300,
): { clock: FakeClock; d: StreamDeadline; expired: Array<[Late, number]> } {
  const clock = new FakeClock(0);
  const expired: Array<[Late, number]> = [];
  const d = new StreamDeadline(clock, { appMs, clientMs }, (late) => void expired.push([late, clock.now()]));
  return { clock, d, expired };
}

describe("StreamDeadline", () => {
  it("expires once, the whole limit after owe(), naming what was owed", () => {
    const { clock, d, expired } = deadline();
    d.owe("answer");
    clock.advance(999);
    expect(expired).toEqual([]);
    clock.advance(5000);
    expect(expired).toEqual([["answer", 1000]]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("paid() stops it; each owe() starts the whole limit over, on one timer (not one per piece)", () => {
    const { clock, d, expired } = deadline();
    for (let i = 0; i < 100; i++) {
      d.owe("piece");
      expect(clock.pendingTimers).toBe(1);
      clock.advance(50);
      d.paid();
    }
    d.owe("piece");
    clock.advance(999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([["piece", 6000]]);
  });

  it("runs the client's limit while a body read waits, and the app's whole limit again when it comes back", () => {
    const { clock, d, expired } = deadline(1000, 5000);
    d.owe("answer");
    clock.advance(900);
    d.waitingForClient(true);
    clock.advance(4999);
    expect(expired).toEqual([]);
    d.waitingForClient(false);
    clock.advance(999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([["answer", 6899]]);
  });

  it("a client's limit shorter than what the app has left fires first: the client is late", () => {
    const { clock, d, expired } = deadline(1000, 300);
    d.owe("answer");
    d.waitingForClient(true);
    clock.advance(299);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([["body", 300]]);
  });

  it("the client's limit runs for a read after the app answered (nothing owed)", () => {
    const { clock, d, expired } = deadline(1000, 300);
    d.waitingForClient(true);
    clock.advance(300);
    expect(expired).toEqual([["body", 300]]);
    d.waitingForClient(false);
    clock.advance(10_000);
    expect([expired.length, clock.pendingTimers]).toEqual([1, 0]);
  });

  it("end() releases its timer, and nothing runs after", () => {
    const { clock, d, expired } = deadline();
    d.owe("answer");
    d.end();
    expect(clock.pendingTimers).toBe(0);
    d.owe("piece");
    clock.advance(5000);
    expect([expired, clock.pendingTimers]).toEqual([[], 0]);
  });

  it("a limit of 0 never arms a timer", () => {
    const { clock, d, expired } = deadline(0, 0);
    d.owe("answer");
    d.waitingForClient(true);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1e9);
    expect(expired).toEqual([]);
  });
});
