import type { Clock } from "../ports/clock.ts";

/**
 * A token bucket over the Clock port: `burst` tokens at first, `perSecond` more each second up
 * to `burst`. take() spends one; false when none is left. Counts what a peer makes us do
 * cheaply and often (stream resets: RFC 9113 §10.5, CVE-2023-44487).
 */
export class RateBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly clock: Clock,
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
    this.at = clock.now();
  }

  /** Spends a token: false when the bucket is empty (the caller refuses what it counts). */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens left now (for tests and logs). */
  get left(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.at);
    this.at = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
  }
}
