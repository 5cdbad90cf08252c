import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grownWindow, ReceiveWindow, resizedWindow, sendable } from "../../../src/http2/flow-window.ts";
import { MAX_WINDOW_SIZE } from "../../../src/http2/settings.ts";

describe("send windows (RFC 9113 §6.9.1, §6.9.2)", () => {
  it("grows by an increment up to 2^31-1, and no further", () => {
    expect(grownWindow(65535, 1)).toBe(65536);
    expect(grownWindow(MAX_WINDOW_SIZE - 1, 1)).toBe(MAX_WINDOW_SIZE);
    expect(grownWindow(MAX_WINDOW_SIZE, 1)).toBeNull();
    expect(grownWindow(-100, 2 ** 31 - 1)).toBe(2 ** 31 - 101);
  });

  it("moves by a change of the initial size, below zero too", () => {
    expect(resizedWindow(100, 65535, 0)).toBe(100 - 65535);
    expect(resizedWindow(-5, 0, 10)).toBe(5);
    expect(resizedWindow(10, 0, MAX_WINDOW_SIZE)).toBeNull();
  });

  it("lets a DATA frame carry the least of what is ready, both windows and the frame size", () => {
    expect(sendable(100, 50, 70, 16384)).toBe(50);
    expect(sendable(100_000, 1e6, 1e6, 16384)).toBe(16384);
    expect(sendable(100, -3, 70, 16384)).toBe(0);
    expect(sendable(100, 50, 0, 16384)).toBe(0);
  });
});

describe("ReceiveWindow", () => {
  it("refuses a frame over the room left", () => {
    const w = new ReceiveWindow(100);
    expect(w.receive(60)).toBe(true);
    expect(w.receive(41)).toBe(false);
    expect(w.receive(40)).toBe(true);
    expect(w.available).toBe(0);
  });

  it("owes the difference from the peer's initial 65,535 at once", () => {
    const w = new ReceiveWindow(1 << 20, 65535);
    expect(w.available).toBe(65535);
    expect(w.takeOwed()).toBe((1 << 20) - 65535);
    expect(w.available).toBe(1 << 20);
    expect(w.takeOwed()).toBe(0);
  });

  it("gives credit back once a quarter is owed, or at once when the peer has under a quarter left", () => {
    const w = new ReceiveWindow(1000);
    expect(w.receive(300)).toBe(true);
    expect(w.release(100)).toBe(0);
    expect(w.release(149)).toBe(0);
    expect(w.release(1)).toBe(250);
    expect(w.available).toBe(950);
    expect(w.receive(900)).toBe(true); // 50 left: under a quarter
    expect(w.release(10)).toBe(10);
  });

  it("never lets the peer's room pass the window, nor loses a byte (fast-check)", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("receive" as const), n: fc.integer({ min: 0, max: 70_000 }) }),
      fc.record({ kind: fc.constant("release" as const), n: fc.integer({ min: 0, max: 70_000 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), fc.array(step, { maxLength: 200 }), (size, steps) => {
        const w = new ReceiveWindow(size);
        let held = 0; // received and not yet released
        let peer = size; // the peer's own count of its window
        for (const s of steps) {
          if (s.kind === "receive") {
            const ok = w.receive(s.n);
            expect(ok).toBe(s.n <= peer);
            if (ok) {
              held += s.n;
              peer -= s.n;
            }
          } else {
            const n = Math.min(s.n, held);
            held -= n;
            peer += w.release(n);
          }
          expect(w.available).toBe(peer);
          expect(peer + held).toBeLessThanOrEqual(size);
          expect(peer).toBeGreaterThanOrEqual(0);
        }
        peer += w.takeOwed();
        expect(peer + held).toBe(size);
      }),
    );
  });
});
