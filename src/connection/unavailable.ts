import type { HttpResponse } from "../http/response.ts";
import { errorResponse } from "../http/error-page.ts";
import { refusalBytes } from "../http/refusal.ts";

/** Retry-After (RFC 9110 §10.2.3) in seconds: the overload or the slow app may have passed by then. */
const RETRY_AFTER: ReadonlyArray<readonly [string, string]> = [["Retry-After", "1"]];

/**
 * The server cannot serve this request now: a 503 (RFC 9110 §15.6.4) with Retry-After and
 * Connection: close (an app that did not answer in time).
 */
export function unavailable(): HttpResponse {
  return errorResponse(503, RETRY_AFTER, true);
}

/** The same 503's bytes, head and body in one buffer (refusalBytes), for a connection answered without its app: over a cap, or evicted while its app had the request. */
export function unavailableBytes(now: number, commonHeaders: string): Uint8Array {
  return refusalBytes(503, now, commonHeaders, RETRY_AFTER);
}
