import type { Clock } from "../ports/clock.ts";
import type { WebSocketLimits } from "./options.ts";

/**
 * The idle timeout (Bun's idleTimeout): with sendPings, a connection quiet for half of it is
 * pinged, and its pong (any input) keeps it; quiet for all of it, `idle` closes it.
 */
export class IdleWatch {
  private lastInputAt: number;
  private pinged = false;
  private cancel: () => void = () => {};

  constructor(
    private readonly clock: Clock,
    private readonly limits: Pick<WebSocketLimits, "idleTimeoutMs" | "sendPings">,
    private readonly actions: { ping(): void; idle(): void; open(): boolean },
  ) {
    this.lastInputAt = clock.now();
  }

  /** Input came: the connection is not idle. */
  input(): void {
    this.lastInputAt = this.clock.now();
    this.pinged = false;
  }

  arm(): void {
    const limit = this.limits.idleTimeoutMs;
    if (limit <= 0) return;
    const pingAt = this.limits.sendPings && !this.pinged ? this.lastInputAt + limit / 2 : Number.POSITIVE_INFINITY;
    const due = Math.min(pingAt, this.lastInputAt + limit);
    this.cancel = this.clock.after(Math.max(1, due - this.clock.now()), () => this.check());
  }

  stop(): void {
    this.cancel();
  }

  private check(): void {
    if (!this.actions.open()) return;
    const limit = this.limits.idleTimeoutMs;
    const quiet = this.clock.now() - this.lastInputAt;
    if (quiet >= limit) return this.actions.idle();
    if (this.limits.sendPings && !this.pinged && quiet >= limit / 2) {
      this.pinged = true;
      this.actions.ping();
    }
    this.arm();
  }
}
