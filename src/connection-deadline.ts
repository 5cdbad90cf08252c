import type { HttpLimits } from "./http/limits.ts";
import type { Clock } from "./ports.ts";

/** Which wait a connection is in, each with its own timeout (none: a response is being prepared). */
export type Wait = "idle" | "header" | "body" | "send" | "none";

/**
 * The one deadline a connection has. The runtime timer is re-armed only when the deadline moves
 * earlier than the time it is armed for; a later deadline is noticed when it fires (arming and
 * clearing a timer per request showed in profiles).
 */
export class ConnectionDeadline {
  /** The current wait. */
  wait: Wait = "none";
  private cancelTimer: (() => void) | null = null;
  /** When the current wait times out, and when the runtime timer will next fire. */
  private deadline = Number.POSITIVE_INFINITY;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly limits: HttpLimits,
    /** Runs when a wait times out, with the wait that did. */
    private readonly onTimeout: (wait: Wait) => void,
  ) {}

  /** Starts a wait (its timeout counts from now), or "none" to suspend the deadline. */
  set(wait: Wait): void {
    this.wait = wait;
    if (wait === "none") {
      this.deadline = Number.POSITIVE_INFINITY;
      return;
    }
    const ms = this.timeoutOf(wait);
    this.deadline = this.clock.now() + ms;
    if (this.armedFor <= this.deadline) return;
    this.cancelTimer?.();
    this.arm(ms);
  }

  /** No more waits: the connection is gone. */
  stop(): void {
    this.wait = "none";
    this.deadline = Number.POSITIVE_INFINITY;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private timeoutOf(wait: Exclude<Wait, "none">): number {
    switch (wait) {
      case "idle":
        return this.limits.idleTimeoutMs;
      case "header":
        return this.limits.headerTimeoutMs;
      case "body":
        return this.limits.bodyTimeoutMs;
      case "send":
        return this.limits.sendTimeoutMs;
    }
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
    this.deadline = Number.POSITIVE_INFINITY;
    this.onTimeout(this.wait);
  }
}
