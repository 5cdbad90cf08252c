import { familyHead, sample } from "./exposition.ts";

/**
 * Bucket upper bounds (le) of request durations, in ms: 1 ms, then the Prometheus client
 * libraries' default buckets (.005 .. 10 s). Kept in ms so that an observation, which comes in
 * ms, is compared without a division; written in seconds, the base unit (prometheus.io/docs/
 * practices/naming, "Base units"). n / 1000 is the double nearest the decimal, so "0.025".
 */
const BOUNDS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000] as const;

/** The le label values, "+Inf" last (exposition formats, "Histograms and summaries"). */
export const DURATION_BUCKETS: readonly string[] = [...BOUNDS_MS.map((ms) => String(ms / 1000)), "+Inf"];

/** A histogram of durations without labels: a count per bucket, their sum and count. */
export class DurationHistogram {
  /** Observations per bucket, not cumulative (that is done when rendering); the last is +Inf. */
  private readonly counts: number[] = new Array<number>(BOUNDS_MS.length + 1).fill(0);
  private sumMs = 0;
  private count = 0;

  /** A duration that is not a finite non-negative number (a wall clock stepped back) counts as 0. */
  observe(durationMs: number): void {
    const ms = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0;
    let i = 0;
    // A bucket counts the observations less than or equal to its bound (exposition formats, "le").
    while (i < BOUNDS_MS.length && ms > BOUNDS_MS[i]!) i++;
    this.counts[i]!++;
    this.sumMs += ms;
    this.count++;
  }

  /**
   * The family: cumulative _bucket{le} lines in increasing order ending with +Inf, then _sum
   * (seconds) and _count, which equals the +Inf bucket (exposition formats, "Histograms and summaries").
   */
  render(name: string, help: string): string {
    let text = familyHead(name, "histogram", help);
    let cumulative = 0;
    for (let i = 0; i < this.counts.length; i++) {
      cumulative += this.counts[i]!;
      text += sample(`${name}_bucket`, `{le="${DURATION_BUCKETS[i]!}"}`, cumulative);
    }
    return text + sample(`${name}_sum`, "", this.sumMs / 1000) + sample(`${name}_count`, "", this.count);
  }
}
