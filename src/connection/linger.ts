import type { Clock } from "../ports/clock.ts";

/**
 * Lingering close (as nginx's lingering_close): before closing a connection whose client may
 * still be sending, read and discard its input until it has been quiet LINGER_QUIET_MS, at most
 * LINGER_MAX_MS. Closing with unread input makes the kernel send a TCP reset, which can destroy
 * the response the client has not read yet. Bounded by time only, as nginx's lingering_time is:
 * a byte cap (1 MiB, before) cut off a body a little over it, refused by its Content-Length
 * (413), and the client's write then failed (EPIPE) before it read the answer.
 */
const LINGER_QUIET_MS = 100;
const LINGER_MAX_MS = 2000;

/** One connection's lingering: started once, it calls `close` when the client falls quiet or the limits are reached. */
export class Linger {
  private readonly until: number;
  private cancelTimer: () => void = () => {};

  constructor(private readonly clock: Clock, private readonly close: () => void) {
    this.until = clock.now() + LINGER_MAX_MS;
    this.waitForQuiet();
  }

  /** Input while lingering: thrown away; the client is not quiet yet. */
  discard(_chunk: Uint8Array): void {
    this.waitForQuiet();
  }

  /** Stops waiting (the connection closed some other way). */
  cancel(): void {
    this.cancelTimer();
  }

  /** (Re)starts the wait for the client to fall quiet, within the lingering deadline. */
  private waitForQuiet(): void {
    this.cancelTimer();
    const left = this.until - this.clock.now();
    this.cancelTimer = this.clock.after(Math.max(0, Math.min(LINGER_QUIET_MS, left)), this.close);
  }
}
