import type { Clock } from "../ports.ts";

export interface LogBatcherOptions {
  /** The longest a line waits before it is written, in ms (default 100). */
  readonly maxDelayMs?: number;
  /** A batch this large is written at once (default 64 KiB). */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_DELAY_MS = 100;
const DEFAULT_MAX_BYTES = 64 * 1024;

/** A finite, non-negative option, or the default. */
const option = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;

/**
 * Collects log lines and hands them to the sink as one string ("line\nline\n"), so a busy
 * server makes one write per batch rather than per request (as nginx's access_log buffer= and
 * flush=). A batch goes when it reaches maxBytes or when maxDelayMs has passed since its first
 * line, whichever is first: one timer per batch, armed by its first line. flush() writes what
 * is pending now (shutdown, log reopen).
 *
 * Sizes are counted in UTF-16 code units: exact for common and combined lines (escaped to
 * ASCII), a close floor for json ones (latin-1 bytes over 0x7F take two bytes in UTF-8). The
 * bound decides when to write, not how much may be written: a line longer than maxBytes goes
 * at once, whole.
 *
 * Lines are given without their newline and must contain none (format.ts escapes them).
 */
export class LogBatcher {
  private readonly maxDelayMs: number;
  private readonly maxBytes: number;
  /** The batch so far, each line with its newline (one string grown in place: no join at flush). */
  private text = "";
  private count = 0;
  private bytes = 0;
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly sink: (text: string) => void,
    private readonly clock: Pick<Clock, "after">,
    options: LogBatcherOptions = {},
  ) {
    this.maxDelayMs = option(options.maxDelayMs, DEFAULT_MAX_DELAY_MS);
    this.maxBytes = option(options.maxBytes, DEFAULT_MAX_BYTES);
  }

  /** Lines waiting to be written. */
  get pending(): number {
    return this.count;
  }

  add(line: string): void {
    this.text += `${line}\n`;
    this.count++;
    this.bytes += line.length + 1;
    if (this.bytes >= this.maxBytes) {
      this.flush();
    } else if (this.cancelTimer === null) {
      this.cancelTimer = this.clock.after(this.maxDelayMs, this.onTimer);
    }
  }

  /**
   * Writes the pending lines now; nothing when there are none (the sink never sees ""). The
   * batch is taken before the sink runs, so a sink that adds lines starts the next batch.
   */
  flush(): void {
    if (this.cancelTimer !== null) {
      this.cancelTimer();
      this.cancelTimer = null;
    }
    if (this.count === 0) return;
    const text = this.text;
    this.text = "";
    this.count = 0;
    this.bytes = 0;
    this.sink(text);
  }

  private readonly onTimer = (): void => {
    this.cancelTimer = null;
    this.flush();
  };
}
