import { MAX_WINDOW_SIZE } from "./settings.ts";

/**
 * §6.9.1: a send window grown by a WINDOW_UPDATE's increment, or null when that would take it
 * past 2^31-1 (a FLOW_CONTROL_ERROR: of the stream, or of the connection on stream 0).
 */
export function grownWindow(window: number, increment: number): number | null {
  const grown = window + increment;
  return grown > MAX_WINDOW_SIZE ? null : grown;
}

/**
 * §6.9.2: a send window after the peer's SETTINGS_INITIAL_WINDOW_SIZE went from `from` to `to`:
 * moved by the difference, possibly below zero; null past 2^31-1 (a connection FLOW_CONTROL_ERROR).
 */
export function resizedWindow(window: number, from: number, to: number): number | null {
  return grownWindow(window, to - from);
}

/**
 * The bytes one DATA frame may carry now (§6.9.1, §4.2): the least of what is ready, the stream's
 * and the connection's send windows (0 when either is at or below zero), and the peer's
 * SETTINGS_MAX_FRAME_SIZE.
 */
export function sendable(ready: number, streamWindow: number, connectionWindow: number, maxFrameSize: number): number {
  return Math.max(0, Math.min(ready, streamWindow, connectionWindow, maxFrameSize));
}

/**
 * What the peer may still send us, on one stream or the connection (§5.2, §6.9). DATA takes from
 * it as it arrives (padding included, §6.9.1); bytes come back once done with (read by the app,
 * or discarded), given back to the peer by a WINDOW_UPDATE when enough are owed: a quarter of
 * the window, or anything at all once the peer has under a quarter left (so a reader waiting on
 * a window other streams hold is never left without credit).
 */
export class ReceiveWindow {
  /** Bytes the peer may still send. */
  private room: number;
  /** Bytes done with and not yet given back. */
  private owed: number;

  /**
   * `size`: the window we keep; `initial`: what the peer starts with (the connection starts at
   * 65,535, §6.9.2, and the difference is owed at once).
   */
  constructor(readonly size: number, initial: number = size) {
    this.room = initial;
    this.owed = size - initial;
  }

  /** Bytes the peer may still send. */
  get available(): number {
    return this.room;
  }

  /** §6.9.1: a flow-controlled frame of n bytes arrived; false when it is over the window (FLOW_CONTROL_ERROR). */
  receive(n: number): boolean {
    if (n > this.room) return false;
    this.room -= n;
    return true;
  }

  /** n bytes received before are done with: the WINDOW_UPDATE increment due now, or 0. */
  release(n: number): number {
    this.owed += n;
    const quarter = this.size / 4;
    return this.owed > 0 && (this.owed >= quarter || this.room < quarter) ? this.takeOwed() : 0;
  }

  /** Everything owed, as one increment (0 when nothing is). */
  takeOwed(): number {
    const increment = this.owed;
    this.room += increment;
    this.owed = 0;
    return increment;
  }
}
