import type { Handler } from "../app.ts";
import type { HttpLimits } from "../http/limits.ts";
import type { Clock } from "../ports/clock.ts";
import type { Compressor } from "../ports/compress.ts";
import type { HandlerPool } from "../http2/handler-pool.ts";
import type { Http2Options } from "../http2/limits.ts";
import type { ForwardingLookup, ServerObserver } from "./observer.ts";

/** What the server gives each connection: its limits, its app, and how to report back. */
export interface ConnectionContext<Connection = unknown> {
  readonly limits: HttpLimits;
  readonly clock: Clock;
  /** "https" when the listener speaks TLS, else "http" (what the access log says requests came by). */
  readonly scheme?: string;
  readonly handle: Handler;
  /** Field lines sent with every response (each ending in CRLF). */
  readonly commonHeaders: string;
  /** The same fields as pairs (Server, the app's policy, --header), for HTTP/2's HEADERS. */
  readonly commonFields?: ReadonlyArray<readonly [string, string]>;
  /**
   * HTTP/2 (RFC 9113) with these limits: a connection that opens with the client preface (§3.4:
   * prior knowledge on plain TCP, or after ALPN "h2" on TLS) is HTTP/2's. Absent: HTTP/1.1 only.
   */
  readonly http2?: Http2Options;
  /** The handler slots the server's HTTP/2 connections share (src/http2/handler-pool.ts); absent: unbounded. */
  readonly http2Pool?: HandlerPool;
  readonly logError: (message: string) => void;
  /** True once the server is shutting down: finish the current response, then close. */
  readonly isClosing: () => boolean;
  /** Called once when the connection is gone. */
  readonly onClosed: (connection: Connection) => void;
  /**
   * Read a request body that has not all arrived with its head before answering (with the body
   * deadlines of src/connection/deadline.ts). Off, as in the product today, which reads no
   * bodies: such a request is answered at once, with Connection: close and a lingering close.
   * A test seam (nothing in the product sets it): connection-timeouts.test.ts drives the body
   * deadlines through it without an app; streamBodies uses the same deadlines.
   */
  readonly readBodies?: boolean;
  /** The app reads request bodies (App.readsBodies): each is handed on as it arrives (body-channel.ts). */
  readonly streamBodies?: boolean;
  /** Who watches exchanges and event streams (the access log, the metrics). */
  readonly observer?: ServerObserver;
  /** What a trusted proxy says of a request (--trust-proxy). */
  readonly forwarding?: ForwardingLookup;
  /**
   * Whether a peer may open with a PROXY protocol header (--proxy-protocol: only trusted ones);
   * undefined: none may.
   */
  readonly acceptsProxyHeader?: (peer: string) => boolean;
  /** The runtime's compressor, for WebSocket's permessage-deflate (none: never negotiated). */
  readonly compressor?: Compressor;
}
