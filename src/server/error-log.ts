import type { Clock } from "../ports.ts";

/** Error lines written per second at most; past that they are counted, and the count is written once. */
export const ERROR_LINES_PER_SECOND = 20;

/**
 * The server's error log, rate-limited: a flood of failing requests (10,000 clients leaving
 * mid-body, say) writes at most ERROR_LINES_PER_SECOND lines a second, then one line saying how
 * many were left out. Lines are passed through as given (one per event: see describe-error.ts).
 */
export function rateLimited(write: (line: string) => void, clock: Clock, perSecond = ERROR_LINES_PER_SECOND): (line: string) => void {
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let suppressed = 0;
  const report = (): void => {
    if (suppressed > 0) write(`sundial: ${suppressed} more error line${suppressed === 1 ? "" : "s"} left out (over ${perSecond} a second)`);
    suppressed = 0;
  };
  return (line) => {
    const now = clock.now();
    if (now - windowStart >= 1000) {
      report();
      windowStart = now;
      written = 0;
    }
    if (written < perSecond) {
      written++;
      return write(line);
    }
    // The first line left out in a window promises the count at the window's end.
    if (suppressed++ === 0) clock.after(1000 - (now - windowStart), report);
  };
}
