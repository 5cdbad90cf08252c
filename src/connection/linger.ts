import type { Clock } from "../ports/clock.ts";

/**
 * Lingering close (as nginx's lingering_close): before closing a connection whose client may
 * still be sending, read and discard its input until it has been quiet LINGER_QUIET_MS, at most
 * LINGER_MAX_MS. Closing with unread input makes the kernel send a TCP reset, which can destroy
 * the response the client has not read yet. Bounded by time only, as nginx's lingering_time is:
 * a byte cap (1 MiB, before) cut off a body a little over it, refused by its Content-Length
 * (413), and the client's write then failed (EPIPE) before it read the answer.
 *
 * Quiet is no sign the client is done while bytes of a body it declared (Content-Length) have
 * not arrived: a client may pause longer than LINGER_QUIET_MS between its head and its body
 * (undici's fetch, under load, was seen to: its form's first byte came after the 413 and the
 * close), and its write after the close is then reset (EPIPE). Until they have arrived, quiet
 * must last LINGER_OWED_QUIET_MS: four times the longest such pause seen, and still short enough
 * that a body which never comes holds its connection well under a second (the slow-body defence).
 */
const LINGER_QUIET_MS = 100;
const LINGER_OWED_QUIET_MS = 400;
const LINGER_MAX_MS = 2000;

/** One connection's lingering: started once, it calls `close` when the client falls quiet or the limits are reached. */
export class Linger {
  private readonly until: number;
  private cancelTimer: () => void = () => {};

  /** `owed`: bytes of a declared body still to arrive (RequestParser.bodyOwed); a longer quiet wait before them. */
  constructor(private readonly clock: Clock, private readonly close: () => void, private owed = 0) {
    this.until = clock.now() + LINGER_MAX_MS;
    this.waitForQuiet();
  }

  /** Input while lingering: thrown away; the client is not quiet yet. */
  discard(chunk: Uint8Array): void {
    this.owed -= chunk.length;
    this.waitForQuiet();
  }

  /** Stops waiting (the connection closed some other way). */
  cancel(): void {
    this.cancelTimer();
  }

  /** (Re)starts the wait for the client to fall quiet, within the lingering deadline. */
  private waitForQuiet(): void {
    this.cancelTimer();
    const left = Math.max(0, this.until - this.clock.now());
    const quiet = this.owed > 0 ? LINGER_OWED_QUIET_MS : LINGER_QUIET_MS;
    this.cancelTimer = this.clock.after(Math.min(quiet, left), this.close);
  }
}
