/**
 * Adapter kit: the write queue behind the Deno and Bun sockets (node:net queues by itself): the
 * bytes the runtime has not taken yet, each chunk's onFlushed, the high-water mark, the drain
 * signal and end-after-flush. The adapter supplies only how its runtime writes (a WriteSink).
 */

/** Bytes queued (not yet taken by the runtime) before write() reports backpressure. */
export const HIGH_WATER_MARK = 64 * 1024;

/** How one runtime writes bytes. */
export interface WriteSink {
  /**
   * Hands bytes to the runtime. Returns how many it took at once (Bun: the rest waits for the
   * adapter's flush(), as does everything when negative, the socket being closed), or a promise
   * of how many it wrote (Deno: the next write starts when it settles; a rejection is fail()).
   */
  write(bytes: Uint8Array): number | Promise<number>;
  /** Everything queued is written and end() was asked for: close the stream. */
  end(): void;
  /** A write promise rejected: close the stream. */
  fail(): void;
}

export class WriteQueue {
  private readonly chunks: Uint8Array[] = [];
  /** The onFlushed callback of each queued chunk, index for index. */
  private readonly flushedFns: Array<(() => void) | undefined> = [];
  private queued = 0;
  /** A write loop is running (across the awaits of an async sink). */
  private writing = false;
  /** A sync sink took only part of the bytes: wait for flush(). */
  private waiting = false;
  /** The last sync write was refused (negative: the socket is closing): report backpressure. */
  private refused = false;
  private needDrain = false;
  private ending = false;
  private closed = false;
  private drainFn: () => void = () => {};

  constructor(private readonly sink: WriteSink) {}

  /** Runs fn once the queue is below the high-water mark after a write() that returned false. */
  onDrain(fn: () => void): void {
    this.drainFn = fn;
  }

  /** Queues bytes (writing at once what the runtime takes); false: over the mark, wait for the drain. */
  write(chunk: Uint8Array, onFlushed?: () => void): boolean {
    if (this.closed || this.ending) return false;
    this.chunks.push(chunk);
    this.flushedFns.push(onFlushed);
    this.queued += chunk.length;
    if (!this.writing && !this.waiting) this.pump();
    if (this.queued < HIGH_WATER_MARK && !this.refused) return true;
    this.needDrain = true;
    return false;
  }

  /** A sync sink's runtime can take bytes again (Bun's drain handler). */
  flush(): void {
    this.waiting = false;
    if (!this.writing) this.pump();
  }

  /** Close once everything queued is written. */
  end(): void {
    this.ending = true;
    if (this.chunks.length === 0 && !this.writing && !this.closed) this.sink.end();
  }

  /** The stream is gone: drop what is queued (its onFlushed callbacks never run). */
  close(): void {
    this.closed = true;
    this.chunks.length = 0;
    this.flushedFns.length = 0;
    this.queued = 0;
  }

  private pump(): void {
    this.writing = true;
    while (this.chunks.length > 0 && !this.closed) {
      const chunk = this.chunks[0]!;
      const n = this.sink.write(chunk);
      if (typeof n !== "number") {
        n.then(
          (taken) => {
            if (this.closed) return;
            this.took(chunk, taken);
            this.pump();
          },
          () => {
            if (!this.closed) this.sink.fail();
          },
        );
        return;
      }
      this.refused = n < 0;
      if (n < 0) {
        this.waiting = true;
        break;
      }
      this.took(chunk, n);
      if (n < chunk.length) {
        this.waiting = true;
        break;
      }
    }
    this.writing = false;
    if (this.ending && this.chunks.length === 0 && !this.closed) this.sink.end();
  }

  /** The runtime took n bytes of the first chunk. */
  private took(chunk: Uint8Array, n: number): void {
    this.queued -= n;
    if (n < chunk.length) this.chunks[0] = chunk.subarray(n);
    else {
      this.chunks.shift();
      this.flushedFns.shift()?.();
    }
    if (this.needDrain && this.queued < HIGH_WATER_MARK) {
      this.needDrain = false;
      this.drainFn();
    }
  }
}
