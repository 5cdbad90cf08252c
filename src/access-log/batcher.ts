import type { Clock } from "../ports/clock.ts";
import type { LineBytes } from "./line-bytes.ts";

export interface LogBatcherOptions {
  /** The longest a line waits before it is written, in ms (default 100). */
  readonly maxDelayMs?: number;
  /** A batch this large is written at once (default 64 KiB). */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_DELAY_MS = 100;
const DEFAULT_MAX_BYTES = 64 * 1024;
/** Batches share a buffer: small ones (a quiet server's, every maxDelayMs) use it up slowly. */
const BATCHES_PER_BUFFER = 4;

/** A finite, non-negative option, or the default. */
const option = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;

/**
 * Collects log lines and hands them to the sink as one run of UTF-8 bytes ("line\nline\n"), so
 * a busy server makes one write per batch rather than per request (as nginx's access_log
 * buffer= and flush=). A batch goes when the next line would not fit in maxBytes or when
 * maxDelayMs has passed since its first line, whichever is first: one timer per batch, armed by
 * its first line. flush() writes what is pending now (shutdown, log reopen).
 *
 * Lines are encoded as they come, into one buffer (common and combined ones are written there
 * in place: begin() and commit(), line-bytes.ts), so no string is kept per line nor built per
 * batch, and nothing is encoded at write time. Each batch is a view of the buffer that nothing writes
 * again (the sink may keep it: Node's stdout queues writes to a pipe); a new buffer is taken
 * when the old one is used up. A line longer than maxBytes goes alone, at once, whole.
 *
 * Lines are given without their newline and must contain none (format.ts escapes them).
 */
export class LogBatcher {
  private readonly maxDelayMs: number;
  private readonly maxBytes: number;
  private buffer: Uint8Array;
  /** Where the pending batch starts in buffer, and where it ends. */
  private start = 0;
  private end = 0;
  private count = 0;
  private cancelTimer: (() => void) | null = null;
  /** The one LineBytes begin() hands out (no object per line). */
  private readonly line: LineBytes = { bytes: new Uint8Array(0), at: 0 };

  constructor(
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly clock: Pick<Clock, "after">,
    options: LogBatcherOptions = {},
  ) {
    this.maxDelayMs = option(options.maxDelayMs, DEFAULT_MAX_DELAY_MS);
    this.maxBytes = Math.max(1, Math.floor(option(options.maxBytes, DEFAULT_MAX_BYTES)));
    this.buffer = new Uint8Array(this.maxBytes * BATCHES_PER_BUFFER);
  }

  /** Lines waiting to be written. */
  get pending(): number {
    return this.count;
  }

  add(line: string): void {
    if (!this.append(line)) {
      // The batch is full: it goes, and the line starts the next (flush leaves room for a whole batch).
      this.flush();
      if (!this.append(line)) {
        // Longer than a whole batch: alone, at once.
        this.sink(encoder.encode(`${line}\n`));
        return;
      }
    }
    this.added();
  }

  /**
   * Where to write a line of at most `bound` bytes (its newline not included) in place, or
   * null when the bound is more than a batch (then add() the line as a string). The caller
   * writes from `at`, and calls commit() before anything else is added.
   */
  begin(bound: number): LineBytes | null {
    if (bound + 1 > this.maxBytes) return null;
    if (this.end + bound + 1 > this.start + this.maxBytes) this.flush();
    this.line.bytes = this.buffer;
    this.line.at = this.end;
    return this.line;
  }

  /** Ends the line begin() gave: its newline, and the batch's bookkeeping. */
  commit(): void {
    this.buffer[this.line.at] = 0x0a;
    this.end = this.line.at + 1;
    this.added();
  }

  private added(): void {
    this.count++;
    if (this.end - this.start >= this.maxBytes) {
      this.flush();
    } else if (this.cancelTimer === null) {
      this.cancelTimer = this.clock.after(this.maxDelayMs, this.onTimer);
    }
  }

  /**
   * Writes the pending lines now; nothing when there are none (the sink never sees an empty
   * batch). The batch is taken before the sink runs, so a sink that adds lines starts the next.
   */
  flush(): void {
    if (this.cancelTimer !== null) {
      this.cancelTimer();
      this.cancelTimer = null;
    }
    if (this.count > 0) {
      const batch = this.buffer.subarray(this.start, this.end);
      this.start = this.end;
      this.count = 0;
      this.sink(batch);
    }
    if (this.count === 0 && this.buffer.length - this.end < this.maxBytes) this.renew();
  }

  /** Appends the line and its newline, when they fit within maxBytes of the batch's start. */
  private append(line: string): boolean {
    const room = this.start + this.maxBytes - this.end;
    // Each UTF-16 code unit takes at least one byte: too long for sure.
    if (room < line.length + 1) return false;
    const { read, written } = encoder.encodeInto(line, this.buffer.subarray(this.end, this.end + room - 1));
    if (read < line.length) return false;
    this.buffer[this.end + written] = 0x0a;
    this.end += written + 1;
    return true;
  }

  /** A fresh buffer (the old one's batches may still be held by the sink). */
  private renew(): void {
    this.buffer = new Uint8Array(this.maxBytes * BATCHES_PER_BUFFER);
    this.start = 0;
    this.end = 0;
  }

  private readonly onTimer = (): void => {
    this.cancelTimer = null;
    this.flush();
  };
}

const encoder = new TextEncoder();
