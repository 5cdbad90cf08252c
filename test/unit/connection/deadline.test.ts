import { describe, expect, it } from "vitest";
import { ConnectionDeadline, type Expiry } from "../../../src/connection/deadline.ts";
import { DEFAULT_LIMITS, type HttpLimits } from "../../../src/http/limits.ts";
import { FakeClock } from "../../support/fake-ports.ts";

const SECOND = 1000;

function deadline(
  limits: Partial<HttpLimits> = {},
): { clock: FakeClock; d: ConnectionDeadline; fired: Array<[Expiry, number]> } {
  const clock = new FakeClock(1_000_000);
  const fired: Array<[Expiry, number]> = [];
  const d = new ConnectionDeadline(
    clock,
    { ...DEFAULT_LIMITS, ...limits },
    (wait) => fired.push([wait, clock.now() - 1_000_000]),
  );
  return { clock, d, fired };
}

describe("ConnectionDeadline", () => {
  it("fresh waits headerTimeoutMs, idle idleTimeoutMs, send sendTimeoutMs", () => {
    for (const [wait, ms] of [["fresh", 20 * SECOND], ["idle", 75 * SECOND], ["send", 60 * SECOND]] as const) {
      const { clock, d, fired } = deadline();
      d.set(wait);
      clock.advance(ms - 1);
      expect(fired).toEqual([]);
      clock.advance(1);
      expect(fired).toEqual([[wait, ms]]);
    }
  });

  it("header: the lesser of headerTimeoutMs and requestTimeoutMs from the request's first byte", () => {
    const a = deadline({ headerTimeoutMs: 20 * SECOND, requestTimeoutMs: 300 * SECOND });
    a.d.set("header");
    a.clock.advance(60 * SECOND);
    expect(a.fired).toEqual([["header", 20 * SECOND]]);
    const b = deadline({ headerTimeoutMs: 20 * SECOND, requestTimeoutMs: 7 * SECOND });
    b.d.set("header");
    b.clock.advance(60 * SECOND);
    expect(b.fired).toEqual([["header", 7 * SECOND]]);
  });

  it("body: the gap timeout restarts with each piece", () => {
    const { clock, d, fired } = deadline({ minBodyRate: 0 });
    d.set("body", 0);
    for (let i = 1; i <= 10; i++) {
      clock.advance(19 * SECOND);
      d.progress(i);
    }
    expect(fired).toEqual([]);
    clock.advance(20 * SECOND);
    expect(fired).toEqual([["body", 210 * SECOND]]);
  });

  it("body: no progress without new bytes (the same count again does not restart the gap)", () => {
    const { clock, d, fired } = deadline({ minBodyRate: 0 });
    d.set("body", 5);
    clock.advance(10 * SECOND);
    d.progress(5);
    clock.advance(10 * SECOND);
    expect(fired).toEqual([["body", 20 * SECOND]]);
  });

  it("body: complete by bodyTimeoutMs + received / minBodyRate seconds after the body began", () => {
    const { clock, d, fired } = deadline({ bodyTimeoutMs: 20 * SECOND, minBodyRate: 500 });
    d.set("body", 1000); // 1,000 bytes with the head: 2 s more
    for (let t = 1; t <= 30; t++) {
      clock.advance(SECOND);
      d.progress(1000 + t * 250); // 250 B/s, half the floor: the allowance, 22 s + t / 2, holds until 44 s
    }
    expect(fired).toEqual([]);
    clock.advance(20 * SECOND);
    // Progress stopped at 30 s with 8,500 bytes: allowance 20 + 17 = 37 s; the gap (30 + 20 s) comes later.
    expect(fired).toEqual([["body", 37 * SECOND]]);
  });

  it("body: the whole request counts from the head's first byte", () => {
    const { clock, d, fired } = deadline({ requestTimeoutMs: 30 * SECOND, minBodyRate: 0 });
    d.set("header");
    clock.advance(12 * SECOND);
    d.set("body", 0);
    for (let t = 0; t < 40; t++) {
      clock.advance(SECOND);
      d.progress(t + 1);
    }
    expect(fired).toEqual([["body", 30 * SECOND]]);
  });

  it("body without a header wait (the head came in one piece): the request starts with the body", () => {
    const { clock, d, fired } = deadline({ requestTimeoutMs: 30 * SECOND, minBodyRate: 0 });
    d.set("idle");
    clock.advance(50 * SECOND);
    d.set("body", 0);
    for (let t = 0; t < 40; t++) {
      clock.advance(SECOND);
      d.progress(t + 1);
    }
    expect(fired).toEqual([["body", 80 * SECOND]]);
  });

  it("none suspends; stop cancels the timer", () => {
    const { clock, d, fired } = deadline();
    d.set("fresh");
    d.set("none");
    clock.advance(100 * SECOND);
    expect(fired).toEqual([]);
    d.set("idle");
    d.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(100 * SECOND);
    expect(fired).toEqual([]);
  });

  it("keeps one runtime timer however often the deadline moves", () => {
    const { clock, d } = deadline();
    d.set("body", 0);
    for (let i = 1; i <= 1000; i++) {
      clock.advance(10);
      d.progress(i * 100);
    }
    expect(clock.pendingTimers).toBe(1);
  });

  it("since: when the current wait began", () => {
    const { clock, d } = deadline();
    expect(d.since).toBe(1_000_000);
    clock.advance(5 * SECOND);
    d.set("idle");
    expect(d.since).toBe(1_005_000);
  });

  describe("a body the app reads (holdBody, pauseBody, awaitBody)", () => {
    it("the whole-request deadline holds however the reads come: pauses between them do not restart it", () => {
      const { clock, d, fired } = deadline({ requestTimeoutMs: 5 * SECOND, bodyTimeoutMs: 3 * SECOND, minBodyRate: 0 });
      d.holdBody(0);
      // One byte every 2 s, each read answered at once and the next asked for at once (await request.text()).
      for (let received = 1; fired.length === 0 && received < 20; received++) {
        d.awaitBody(received - 1);
        clock.advance(2 * SECOND);
        if (fired.length > 0) break;
        d.awaitBody(received);
        d.pauseBody();
      }
      expect(fired).toEqual([["body", 5 * SECOND]]);
    });

    it("the rate floor holds across reads: 1 byte per 2 s misses 500 B/s at bodyTimeout + 1 s per 500 B", () => {
      const { clock, d, fired } = deadline({
        requestTimeoutMs: 300 * SECOND,
        bodyTimeoutMs: 3 * SECOND,
        minBodyRate: 500,
      });
      d.holdBody(0);
      for (let received = 1; received < 20 && fired.length === 0; received++) {
        d.awaitBody(received - 1);
        clock.advance(1 * SECOND);
        d.awaitBody(received);
        d.pauseBody();
        clock.advance(1 * SECOND);
      }
      // bodyStart + 3 s + 2 ms, less the paused seconds: the client had 3 s of waiting reads.
      expect(fired.map(([w]) => w)).toEqual(["body"]);
      expect(fired[0]![1]).toBeLessThanOrEqual(7 * SECOND);
    });

    it("time the app is busy between reads is not the client's: the clocks pause", () => {
      const { clock, d, fired } = deadline({ requestTimeoutMs: 5 * SECOND, bodyTimeoutMs: 3 * SECOND, minBodyRate: 0 });
      d.holdBody(0);
      clock.advance(60 * SECOND); // the app takes a minute before its first read
      d.awaitBody(0);
      clock.advance(2 * SECOND);
      d.awaitBody(10);
      d.pauseBody();
      clock.advance(60 * SECOND); // and a minute more between two reads
      d.awaitBody(10);
      expect(fired).toEqual([]);
      clock.advance(3 * SECOND);
      expect(fired).toEqual([["body", 125 * SECOND]]);
    });
  });

  describe("the response deadline (awaitResponse)", () => {
    it("fires 'response' once, beside the wait's own deadline, and responded() cancels it", () => {
      const { clock, d, fired } = deadline();
      d.set("idle");
      d.awaitResponse(10 * SECOND);
      clock.advance(10 * SECOND);
      expect(fired).toEqual([["response", 10 * SECOND]]);
      clock.advance(65 * SECOND);
      expect(fired).toEqual([["response", 10 * SECOND], ["idle", 75 * SECOND]]);
      const second = deadline();
      second.d.awaitResponse(10 * SECOND);
      second.clock.advance(5 * SECOND);
      second.d.responded();
      second.clock.advance(60 * SECOND);
      expect(second.fired).toEqual([]);
    });

    it("dueWithin brings it forward (the client half-closed), and does nothing when nothing is due", () => {
      const { clock, d, fired } = deadline();
      d.dueWithin(SECOND);
      clock.advance(5 * SECOND);
      expect(fired).toEqual([]);
      d.awaitResponse(60 * SECOND);
      d.dueWithin(2 * SECOND);
      clock.advance(2 * SECOND);
      expect(fired).toEqual([["response", 7 * SECOND]]);
    });
  });
});
