import { describe, expect, it } from "vitest";
import { LARGE_BUFFER, SendBuffers, SMALL_BUFFER } from "../../../src/connection/send-buffers.ts";

describe("SendBuffers: one budget for every response's send buffers", () => {
  it("hands out large buffers up to the budget, then small ones", () => {
    const pool = new SendBuffers(4 * LARGE_BUFFER);
    const large = [pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()];
    expect(large.every((b) => b.length === LARGE_BUFFER)).toBe(true);
    expect(pool.plentiful).toBe(false);
    expect(pool.acquire().length).toBe(SMALL_BUFFER);
  });

  it("reuses released buffers (no garbage per response), large ones first", () => {
    const pool = new SendBuffers(2 * LARGE_BUFFER);
    const a = pool.acquire();
    pool.acquire();
    const small = pool.acquire();
    pool.release(a);
    pool.release(small);
    expect(pool.plentiful).toBe(true);
    expect(pool.acquire()).toBe(a);
    expect(pool.acquire()).toBe(small);
  });

  it("a buffer a dead socket may still hold is never handed out again, and frees its share of the budget", () => {
    const pool = new SendBuffers(LARGE_BUFFER * 2);
    const held = pool.acquire();
    pool.acquire();
    pool.forget(held);
    const next = pool.acquire();
    expect(next).not.toBe(held);
    expect(next.length).toBe(LARGE_BUFFER);
  });
});
