import type { App } from "../app.ts";
import type { HttpResponse } from "../http/response.ts";
import { wrongVersion } from "../websocket/handshake.ts";
import { abortRequest, lazyRequest, requestUrl } from "./request.ts";
import type { HeldBody } from "../ports/held-body.ts";
import { heldHttpResponse, toHttpResponse } from "./response.ts";
import { Topics, type WebSocketData } from "./topics.ts";
import { switchTicket } from "./upgrade-slots.ts";
import { bunAccept, limitsOf, type UpgradeOptions, type WebSocketHandler } from "./websocket.ts";

/**
 * The second argument of a fetch handler: who is asking (the ServeHandlerInfo shape of Deno's
 * serve()), and the part of Bun's Server an app uses while answering: upgrade() to a WebSocket,
 * requestIP(), publish() to a topic's subscribers.
 */
export interface ServeInfo {
  readonly remoteAddr: { readonly hostname: string; readonly port: number; readonly transport: "tcp" };
  /**
   * Takes the request's connection as a WebSocket (Bun's server.upgrade): true when it is a
   * valid opening handshake (the handler then returns nothing, or anything: it is not sent);
   * false when it is not one (the handler answers it). Throws a TypeError when the server has
   * no `websocket` handler, as Bun's does.
   */
  upgrade<T = unknown>(request: Request, options?: UpgradeOptions<T>): boolean;
  /** The client's address (Bun's server.requestIP). */
  requestIP(request: Request): { readonly address: string; readonly port: number } | null;
  /** Sends to every WebSocket subscribed to topic; the bytes sent, 0 when none took it. */
  publish(topic: string, data: WebSocketData): number;
  subscriberCount(topic: string): number;
}

/**
 * An app written as a fetch handler: Bun's and Deno's serve(), Cloudflare Workers, Hono and srvx
 * speak it. After a successful info.upgrade() it may return undefined, as in Bun.
 */
export type FetchHandler = (
  request: Request,
  info: ServeInfo,
) => Response | undefined | Promise<Response | undefined>;

export interface FetchAppOptions {
  /** The URL scheme requests are given ("http"; "https" behind TLS). */
  readonly scheme?: string;
  /** The authority for a request without a Host field (HTTP/1.0), e.g. "localhost:8000". */
  readonly fallbackHost: string;
  /** Bun's `websocket` handler: without it, info.upgrade() throws. */
  readonly websocket?: WebSocketHandler<never>;
  /** The runtime's way to take a body it holds in memory without its stream (src/ports/held-body.ts). */
  readonly heldBody?: HeldBody;
}

/** What stands for the app's answer once it took the handshake: the connection writes the 101 instead. */
const SWITCHED: HttpResponse = { status: 101, headers: [], body: null };

const NO_WEBSOCKET = 'To enable websocket support, set the "websocket" object in serve({})';

/**
 * A fetch handler as an App on the core: each parsed request becomes a lazy Request
 * (request.ts), its body read from the socket as the app reads it, and the app's Response goes
 * out with the server's framing (response.ts). A handler that throws, rejects, or answers
 * something other than a Response is a 500 and a log entry (the connection's one catch).
 */
export function fetchApp(handler: FetchHandler, options: FetchAppOptions): App {
  const scheme = options.scheme ?? "http";
  const websocket = options.websocket;
  const limits = websocket === undefined ? null : limitsOf(websocket);
  const topics = new Topics();
  const held = options.heldBody;
  const convert = (response: Response): HttpResponse | Promise<HttpResponse> =>
    (held === undefined ? null : heldHttpResponse(response, held)) ?? toHttpResponse(response);
  return {
    readsBodies: true,
    headers: [],
    handle: (head, context) => {
      // Behind a trusted proxy, the URL is the one the client used (X-Forwarded-Proto, -Host).
      const forwarded = context.forwarded;
      const url = forwarded === null
        ? requestUrl(head, scheme, options.fallbackHost)
        : requestUrl(head, forwarded.scheme ?? scheme, options.fallbackHost, forwarded.host);
      const request = lazyRequest(head, url, context.body, context.upgrade !== undefined);
      context.onGone(() => abortRequest(request));
      let switched = false;
      const client = context.client;
      const info: ServeInfo = {
        remoteAddr: { hostname: client.address, port: client.port, transport: "tcp" },
        upgrade: (req, upgradeOptions) => {
          if (websocket === undefined || limits === null) throw new TypeError(NO_WEBSOCKET);
          if (req !== request || context.upgrade === undefined || switched) return false;
          const accept = bunAccept(websocket, limits, upgradeOptions as UpgradeOptions<never>, client.address, topics);
          return switched = context.upgrade(accept);
        },
        requestIP: () => ({ address: client.address, port: client.port }),
        publish: (topic, data) => topics.publish(topic, data, null),
        subscriberCount: (topic) => topics.subscriberCount(topic),
      };
      // The response of upgradeWebSocket() (Deno's shape) for this request: the connection switches.
      const answered = (response: Response): HttpResponse | Promise<HttpResponse> => {
        const ticket = switchTicket(response);
        if (ticket === null || ticket.request !== request || context.upgrade === undefined || switched) {
          return convert(response);
        }
        switched = context.upgrade(ticket.accept);
        if (switched) return SWITCHED;
        // upgradeWebSocket() refused what is no handshake: this is a version other than 13 (RFC 6455 §4.4).
        ticket.refused();
        return wrongVersion();
      };
      const answer = handler(request, info);
      if (switched) return SWITCHED;
      const converted = answer instanceof Response
        ? answered(answer)
        : Promise.resolve(answer).then((value) => (switched ? SWITCHED : answered(checked(value))));
      // Frameworks answer HEAD with the GET's fields and a null body: its length is not known.
      if (head.method !== "HEAD") return converted;
      return converted instanceof Promise ? converted.then(forHead) : forHead(converted);
    },
  };
}

function forHead(response: HttpResponse): HttpResponse {
  const body = response.body;
  return body instanceof Uint8Array && body.length === 0 ? { ...response, lengthUnknown: true } : response;
}

function checked(value: unknown): Response {
  if (value instanceof Response) return value;
  throw new TypeError(`the fetch handler must return a Response, got ${value === null ? "null" : typeof value}`);
}
