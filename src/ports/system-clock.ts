import type { Clock } from "./clock.ts";

/**
 * Adapter kit: the real clock, from what every runtime's JavaScript has (Date, Intl, timers):
 * adapters pass it in; tests pass a pinned one instead.
 */
let zone: string | undefined;

export const systemClock: Clock = {
  now: () => Date.now(),
  // Creating a DateTimeFormat costs tens of microseconds: ask once per process.
  timeZone: () => (zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC"),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
