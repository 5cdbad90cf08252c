import { type ClosedHow, ClosedStreams, type UnknownStream } from "./closed-streams.ts";
import { type HandlerPool, type PoolWaiter, unboundedPool } from "./handler-pool.ts";
import type { ServerStream } from "./stream.ts";

/**
 * The session's streams: those not yet closed, by identifier (§5.1), the ones closed lately
 * (closed-streams.ts), the highest identifier the peer opened (§5.1.1), and the handlers.
 *
 * Handlers are counted apart from open streams: a stream the peer resets is closed at once, but
 * its handler runs on until it answers. So at most maxHandlers run at once; requests beyond wait
 * in a queue, and those reset while waiting still count (as Go counts them: they leave the
 * queue when a slot frees, never run, and are only a number meanwhile, their heads let go). A
 * queue past maxQueued means the peer opens and resets streams faster than handlers finish
 * (Rapid Reset, CVE-2023-44487; MadeYouReset, CVE-2025-8671): dispatch() says so and the
 * session ends. Beyond its first handler, each one running takes a slot of the server's pool
 * (handler-pool.ts) until it answers or its stream goes; with none free, the queue waits its turn.
 */
export class StreamTable {
  private readonly open = new Map<number, ServerStream>();
  private readonly closed = new ClosedStreams();
  /** §5.1.1: the highest stream identifier the peer used (0: none yet). */
  lastPeerStreamId = 0;
  /** §6.8: the highest one taken (not ignored after GOAWAY): what a GOAWAY names. */
  lastTakenId = 0;
  private running = 0;
  private readonly queue: ServerStream[] = [];
  /** Requests reset while they waited: counted in the queue until a slot frees. */
  private resetWhileQueued = 0;
  private draining = false;
  private ended = false;
  /** No handler holds this connection's own slot (the one it runs without the pool). */
  private ownFree = true;

  constructor(
    private readonly maxHandlers: number,
    private readonly maxQueued: number,
    private readonly run: (stream: ServerStream) => void,
    private readonly pool: HandlerPool = unboundedPool(),
  ) {}

  get(id: number): ServerStream | undefined {
    return this.open.get(id);
  }

  /** Streams not yet closed. */
  get openCount(): number {
    return this.open.size;
  }

  streams(): IterableIterator<ServerStream> {
    return this.open.values();
  }

  /** What an identifier not in the table names (closed-streams.ts). */
  classify(id: number): UnknownStream {
    return this.closed.classify(id, this.lastPeerStreamId);
  }

  /** §5.1.1: the peer used a new identifier (all lower idle ones are now closed); `taken`: not ignored (§6.8). */
  used(id: number, taken = true): void {
    this.lastPeerStreamId = id;
    if (taken) this.lastTakenId = id;
  }

  add(stream: ServerStream): void {
    this.open.set(stream.id, stream);
  }

  /** The stream is closed: out of the table, remembered for the frames that may still come (§5.1). */
  close(stream: ServerStream, how: ClosedHow): void {
    if (this.open.get(stream.id) === stream) this.open.delete(stream.id);
    this.closed.note(stream.id, how);
    if (stream.handler === "queued") this.unqueue(stream);
    // A handler whose stream is gone runs on, counted in `running` only: its slot is free again.
    if (this.freeSlot(stream)) this.drain();
  }

  /** A refused or reset stream's identifier, noted as reset by us (frames after it are ignored). */
  noteReset(id: number): void {
    this.closed.note(id, "reset-by-us");
  }

  /** Requests handed to handlers and not answered yet, and those waiting for a slot (not reset). */
  get inFlight(): number {
    return this.running + this.queue.length;
  }

  /** Runs the stream's handler now, or queues it; false when the queue is over its bound. */
  dispatch(stream: ServerStream): boolean {
    stream.handler = "queued";
    this.queue.push(stream);
    if (this.queue.length + this.resetWhileQueued > this.maxQueued) return false;
    this.drain();
    return true;
  }

  /** The stream's handler answered: its slot goes to the next request waiting. */
  settle(stream: ServerStream): void {
    if (stream.handler !== "running") return;
    stream.handler = "settled";
    this.running--;
    this.freeSlot(stream);
    this.drain();
  }

  /** Forgets the queue and waits for no pool slot (the session is over). */
  clearQueue(): void {
    this.ended = true;
    this.pool.leave(this.poolSlot);
    for (const stream of this.queue) stream.handler = "none";
    this.queue.length = 0;
    this.resetWhileQueued = 0;
  }

  /** A waiting request reset: out of the queue, counted until a slot frees. */
  private unqueue(stream: ServerStream): void {
    const at = this.queue.indexOf(stream);
    if (at >= 0) this.queue.splice(at, 1);
    stream.handler = "none";
    this.resetWhileQueued++;
  }

  /**
   * Starts queued handlers while slots are free (the reset ones waiting leave at once): the
   * first one running in this connection's own, the others each with a pool slot; with none
   * free, the queue waits for one (poolSlot). Not re-entered by a handler that answers at once.
   */
  private drain(): void {
    if (this.draining || this.ended) return;
    this.draining = true;
    try {
      if (this.running < this.maxHandlers) this.resetWhileQueued = 0;
      while (this.running < this.maxHandlers && this.queue.length > 0) {
        const slot = this.ownFree ? "own" : this.pool.take() ? "pooled" : null;
        if (slot === null) {
          this.pool.wait(this.poolSlot);
          break;
        }
        this.start(this.queue.shift()!, slot);
      }
    } finally {
      this.draining = false;
    }
  }

  /** A pool slot handed to this connection: the next request waiting runs in it (false: none waits any more). */
  private readonly poolSlot: PoolWaiter = () => {
    if (this.ended || this.queue.length === 0 || this.running >= this.maxHandlers) return false;
    this.start(this.queue.shift()!, "pooled");
    this.drain();
    return true;
  };

  private start(stream: ServerStream, slot: "own" | "pooled"): void {
    stream.handler = "running";
    stream.slot = slot;
    if (slot === "own") this.ownFree = false;
    this.running++;
    this.run(stream);
  }

  /** The stream's handler answered or its stream went: its slot, own or pooled, is free (false: it held none). */
  private freeSlot(stream: ServerStream): boolean {
    const slot = stream.slot;
    stream.slot = null;
    if (slot === "own") this.ownFree = true;
    if (slot === "pooled") this.pool.release();
    return slot !== null;
  }
}
