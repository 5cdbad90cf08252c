import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SETTING } from "../../../support/h2-test-client.ts";
import { harness, sameBytes } from "../session-harness.ts";

type Action =
  | { readonly kind: "update"; readonly stream: number; readonly increment: number }
  | { readonly kind: "initial"; readonly value: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("update" as const),
    stream: fc.integer({ min: 0, max: 4 }),
    increment: fc.integer({ min: 1, max: 60_000 }),
  }),
  fc.record({ kind: fc.constant("initial" as const), value: fc.integer({ min: 0, max: 100_000 }) }),
);

/**
 * The peer's own account of the windows it gave (§6.9): the server must never send DATA past
 * either, nor a frame past the peer's MAX_FRAME_SIZE.
 */
class PeerAccount {
  connection = 65535;
  readonly streams = new Map<number, number>();
  violations: string[] = [];

  constructor(public initial: number, readonly maxFrameSize: number, ids: number[]) {
    for (const id of ids) this.streams.set(id, initial);
  }

  data(id: number, length: number): void {
    if (length > this.maxFrameSize) this.violations.push(`frame of ${length} over ${this.maxFrameSize}`);
    this.connection -= length;
    this.streams.set(id, this.streams.get(id)! - length);
    if (this.connection < 0) this.violations.push(`connection window ${this.connection}`);
    if (this.streams.get(id)! < 0) this.violations.push(`stream ${id} window ${this.streams.get(id)}`);
  }

  update(id: number, increment: number): void {
    if (id === 0) this.connection += increment;
    else this.streams.set(id, this.streams.get(id)! + increment);
  }

  setInitial(value: number): void {
    for (const [id, window] of this.streams) this.streams.set(id, window + value - this.initial);
    this.initial = value;
  }
}

describe("flow control arithmetic (§5.2, §6.9), with fast-check", () => {
  it("never sends past a window or the frame size, and completes every body once the windows open", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16384, max: 40_000 }),
        fc.integer({ min: 0, max: 70_000 }),
        fc.array(fc.integer({ min: 0, max: 150_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(action, { maxLength: 40 }),
        (maxFrameSize, initial, sizes, actions) => {
          const bodies = sizes.map((n, i) => new Uint8Array(n).fill(i + 1));
          const ids = bodies.map((_, i) => 1 + 2 * i);
          const h = harness({
            app: (s) => s.respond({ status: 200, headers: [], body: bodies[(s.id - 1) / 2]! }, [], false),
          });
          const account = new PeerAccount(initial, maxFrameSize, ids);
          let seen = 0;
          const check = () => {
            h.pump();
            for (const frame of h.client.frames.slice(seen)) {
              if (frame.type === "DATA") account.data(frame.streamId, frame.flowControlledLength);
            }
            seen = h.client.frames.length;
          };
          h.connect([{ id: SETTING.MAX_FRAME_SIZE, value: maxFrameSize }, {
            id: SETTING.INITIAL_WINDOW_SIZE,
            value: initial,
          }]);
          check();
          for (const id of ids) {
            h.client.request(id);
            check();
          }
          for (const a of actions) {
            if (a.kind === "initial") {
              h.client.settings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: a.value }]);
              account.setInitial(a.value);
            } else {
              const id = a.stream === 0 ? 0 : ids[(a.stream - 1) % ids.length]!;
              const window = id === 0 ? account.connection : account.streams.get(id)!;
              if (window + a.increment > 2 ** 31 - 1) continue;
              h.client.windowUpdate(id, a.increment);
              account.update(id, a.increment);
            }
            check();
          }
          expect(account.violations).toEqual([]);
          // Open everything: every body completes, whole.
          h.client.settings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 1 << 30 }]);
          account.setInitial(1 << 30);
          h.client.windowUpdate(0, 1 << 30);
          account.update(0, 1 << 30);
          check();
          expect(account.violations).toEqual([]);
          expect(h.client.serverGoaway).toBeNull();
          for (const [i, id] of ids.entries()) {
            const response = h.client.response(id);
            expect(response.ended).toBe(true);
            expect(sameBytes(response.body, bodies[i]!)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("takes a peer's DATA up to exactly its windows, and refuses one byte more (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 16384 }), { minLength: 1, maxLength: 12 }), (frames) => {
        const h = harness({ options: { initialWindowSize: 65535, connectionWindowSize: 65535 } });
        h.connect();
        h.client.headers(1, [[":method", "POST"], [":scheme", "https"], [":authority", "a"], [":path", "/"]], {
          endStream: false,
        });
        let sent = 0;
        for (const n of frames) {
          const over = sent + n > 65535;
          h.client.data(1, new Uint8Array(n));
          h.pump();
          if (over) {
            expect(h.client.serverGoaway?.errorCode ?? h.client.resets().get(1)).toBeDefined();
            return;
          }
          sent += n;
          expect(h.client.serverGoaway).toBeNull();
          expect(h.client.resets().size).toBe(0);
        }
      }),
      { numRuns: 100 },
    );
  });
});
