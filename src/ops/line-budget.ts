import type { Clock } from "../ports/clock.ts";

/**
 * At most `perSecond` lines in a second: the first line opens a one-second window, the lines
 * past the budget in it are only counted, and one line says how many when the window ends. So a
 * burst of a thousand errors writes perSecond + 1 lines, and a steady trickle all of its own.
 */
export class LineBudget {
  private windowStart = Number.NEGATIVE_INFINITY;
  private written = 0;
  private held = 0;
  private cancelSummary: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
    private readonly write: (line: string) => void,
    /** The line that says `held` lines were not written. */
    private readonly summary: (held: number) => string,
  ) {}

  /** Writes the line (made only then), or counts it when this window's budget is spent. */
  offer(line: () => string): void {
    const now = this.clock.now();
    // A clock stepped back opens a window too, rather than holding lines for as long.
    if (now - this.windowStart >= 1000 || now < this.windowStart) this.open(now);
    if (this.written < this.perSecond) {
      this.written++;
      this.write(line());
      return;
    }
    this.held++;
    this.cancelSummary ??= this.clock.after(this.windowStart + 1000 - now, () => this.flush());
  }

  /** Writes the summary of the lines held back, if any were. */
  flush(): void {
    this.cancelSummary?.();
    this.cancelSummary = null;
    if (this.held === 0) return;
    const held = this.held;
    this.held = 0;
    this.write(this.summary(held));
  }

  private open(now: number): void {
    this.flush();
    this.windowStart = now;
    this.written = 0;
  }
}
