import type { Clock } from "../ports/clock.ts";

/**
 * The zero-window limit: a peer that keeps a stream's window (or the connection's) at zero while
 * we have bytes for it holds them, and their file or producer, for as long as it likes (RFC 9113
 * §10.5). One timer for the oldest stall; `expired` runs once it has lasted timeoutMs.
 */
export class StallWatch {
  private since: number | null = null;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly expired: () => void,
  ) {}

  /** Since when the oldest stall has lasted, or null when nothing is stalled. */
  set(since: number | null): void {
    this.since = since;
    if (since === null) this.stop();
    else if (this.cancel === null) this.arm(since + this.timeoutMs - this.clock.now());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  private arm(ms: number): void {
    this.cancel = this.clock.after(Math.max(0, ms), () => {
      this.cancel = null;
      if (this.since === null) return;
      const due = this.since + this.timeoutMs;
      const now = this.clock.now();
      if (now >= due) this.expired();
      else this.arm(due - now);
    });
  }
}
