import type { Clock } from "../ports/clock.ts";

/** What the app owes a stream while its deadline runs: its answer, or a pulled body's next piece. */
export type Owed = "answer" | "piece";

/**
 * The response deadline of one HTTP/2 stream (--response-timeout, HttpLimits.responseTimeoutMs),
 * kept as HTTP/1.1's connection keeps it (connection.ts awaitApp): it runs while the app owes the
 * stream something, from the whole limit each time the app's turn begins, and stops while the
 * app waits for the client (a read of the request body that found nothing yet). 0: no deadline.
 *
 * The runtime timer is armed once and moved only when it fires early (a later due time is found
 * then), so a body pulled piece by piece does not arm and clear a timer per piece.
 */
export class StreamDeadline {
  private owed: Owed | null = null;
  /** A body read waits for the client: the app's clock is paused. */
  private clientTurn = false;
  private due = Number.POSITIVE_INFINITY;
  private cancelTimer: (() => void) | null = null;
  private ended = false;

  constructor(
    private readonly clock: Clock,
    private readonly limitMs: number,
    /** The app did not give what it owed in time (runs once per owe()). */
    private readonly expired: (owed: Owed) => void,
  ) {}

  /** The app's turn: it owes `what` within the limit from now. */
  owe(what: Owed): void {
    this.owed = what;
    this.restart();
  }

  /** The app gave what it owed: nothing runs until the next owe(). */
  paid(): void {
    this.owed = null;
  }

  /** A body read waits for the client (true), or came back (false: the app's clock starts over). */
  waitingForClient(waiting: boolean): void {
    this.clientTurn = waiting;
    if (!waiting) this.restart();
  }

  /** The stream is over: the timer is released and nothing runs again. */
  end(): void {
    this.ended = true;
    this.owed = null;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private get running(): boolean {
    return this.owed !== null && !this.clientTurn && !this.ended && this.limitMs > 0;
  }

  private restart(): void {
    if (!this.running) return;
    this.due = this.clock.now() + this.limitMs;
    if (this.cancelTimer === null) this.arm(this.limitMs);
  }

  private arm(ms: number): void {
    this.cancelTimer = this.clock.after(ms, () => this.fired());
  }

  /** The timer fired: what is owed is overdue, or the due time moved later (arm again), or nothing runs. */
  private fired(): void {
    this.cancelTimer = null;
    if (!this.running) return;
    const left = this.due - this.clock.now();
    if (left > 0) return this.arm(left);
    const owed = this.owed!;
    this.owed = null;
    this.expired(owed);
  }
}
