import { describe, expect, it } from "vitest";
import { SendBuffers } from "../../../src/connection/send-buffers.ts";
import { type PullDeps, sendPull } from "../../../src/connection/send-pull.ts";
import type { PullBody, PullRead } from "../../../src/http/response.ts";

const KIB = 1024;
const turns = async (n = 20): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A socket that always takes bytes (never over its mark) but flushes only when told. */
interface FakeHost {
  host: PullDeps;
  writes: Uint8Array[];
  flushAll(): void;
  gone: boolean;
}

function fakeHost(): FakeHost {
  const unflushed: Array<() => void> = [];
  let waiter: (() => void) | null = null;
  const state: FakeHost = {
    writes: [] as Uint8Array[],
    gone: false,
    flushAll(): void {
      for (const fn of unflushed.splice(0)) fn();
    },
    host: {
      write(bytes: Uint8Array, onFlushed?: () => void): boolean {
        state.writes.push(bytes);
        if (onFlushed !== undefined) unflushed.push(onFlushed);
        return true;
      },
      gone: () => state.gone,
      awaitProducer: () => {},
      drained: () => Promise.resolve(),
      waitForOutput: () => new Promise<void>((resolve) => (waiter = resolve)),
      wake(): void {
        const w = waiter;
        waiter = null;
        w?.();
      },
      finish(): void {},
      abort(): void {},
    },
  };
  return state;
}

/** `count` pieces of `size` bytes, counting reads. */
function pieces(count: number, size: number): { body: PullBody; reads: () => number } {
  let reads = 0;
  const body: PullBody = {
    kind: "pull",
    length: null,
    read: (): Promise<PullRead> =>
      Promise.resolve(reads++ < count ? { kind: "data", bytes: new Uint8Array(size) } : { kind: "end" }),
    cancel(): void {},
  };
  return { body, reads: () => reads };
}

describe("sendPull: an app body's pieces in flight count in the send-buffer budget", () => {
  it("while the budget lasts, pieces are read as fast as the socket takes them", async () => {
    const { host, writes } = fakeHost();
    const { body, reads } = pieces(8, 16 * KIB);
    const budget = new SendBuffers(1024 * KIB);
    const sent = sendPull(host, new Uint8Array(1), body, true, budget);
    await turns();
    // All 8 pieces are written, none flushed yet: the budget (1 MiB) holds them.
    expect(reads()).toBe(9);
    expect(writes.length).toBeGreaterThan(8);
    expect(budget.mayHoldMore()).toBe(true);
    void sent;
  });

  it("past the budget, the next piece is read only once the socket has taken the last (one piece per slow client)", async () => {
    const { host, flushAll } = fakeHost();
    const budget = new SendBuffers(32 * KIB);
    const { body, reads } = pieces(4, 16 * KIB);
    const sent = sendPull(host, new Uint8Array(1), body, true, budget);
    await turns();
    // Two pieces fill the budget; the third waits for them to be flushed.
    expect(reads()).toBe(2);
    expect(budget.mayHoldMore()).toBe(false);
    flushAll();
    await turns();
    expect(reads()).toBe(4);
    flushAll();
    await turns();
    flushAll();
    expect(await sent).toBe(true);
    // Everything flushed: nothing is counted any more.
    expect(budget.mayHoldMore()).toBe(true);
  });

  it("a client gone mid-body gives its pieces' share of the budget back, flushed or not", async () => {
    const state = fakeHost();
    const budget = new SendBuffers(16 * KIB);
    const { body } = pieces(4, 16 * KIB);
    const sent = sendPull(state.host, new Uint8Array(1), body, false, budget);
    await turns();
    expect(budget.mayHoldMore()).toBe(false);
    state.gone = true;
    state.host.wake();
    expect(await sent).toBe(false);
    expect(budget.mayHoldMore()).toBe(true);
    // A late flush of what the socket held does not count it back twice.
    state.flushAll();
    expect(budget.mayHoldMore()).toBe(true);
  });

  it("a body that reuses its buffer (reusesPieces) is read again only once the socket has taken all of the last piece", async () => {
    const { host, flushAll } = fakeHost();
    const { body: plain, reads } = pieces(3, 16 * KIB);
    const body: PullBody = { ...plain, reusesPieces: true };
    const sent = sendPull(host, new Uint8Array(1), body, true, new SendBuffers(1024 * KIB));
    await turns();
    // The budget would allow all three; the reused buffer allows one at a time.
    expect(reads()).toBe(1);
    flushAll();
    await turns();
    expect(reads()).toBe(2);
    for (let i = 0; i < 3; i++) {
      flushAll();
      await turns();
    }
    expect(await sent).toBe(true);
    expect(reads()).toBe(4);
  });
});
