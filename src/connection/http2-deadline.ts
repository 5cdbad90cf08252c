import type { Clock } from "../ports/clock.ts";

/** What the app owes a stream while its deadline runs: its answer, or a pulled body's next piece. */
export type Owed = "answer" | "piece";

/** What was late: the app (what it owed), or the client ("body": the piece of its body a read waits for). */
export type Late = Owed | "body";

/** The two limits: the app's (responseTimeoutMs) and the client's between two pieces of its body (bodyTimeoutMs); 0: none. */
export interface StreamLimits {
  readonly appMs: number;
  readonly clientMs: number;
}

/**
 * The deadline of one HTTP/2 stream, whoever's turn it is, kept as HTTP/1.1's connection keeps
 * its own (connection.ts awaitApp, deadline.ts): while the app owes the stream something, the
 * response deadline (--response-timeout), from the whole limit each time the app's turn begins;
 * while a read of the request body waits for the client, the body's gap deadline instead
 * (--body-timeout, the longest wait for its next piece), whether or not the app has answered.
 *
 * The runtime timer is moved only when the due time comes earlier; a later one is found when it
 * fires (and armed again), so a body pulled piece by piece does not arm and clear a timer per piece.
 */
export class StreamDeadline {
  private owed: Owed | null = null;
  /** A body read waits for the client: its clock runs, not the app's. */
  private clientTurn = false;
  private due = Number.POSITIVE_INFINITY;
  /** When the runtime timer fires (it is moved only to fire earlier). */
  private armedFor = Number.POSITIVE_INFINITY;
  private cancelTimer: (() => void) | null = null;
  private ended = false;

  constructor(
    private readonly clock: Clock,
    private readonly limits: StreamLimits,
    /** Who was late (runs once per owe(), or per read that waits). */
    private readonly expired: (late: Late) => void,
  ) {}

  /** The app's turn: it owes `what` within the limit from now. */
  owe(what: Owed): void {
    this.owed = what;
    this.restart();
  }

  /** The app gave what it owed: nothing runs until the next owe() (or a read that waits). */
  paid(): void {
    this.owed = null;
  }

  /** A body read waits for the client (true), or came back (false): the other side's clock starts over. */
  waitingForClient(waiting: boolean): void {
    this.clientTurn = waiting;
    this.restart();
  }

  /** The stream is over: the timer is released and nothing runs again. */
  end(): void {
    this.ended = true;
    this.owed = null;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** The limit that runs now; 0: none. */
  private get limit(): number {
    if (this.ended) return 0;
    if (this.clientTurn) return this.limits.clientMs;
    return this.owed === null ? 0 : this.limits.appMs;
  }

  private restart(): void {
    const limit = this.limit;
    if (limit <= 0) return;
    this.due = this.clock.now() + limit;
    if (this.cancelTimer === null || this.due < this.armedFor) this.arm(limit);
  }

  private arm(ms: number): void {
    this.cancelTimer?.();
    this.armedFor = this.clock.now() + ms;
    this.cancelTimer = this.clock.after(ms, () => this.fired());
  }

  /** The timer fired: someone is late, or the due time moved later (arm again), or nothing runs. */
  private fired(): void {
    this.cancelTimer = null;
    if (this.limit <= 0) return;
    const left = this.due - this.clock.now();
    if (left > 0) return this.arm(left);
    const late: Late = this.clientTurn ? "body" : this.owed!;
    if (late !== "body") this.owed = null;
    else this.clientTurn = false;
    this.expired(late);
  }
}
