import { httpDate } from "../http/http-date.ts";
import { concatBytes, serializeHead, utf8 } from "../http/response.ts";
import type { Clock, Socket } from "../ports.ts";
import { errorResponse } from "../http/error-page.ts";
import { answerAndClose } from "../io/answer-and-close.ts";

/**
 * Over the connection cap with nothing to evict, or over the per-address cap: a 503 (RFC 9110
 * §15.6.4) with Retry-After, without reading the request, then close. The client learns why at
 * once instead of waiting in the accept queue.
 */
export function turnAway(socket: Socket, clock: Clock, common: string): void {
  const response = errorResponse(503, [["Retry-After", "1"]], true);
  const head = utf8(serializeHead(response, httpDate(clock.now()), "1.1", false, common));
  answerAndClose(socket, concatBytes(head, response.body as Uint8Array));
}
