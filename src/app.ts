import type { RequestHead } from "./http/parser/request-head.ts";
import type { HttpResponse } from "./http/response.ts";

/** The peer of a connection, as a handler may need it. */
export interface Client {
  /** Its IP address (IPv4-mapped IPv6 addresses shown as IPv4). */
  readonly address: string;
}

/** Answers one parsed request; a promise when it must wait (for the disk, say). */
export type Handler = (head: RequestHead, client: Client) => HttpResponse | Promise<HttpResponse>;

/**
 * What the server serves: the seam between the connection layer (framing, limits, timeouts)
 * and everything that decides what a response says. The static site and /time are one app
 * (src/site/site.ts); apps written as fetch handlers will be others.
 */
export interface App {
  readonly handle: Handler;
  /**
   * Header fields on every response of this app, the connection's own refusals (400, 408, 413,
   * 503 at the cap) included: its policy, such as nosniff and CORS.
   */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}
