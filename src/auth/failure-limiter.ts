/**
 * Failed logins counted per client address: more than `maxFailures` in a minute and the address
 * is refused (429) for `blockMs`. The table is bounded: at `maxAddresses` the oldest entry goes,
 * so a flood of addresses costs a fixed amount of memory (and can only forget, never refuse, the
 * addresses it pushes out).
 */

export interface LimiterSettings {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
  readonly maxAddresses: number;
}

export const DEFAULT_LIMITER: LimiterSettings = {
  maxFailures: 10,
  windowMs: 60_000,
  blockMs: 60_000,
  maxAddresses: 10_000,
};

interface Entry {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

export type LimiterVerdict = { readonly kind: "allowed" } | {
  readonly kind: "blocked";
  readonly retryAfterSeconds: number;
};

const ALLOWED: LimiterVerdict = { kind: "allowed" };

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly settings: LimiterSettings = DEFAULT_LIMITER) {}

  /** Whether this address may try now. */
  check(address: string, now: number): LimiterVerdict {
    const entry = this.entries.get(address);
    if (entry === undefined || entry.blockedUntil <= now) return ALLOWED;
    return { kind: "blocked", retryAfterSeconds: Math.max(1, Math.ceil((entry.blockedUntil - now) / 1000)) };
  }

  /** Counts a failure; true when it is the one that blocks the address. */
  fail(address: string, now: number): boolean {
    const entry = this.entry(address, now);
    if (now - entry.windowStart >= this.settings.windowMs) {
      entry.windowStart = now;
      entry.failures = 0;
    }
    entry.failures++;
    if (entry.failures <= this.settings.maxFailures) return false;
    entry.blockedUntil = now + this.settings.blockMs;
    entry.failures = 0;
    entry.windowStart = now;
    return true;
  }

  /** How many addresses are remembered (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }

  private entry(address: string, now: number): Entry {
    const known = this.entries.get(address);
    if (known !== undefined) return known;
    // A Map iterates in insertion order: its first key is the oldest entry.
    if (this.entries.size >= this.settings.maxAddresses) this.entries.delete(this.entries.keys().next().value!);
    const entry: Entry = { windowStart: now, failures: 0, blockedUntil: 0 };
    this.entries.set(address, entry);
    return entry;
  }
}
