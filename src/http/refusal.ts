import { errorResponse } from "./error-page.ts";
import { httpDate } from "./http-date.ts";
import { concatBytes, serializeHead, utf8 } from "./response.ts";

/**
 * The bytes of an answer the connection gives by itself, without the app: an error page with
 * Connection: close, head and body in one buffer. For a request that cannot be parsed or came
 * too slowly (400, 408, 413, 414, 431, 501, 505: what follows it cannot be trusted, RFC 9112
 * §9.6), and a connection evicted at the cap while its request arrives (408, RFC 9110 §15.5.9).
 */
export function refusalBytes(
  status: number,
  now: number,
  commonHeaders: string,
  extraHeaders: ReadonlyArray<readonly [string, string]> = [],
): Uint8Array {
  const response = errorResponse(status, extraHeaders, true);
  const head = utf8(serializeHead(response, httpDate(now), "1.1", false, commonHeaders));
  return concatBytes(head, response.body as Uint8Array);
}
