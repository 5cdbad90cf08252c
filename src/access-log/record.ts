/**
 * What the access log knows of one request once its response is done: the connection layer
 * fills one in per request, and format.ts turns it into a line. Strings are as the parser gave
 * them (latin-1: one char per byte of the request head).
 */
export interface AccessRecord {
  /** The peer's address as people write it (src/http/client-address.ts: mapped IPv4 plain). */
  readonly client: string;
  /** When the request head was complete, ms since the Unix epoch (Clock.now()). */
  readonly startedMs: number;
  readonly method: string;
  /** The request-target as sent (RFC 9112 §3.2), not decoded. */
  readonly target: string;
  readonly version: "1.0" | "1.1" | "2.0";
  /** The status sent (the final one, as Apache's %>s). */
  readonly status: number;
  /** Bytes of the response body sent, excluding the head and chunked framing. */
  readonly bodyBytes: number;
  readonly referer: string | null;
  readonly userAgent: string | null;
  /** From the head complete to the last byte queued, in ms (may be fractional). */
  readonly durationMs: number;
  readonly requestId: string;
  /** 1 for the first request on a connection, 2 for the next, and so on (keep-alive). */
  readonly connectionRequests: number;
  /** The Host field (RFC 9110 §7.2), or null without one (HTTP/1.0). */
  readonly host: string | null;
  /** "https" or "http": the connection's, or what a trusted proxy said (json only, as host). */
  readonly scheme: string;
}
