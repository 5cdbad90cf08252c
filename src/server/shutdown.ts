import type { HttpConnection } from "../connection/connection.ts";
import type { Clock } from "../ports/clock.ts";

/** Time the server waits on shutdown for responses in progress, unless told otherwise. */
export const SHUTDOWN_GRACE_MS = 5_000;

/** How often a shutdown looks whether the last connection has closed. */
const POLL_MS = 50;

/**
 * Ends the connections of a server that accepts no more: each closes once its response in
 * progress is written (at once when idle); those still open after graceMs are destroyed.
 */
export async function drainConnections(
  connections: ReadonlyMap<HttpConnection, unknown>,
  clock: Clock,
  graceMs: number,
): Promise<void> {
  for (const connection of connections.keys()) connection.closeWhenIdle();
  await waitUntilEmpty(connections, clock, graceMs);
  for (const connection of connections.keys()) connection.destroy();
}

function waitUntilEmpty(
  connections: ReadonlyMap<HttpConnection, unknown>,
  clock: Clock,
  graceMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    const started = clock.now();
    const check = (): void => {
      if (connections.size === 0 || clock.now() - started >= graceMs) resolve();
      else clock.after(POLL_MS, check);
    };
    check();
  });
}
