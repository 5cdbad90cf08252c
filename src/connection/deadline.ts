import type { HttpLimits } from "../http/limits.ts";
import type { Clock } from "../ports.ts";

/**
 * Which wait a connection is in, each with its own timeout: "fresh", a new connection that has
 * sent nothing yet; "idle", a keep-alive connection between requests; "header" and "body", a
 * request arriving; "send", a response waiting for the client to read; "none", a response being
 * prepared.
 */
export type Wait = "fresh" | "idle" | "header" | "body" | "send" | "none";

/**
 * The one deadline a connection has. The runtime timer is re-armed only when the deadline moves
 * earlier than the time it is armed for; a later deadline is noticed when it fires (arming and
 * clearing a timer per request showed in profiles).
 *
 * A request's deadlines bound it in total, not only between two of its bytes (mod_reqtimeout's
 * model): its head must be complete headerTimeoutMs after its first byte; a body that is read
 * must keep coming (bodyTimeoutMs between two pieces) and keep up a rate (complete by
 * bodyTimeoutMs plus one second per minBodyRate bytes received); and the whole request must be
 * in within requestTimeoutMs of its first byte.
 */
export class ConnectionDeadline {
  /** The current wait. */
  wait: Wait = "none";
  /** When the current wait began (for a request: its first byte; for a body: its last byte). */
  since: number;
  private cancelTimer: (() => void) | null = null;
  /** When the current wait times out, and when the runtime timer will next fire. */
  private deadline = Number.POSITIVE_INFINITY;
  private armedFor = Number.POSITIVE_INFINITY;
  /** The request being received: when it began, when its body began, how much body came. */
  private requestStart = 0;
  private bodyStart = 0;
  private bodyReceived = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limits: HttpLimits,
    /** Runs when a wait times out, with the wait that did. */
    private readonly onTimeout: (wait: Wait) => void,
  ) {
    this.since = clock.now();
  }

  /**
   * Starts a wait (its timeout counts from now), or "none" to suspend the deadline. "header"
   * starts a request; "body" its body, with `received` bytes of it already in (see progress).
   */
  set(wait: Wait, received = 0): void {
    const now = this.clock.now();
    if (wait === "header" || (wait === "body" && this.wait !== "header")) this.requestStart = now;
    if (wait === "body") {
      this.bodyStart = now;
      this.bodyReceived = received;
    }
    this.wait = wait;
    this.since = now;
    this.moveTo(wait === "none" ? Number.POSITIVE_INFINITY : this.deadlineOf(wait, now));
  }

  /** Waits for a body: starts the body wait, or, while it runs, counts `received` bytes in all. */
  awaitBody(received: number): void {
    if (this.wait !== "body") this.set("body", received);
    else this.progress(received);
  }

  /** More of the body being read has arrived: `received` bytes of it in all. */
  progress(received: number): void {
    if (this.wait !== "body" || received <= this.bodyReceived) return;
    this.bodyReceived = received;
    this.since = this.clock.now();
    this.moveTo(this.deadlineOf("body", this.since));
  }

  /** No more waits: the connection is gone. */
  stop(): void {
    this.wait = "none";
    this.deadline = Number.POSITIVE_INFINITY;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private deadlineOf(wait: Exclude<Wait, "none">, now: number): number {
    const limits = this.limits;
    switch (wait) {
      case "fresh":
        // nginx waits client_header_timeout for the first byte too, not its keep-alive timeout.
        return now + limits.headerTimeoutMs;
      case "idle":
        return now + limits.idleTimeoutMs;
      case "header":
        return this.requestStart + Math.min(limits.headerTimeoutMs, limits.requestTimeoutMs);
      case "body": {
        const gap = now + limits.bodyTimeoutMs;
        const rate = limits.minBodyRate > 0
          ? this.bodyStart + limits.bodyTimeoutMs + (this.bodyReceived * 1000) / limits.minBodyRate
          : Number.POSITIVE_INFINITY;
        return Math.min(gap, rate, this.requestStart + limits.requestTimeoutMs);
      }
      case "send":
        return now + limits.sendTimeoutMs;
    }
  }

  private moveTo(deadline: number): void {
    this.deadline = deadline;
    if (deadline === Number.POSITIVE_INFINITY || this.armedFor <= deadline) return;
    this.cancelTimer?.();
    this.arm(deadline - this.clock.now());
  }

  private arm(ms: number): void {
    this.armedFor = this.clock.now() + ms;
    this.cancelTimer = this.clock.after(ms, () => this.fired());
  }

  private fired(): void {
    this.cancelTimer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    if (this.deadline === Number.POSITIVE_INFINITY) return;
    const left = this.deadline - this.clock.now();
    if (left > 0) return this.arm(left);
    // The wait is over: nothing it receives later moves a deadline again.
    const wait = this.wait;
    this.wait = "none";
    this.deadline = Number.POSITIVE_INFINITY;
    this.onTimeout(wait);
  }
}
