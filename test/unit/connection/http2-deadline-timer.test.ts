import { describe, expect, it } from "vitest";
import { type Owed, StreamDeadline } from "../../../src/connection/http2-deadline.ts";
import { FakeClock } from "../../support/fake-ports.ts";

function deadline(limitMs = 1000): { clock: FakeClock; d: StreamDeadline; expired: Array<[Owed, number]> } {
  const clock = new FakeClock(0);
  const expired: Array<[Owed, number]> = [];
  const d = new StreamDeadline(clock, limitMs, (owed) => void expired.push([owed, clock.now()]));
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

  it("waits while a body read waits for the client, and starts over when it comes back", () => {
    const { clock, d, expired } = deadline();
    d.owe("answer");
    clock.advance(900);
    d.waitingForClient(true);
    clock.advance(10_000);
    expect(expired).toEqual([]);
    d.waitingForClient(false);
    clock.advance(999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([["answer", 11_900]]);
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
    const { clock, d, expired } = deadline(0);
    d.owe("answer");
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1e9);
    expect(expired).toEqual([]);
  });
});
