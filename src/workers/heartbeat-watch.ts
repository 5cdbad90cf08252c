import type { Clock } from "../ports/clock.ts";
import { judgeLiveness } from "./liveness.ts";

/** What a watch reads and keeps on the worker's slot. */
export interface Watched {
  /** When the worker was last heard from: any line on its stderr, its heartbeat included. */
  lastSignAt: number;
  /** Stops the watch. */
  cancelWatch: (() => void) | null;
}

/**
 * Checks a serving worker's heartbeat (liveness.ts) every timeoutMs at most, while `watching()`
 * holds; one that has gone silent is handed to onSilent (which kills it) and no longer watched.
 */
export function watchHeartbeat(
  clock: Clock,
  slot: Watched,
  timeoutMs: number,
  watching: () => boolean,
  onSilent: (silentMs: number) => void,
): void {
  const check = (dueAt: number): void => {
    slot.cancelWatch = null;
    if (!watching()) return;
    const now = clock.now();
    const verdict = judgeLiveness(slot.lastSignAt, dueAt, now, timeoutMs);
    if (verdict.kind === "unwatched") slot.lastSignAt = now;
    if (verdict.kind === "silent") return onSilent(verdict.silentMs);
    next(verdict.kind === "alive" ? verdict.checkInMs : timeoutMs);
  };
  const next = (inMs: number): void => {
    const dueAt = clock.now() + inMs;
    slot.cancelWatch = clock.after(inMs, () => check(dueAt));
  };
  slot.lastSignAt = clock.now();
  unwatch(slot);
  next(timeoutMs);
}

/** Stops a slot's watch, if it has one. */
export function unwatch(slot: Watched): void {
  slot.cancelWatch?.();
  slot.cancelWatch = null;
}
