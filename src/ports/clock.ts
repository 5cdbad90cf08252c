/** Time, injected so that /time and every deadline are testable exactly (system-clock.ts is the real one). */

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** The IANA name of the server's time zone, e.g. "Europe/Berlin". */
  timeZone(): string;
  /** Run fn after ms milliseconds; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}
