import type { HttpLimits } from "../http/limits.ts";
import type { Clock } from "../ports/clock.ts";

/**
 * Which wait a connection is in, each with its own timeout: "fresh", a new connection that has
 * sent nothing yet; "idle", a keep-alive connection between requests; "header" and "body", a
 * request arriving; "send", a response waiting for the client to read; "none", a response being
 * prepared.
 */
export type Wait = "fresh" | "idle" | "header" | "body" | "send" | "none";

/** What timed out: a wait, or the app's answer ("response": see awaitResponse). */
export type Expiry = Exclude<Wait, "none"> | "response";

/**
 * The one deadline a connection has. The runtime timer is re-armed only when the deadline moves
 * earlier than the time it is armed for; a later deadline is noticed when it fires (arming and
 * clearing a timer per request showed in profiles).
 *
 * A request's deadlines bound it in total, not only between two of its bytes (mod_reqtimeout's
 * model): its head must be complete headerTimeoutMs after its first byte; a body that is read
 * must keep coming (bodyTimeoutMs between two pieces) and keep up a rate (complete by
 * bodyTimeoutMs plus one second per minBodyRate bytes received); and the whole request must be
 * in within requestTimeoutMs of its first byte. A body an app reads is held to the same: its
 * clocks pause only while the app is busy between two reads (pauseBody), never while a read waits
 * for the client.
 *
 * Beside the wait, a response may be due: the app must answer (and a streamed body give its next
 * piece) within responseTimeoutMs (nginx's proxy_read_timeout), whatever the client does.
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
  /** A body the app reads, paused while the app is busy: when the pause began; null when not paused. */
  private pausedAt: number | null = null;
  /** When the app must have answered (awaitResponse); infinite when nothing is due. */
  private responseDue = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly limits: HttpLimits,
    /** Runs when a wait times out, with the wait that did. */
    private readonly onTimeout: (expired: Expiry) => void,
  ) {
    this.since = clock.now();
  }

  /**
   * Starts a wait (its timeout counts from now), or "none" to suspend the deadline. "header"
   * starts a request; "body" its body, with `received` bytes of it already in (see progress).
   */
  set(wait: Wait, received = 0): void {
    const now = this.clock.now();
    // A new request, or the wait between two: a paused body belonged to the one before.
    if (wait === "header" || wait === "idle" || wait === "fresh" || wait === "body") this.pausedAt = null;
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
    if (this.wait === "body") this.progress(received);
    else if (this.pausedAt !== null) this.resumeBody(received);
    else this.set("body", received);
  }

  /**
   * The app stopped reading the body it reads (it is busy, not the client): the body's clocks
   * stop until its next read (awaitBody), which resumes them where they were.
   */
  pauseBody(): void {
    if (this.wait !== "body") return;
    this.pausedAt = this.clock.now();
    this.wait = "none";
    this.moveTo(Number.POSITIVE_INFINITY);
  }

  /** The app reads again: the whole-request, rate and gap clocks go on, the pause left out. */
  private resumeBody(received: number): void {
    const now = this.clock.now();
    const paused = now - this.pausedAt!;
    this.pausedAt = null;
    this.requestStart += paused;
    this.bodyStart += paused;
    this.since += paused;
    this.wait = "body";
    if (received > this.bodyReceived) {
      this.bodyReceived = received;
      this.since = now;
    }
    this.moveTo(this.deadlineOf("body", this.since));
  }

  /**
   * A request whose body the app will read is handed to it: the body's clocks start (the
   * whole-request one from the head's first byte), paused until the app's first read.
   */
  holdBody(received: number): void {
    const now = this.clock.now();
    if (this.wait !== "header") this.requestStart = now;
    this.bodyStart = now;
    this.bodyReceived = received;
    this.since = now;
    this.pausedAt = now;
    this.wait = "none";
    this.moveTo(Number.POSITIVE_INFINITY);
  }

  /** The app has the request (or a streamed body's next piece is awaited): it must answer within `ms`. */
  awaitResponse(ms: number): void {
    this.responseDue = this.clock.now() + ms;
    this.moveTo(this.deadline);
  }

  /** What is due from the app is due within `ms` at the latest (its client half-closed). */
  dueWithin(ms: number): void {
    if (this.responseDue === Number.POSITIVE_INFINITY) return;
    this.responseDue = Math.min(this.responseDue, this.clock.now() + ms);
    this.moveTo(this.deadline);
  }

  /** The app answered: nothing is due from it. */
  responded(): void {
    this.responseDue = Number.POSITIVE_INFINITY;
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
    this.pausedAt = null;
    this.deadline = Number.POSITIVE_INFINITY;
    this.responseDue = Number.POSITIVE_INFINITY;
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
    const due = Math.min(deadline, this.responseDue);
    if (due === Number.POSITIVE_INFINITY || this.armedFor <= due) return;
    this.cancelTimer?.();
    this.arm(due - this.clock.now());
  }

  private arm(ms: number): void {
    this.armedFor = this.clock.now() + ms;
    this.cancelTimer = this.clock.after(ms, () => this.fired());
  }

  private fired(): void {
    this.cancelTimer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    if (this.responseDue <= now) {
      this.responseDue = Number.POSITIVE_INFINITY;
      if (this.deadline !== Number.POSITIVE_INFINITY) this.arm(Math.max(0, this.deadline - now));
      return this.onTimeout("response");
    }
    const due = Math.min(this.deadline, this.responseDue);
    if (due === Number.POSITIVE_INFINITY) return;
    const left = due - now;
    if (left > 0) return this.arm(left);
    // The wait is over: nothing it receives later moves a deadline again.
    const wait = this.wait;
    this.wait = "none";
    this.deadline = Number.POSITIVE_INFINITY;
    if (wait !== "none") this.onTimeout(wait);
  }
}
