import type { RequestHead } from "./http/parser/request-head.ts";
import type { RequestBody } from "./http/request-body.ts";
import type { HttpResponse } from "./http/response.ts";
import type { Upgrade } from "./websocket/accept.ts";

/** The peer of a connection, as a handler may need it. */
export interface Client {
  /** Its IP address (IPv4-mapped IPv6 addresses shown as IPv4). */
  readonly address: string;
  /** Its TCP port. */
  readonly port: number;
}

/** What a trusted proxy said of a request (src/proxy/forwarded.ts): the URL's parts as the client used them. */
export interface Forwarding {
  readonly client: Client;
  /** "http" or "https"; null: as the connection is. */
  readonly scheme: string | null;
  /** The Host the client asked for; null: the request's own. */
  readonly host: string | null;
  /** The path prefix the proxy removed ("/files"); null: none said. */
  readonly prefix: string | null;
}

/** What a handler gets besides the request's head. */
export interface RequestContext {
  /** Who asked: the peer, or the client a trusted proxy named (--trust-proxy, --proxy-protocol). */
  readonly client: Client;
  /** What a trusted proxy said of the request (its scheme, host, prefix), or null. */
  readonly forwarded: Forwarding | null;
  /**
   * The request's body, for an app that reads bodies (App.readsBodies) and a request that has
   * one; null otherwise. The connection checks its framing and --max-body as it is read.
   */
  readonly body: RequestBody | null;
  /**
   * Calls fn once if the client goes away before this request's response is written, or
   * half-closes (Deno's and Bun's own servers take a FIN as the client leaving; sundial still sends
   * the response, for clients such as `nc -N`).
   */
  onGone(fn: () => void): void;
  /**
   * Takes the connection as a WebSocket (src/websocket/accept.ts) when the request is an opening
   * handshake; absent where the connection cannot (a test's context, a server without it).
   */
  readonly upgrade?: Upgrade;
}

/** Answers one parsed request; a promise when it must wait (for the disk, say). */
export type Handler = (head: RequestHead, context: RequestContext) => HttpResponse | Promise<HttpResponse>;

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
  /**
   * Whether the app reads request bodies. Then each body is handed to the handler as it arrives
   * (RequestContext.body). Without (the static site), a body is never waited for: a request whose
   * body is still on its way is answered at once and the connection closes after it.
   */
  readonly readsBodies?: boolean;
}
