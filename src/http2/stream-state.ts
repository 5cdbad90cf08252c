/**
 * A stream's state as a server sees it (RFC 9113 §5.1), once it left "idle" (a stream in the
 * table is never idle; the reserved states are a server push's, which this server never makes):
 *
 *                     HEADERS (request)
 *   idle ─────────────────────────────────────────> open
 *     └── HEADERS + END_STREAM ──> half-closed (remote)      open ── END_STREAM received ──> half-closed (remote)
 *   open ── END_STREAM sent ──> half-closed (local)          either half ── the other END_STREAM ──> closed
 *   any ── RST_STREAM sent or received ──> closed
 */
export type StreamState = "open" | "half-closed-remote" | "half-closed-local" | "closed";

/** §5.1: a request's HEADERS opens the stream; with END_STREAM the peer's side is closed at once. */
export function openedState(endStream: boolean): StreamState {
  return endStream ? "half-closed-remote" : "open";
}

/** §5.1: the peer sent END_STREAM. */
export function afterRemoteEnd(state: StreamState): StreamState {
  return state === "open" ? "half-closed-remote" : "closed";
}

/** §5.1: we sent END_STREAM. */
export function afterLocalEnd(state: StreamState): StreamState {
  return state === "open" ? "half-closed-local" : "closed";
}

/** Whether the peer may still send DATA and HEADERS on the stream (open, half-closed (local)). */
export function remoteOpen(state: StreamState): boolean {
  return state === "open" || state === "half-closed-local";
}

/** Whether we may still send HEADERS and DATA on the stream (open, half-closed (remote)). */
export function localOpen(state: StreamState): boolean {
  return state === "open" || state === "half-closed-remote";
}
