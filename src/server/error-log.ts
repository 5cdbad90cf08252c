import type { Clock } from "../ports/clock.ts";
import { LineBudget } from "../ops/line-budget.ts";

/** Error lines written per second at most; past that they are counted, and the count is written once. */
export const ERROR_LINES_PER_SECOND = 20;

/**
 * The server's error log, rate-limited (ops/line-budget.ts): a flood of failing requests (10,000
 * clients leaving mid-body, say) writes at most ERROR_LINES_PER_SECOND lines a second, then one
 * line saying how many were left out. Lines are passed through as given (one per event: see
 * connection/describe-error.ts).
 */
export function rateLimited(
  write: (line: string) => void,
  clock: Clock,
  perSecond = ERROR_LINES_PER_SECOND,
): (line: string) => void {
  const budget = new LineBudget(
    clock,
    perSecond,
    write,
    (held) => `sundial: ${held} more error line${held === 1 ? "" : "s"} left out (over ${perSecond} a second)`,
  );
  return (line) => budget.offer(() => line);
}
