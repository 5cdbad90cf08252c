/**
 * Whether a serving worker is still alive in the sense that matters: its event loop turns. A
 * worker whose loop is blocked (an app stuck in a loop) or whose process is stopped (SIGSTOP, a
 * debugger) still holds its share of the port: with SO_REUSEPORT the kernel keeps queueing new
 * connections on its listener, which nobody accepts (measured on Bun and Deno: about half of
 * the new connections stalled while one of two workers was stopped). So each worker writes a
 * heartbeat line to its stderr from its event loop (worker-role.ts), and the supervisor kills a
 * worker it has heard nothing from for --worker-timeout and starts it again (supervisor.ts, heartbeat-watch.ts).
 * A process that exits is not this case: the supervisor learns of that at once.
 */

/** --worker-timeout's default: five missed heartbeats. */
export const DEFAULT_WORKER_TIMEOUT_MS = 5_000;

/** The shortest --worker-timeout: with less, a long garbage collection pause could pass for a hang. */
export const MIN_WORKER_TIMEOUT_MS = 1_000;

/** A worker says it is alive at least this often. */
const MAX_HEARTBEAT_MS = 1_000;

/** How often a worker writes its heartbeat: once a second, or five times per deadline if it is shorter. */
export function heartbeatInterval(timeoutMs: number): number {
  return Math.max(1, Math.min(MAX_HEARTBEAT_MS, Math.floor(timeoutMs / 5)));
}

/**
 * A check that runs this much after it was due means the supervisor itself was held up (its
 * event loop blocked, its process stopped, or the wall clock jumped ahead): the worker's lines
 * may be waiting in the pipe, unread. Its silence is then counted again from now.
 */
export const LATE_CHECK_MS = 1_000;

export type Liveness =
  /** Heard from within the deadline: check again in checkInMs. */
  | { readonly kind: "alive"; readonly checkInMs: number }
  /** Nothing for silentMs, at least the deadline: kill it. */
  | { readonly kind: "silent"; readonly silentMs: number }
  /** The supervisor was not watching (LATE_CHECK_MS): start counting again. */
  | { readonly kind: "unwatched" };

/** The verdict of a check due at dueAt, run at now, on a worker last heard from at lastSignAt. */
export function judgeLiveness(lastSignAt: number, dueAt: number, now: number, timeoutMs: number): Liveness {
  if (now - dueAt > LATE_CHECK_MS) return { kind: "unwatched" };
  const silentMs = now - lastSignAt;
  if (silentMs >= timeoutMs) return { kind: "silent", silentMs };
  return { kind: "alive", checkInMs: timeoutMs - Math.max(0, silentMs) };
}
