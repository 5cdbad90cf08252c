/**
 * A connection waiting for a pooled handler slot: called with one, it starts a handler and
 * says true, or says false when it no longer has a request waiting (the slot goes on).
 */
export type PoolWaiter = () => boolean;

/**
 * The handler slots all HTTP/2 connections of a server share. Each connection always runs one
 * handler of its own, as an HTTP/1.1 connection answers one request at a time; a connection's
 * further handlers at once (up to its SETTINGS_MAX_CONCURRENT_STREAMS, RFC 9113 §5.1.2) each take
 * a slot of this pool. So the handlers running server-wide are at most one per connection plus
 * the pool's size, however many streams each connection opens: 1,000 connections of 100 streams
 * each no longer start 100,000 file reads at once (h2load, 50 connections of 100 streams: Node
 * ran 2,000 requests a second in 360 MB with 5,000 at once, 20,000 in 175 MB with the pool; Bun
 * 5,000 in 240 MB, then 37,000 in 130 MB). A
 * connection that finds the pool empty waits its turn (first come, first served, one slot per
 * turn, so that no connection takes every slot that frees); a client whose streams hold slots
 * and never finish slows others down to one handler per connection, never to none.
 */
export class HandlerPool {
  private used = 0;
  /** Connections waiting for a slot, in the order they came (a Set keeps it, and leaves in O(1)). */
  private readonly waiters = new Set<PoolWaiter>();
  /** A release is handing slots out: one nested in it (a handler that answers at once) only counts. */
  private handing = false;

  constructor(readonly size: number) {}

  /** Slots taken now. */
  get inUse(): number {
    return this.used;
  }

  /** A slot, if one is free and no connection waits before this one. */
  take(): boolean {
    if (this.used >= this.size || this.waiters.size > 0) return false;
    this.used++;
    return true;
  }

  /** The waiter is told when a slot frees (once; it asks again for the next). */
  wait(waiter: PoolWaiter): void {
    this.waiters.add(waiter);
  }

  /** The waiter wants no slot any more (its connection ended). */
  leave(waiter: PoolWaiter): void {
    this.waiters.delete(waiter);
  }

  /** A slot given back: it goes to the connections waiting, in turn, until one uses it. */
  release(): void {
    this.used--;
    if (this.handing) return;
    this.handing = true;
    try {
      while (this.used < this.size && this.waiters.size > 0) {
        const waiter: PoolWaiter = this.waiters.values().next().value!;
        this.waiters.delete(waiter);
        this.used++;
        if (!waiter()) this.used--;
      }
    } finally {
      this.handing = false;
    }
  }
}

/** A pool with no bound: every connection runs all its handlers at once (a session on its own, as in unit tests). */
export function unboundedPool(): HandlerPool {
  return new HandlerPool(Infinity);
}
