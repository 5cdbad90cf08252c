/**
 * When to start a worker again after one died. A worker that had served for a while is replaced
 * at once (after FIRST_DELAY_MS); one that dies soon after it started (a crash at start-up, a
 * port taken, a bad --app) is retried at doubling intervals up to MAX_DELAY_MS, so a broken
 * worker neither spins the CPU nor floods the log. systemd's Restart= waits 100 ms by default
 * (RestartSec=) and grows it with RestartSteps=/RestartMaxDelaySec=; this is the same shape.
 */

export interface BackoffPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** A worker that lived at least this long counts as healthy: the next death starts the count again. */
  readonly healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { firstDelayMs: 100, maxDelayMs: 30_000, healthyAfterMs: 10_000 };

/** The count of quick deaths in a row after one more death, given how long that worker lived. */
export function quickDeaths(previous: number, livedMs: number, policy: BackoffPolicy): number {
  return livedMs >= policy.healthyAfterMs ? 0 : previous + 1;
}

/** The wait before the next start: firstDelayMs after a healthy worker and after a first quick death, then doubling per quick death, capped. */
export function restartDelay(quick: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(Math.max(0, quick - 1), 30));
}
