import type { Clock } from "../ports/clock.ts";
import type { Socket } from "../ports/socket.ts";
import { answerAndClose } from "../io/answer-and-close.ts";
import { unavailableBytes } from "../connection/unavailable.ts";

/**
 * Over the connection cap with nothing to evict, or over the per-address cap: a 503 (RFC 9110
 * §15.6.4) with Retry-After, without reading the request, then close. The client learns why at
 * once instead of waiting in the accept queue.
 */
export function turnAway(socket: Socket, clock: Clock, common: string): void {
  answerAndClose(socket, unavailableBytes(clock.now(), common));
}
