import type { Socket } from "../ports/socket.ts";

/**
 * A connection's output: every write goes through here, so that `blocked` is always the
 * socket's state. Blocked is a level, not an event (set by a write the socket refused past its
 * high-water mark, cleared by its drain): whoever needs the socket writable checks it after any
 * await, so a drain that fires while something else is awaited is never lost.
 */
export class SocketOutput {
  private blocked = false;
  private waiter: (() => void) | null = null;
  /** Bytes queued so far on this connection (for the access log's bytes sent). */
  written = 0;

  constructor(
    private readonly socket: Socket,
    /** True once the connection is gone: nothing is waited for any more. */
    private readonly gone: () => boolean,
    /** A wait for the client to read begins (the send timeout runs) or ends. */
    private readonly waiting: (started: boolean) => void,
  ) {}

  /** Queues bytes; false when the socket is over its high-water mark. */
  write(bytes: Uint8Array, onFlushed?: () => void): boolean {
    this.written += bytes.length;
    const flowing = this.socket.write(bytes, onFlushed);
    if (!flowing) this.blocked = true;
    return flowing;
  }

  get isBlocked(): boolean {
    return this.blocked;
  }

  /** The socket's drain: below its high-water mark again. */
  drain(): void {
    this.blocked = false;
    this.wake();
  }

  /** Resolves once the socket is below its high-water mark (at once if it is), or gone. */
  async drained(): Promise<void> {
    while (this.blocked && !this.gone()) await this.nextEvent();
  }

  /** Resolves at the next drain, flushed chunk or close. */
  nextEvent(): Promise<void> {
    if (this.gone()) return Promise.resolve();
    this.waiting(true);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** An output event: a drain, a flushed chunk, or the connection gone. */
  wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter === null) return;
    this.waiting(false);
    waiter();
  }
}
