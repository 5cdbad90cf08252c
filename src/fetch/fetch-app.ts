import type { App, RequestContext } from "../app.ts";
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

/** What every request of one app shares. */
interface Shared {
  readonly websocket: WebSocketHandler<never> | undefined;
  readonly limits: ReturnType<typeof limitsOf> | null;
  readonly topics: Topics;
  readonly held: HeldBody | undefined;
}

/**
 * One request's exchange, and the handler's second argument (ServeInfo): a class, so that a
 * request costs one object and its methods live on the prototype (they need `this`, as Bun's
 * Server methods do).
 */
class Exchange implements ServeInfo {
  /** The app took the handshake (info.upgrade(), or upgradeWebSocket()'s response). */
  switched = false;
  private addr: ServeInfo["remoteAddr"] | null = null;

  constructor(
    private readonly shared: Shared,
    readonly request: Request,
    private readonly context: RequestContext,
  ) {}

  get remoteAddr(): ServeInfo["remoteAddr"] {
    const client = this.context.client;
    return this.addr ??= { hostname: client.address, port: client.port, transport: "tcp" };
  }

  upgrade<T = unknown>(req: Request, upgradeOptions?: UpgradeOptions<T>): boolean {
    const { websocket, limits, topics } = this.shared;
    if (websocket === undefined || limits === null) throw new TypeError(NO_WEBSOCKET);
    const take = this.context.upgrade;
    if (req !== this.request || take === undefined || this.switched) return false;
    const address = this.context.client.address;
    return this.switched = take(bunAccept(websocket, limits, upgradeOptions as UpgradeOptions<never>, address, topics));
  }

  requestIP(): { readonly address: string; readonly port: number } {
    const client = this.context.client;
    return { address: client.address, port: client.port };
  }

  publish(topic: string, data: WebSocketData): number {
    return this.shared.topics.publish(topic, data, null);
  }

  subscriberCount(topic: string): number {
    return this.shared.topics.subscriberCount(topic);
  }

  /** The app's answer as the connection sends it: the 101 of upgradeWebSocket() (Deno's shape) switches. */
  answered(response: Response): HttpResponse | Promise<HttpResponse> {
    const ticket = switchTicket(response);
    const take = this.context.upgrade;
    if (ticket === null || ticket.request !== this.request || take === undefined || this.switched) {
      const held = this.shared.held;
      return (held === undefined ? null : heldHttpResponse(response, held)) ?? toHttpResponse(response);
    }
    this.switched = take(ticket.accept);
    if (this.switched) return SWITCHED;
    // upgradeWebSocket() refused what is no handshake: this is a version other than 13 (RFC 6455 §4.4).
    ticket.refused();
    return wrongVersion();
  }

  /** What the handler returned, settled: a Response, or nothing after an upgrade. */
  settled(value: Response | undefined): HttpResponse | Promise<HttpResponse> {
    return this.switched ? SWITCHED : this.answered(checked(value));
  }
}

/**
 * A fetch handler as an App on the core: each parsed request becomes a lazy Request
 * (request.ts), its body read from the socket as the app reads it, and the app's Response goes
 * out with the server's framing (response.ts). A handler that throws, rejects, or answers
 * something other than a Response is a 500 and a log entry (the connection's one catch).
 */
export function fetchApp(handler: FetchHandler, options: FetchAppOptions): App {
  const scheme = options.scheme ?? "http";
  const websocket = options.websocket;
  const shared: Shared = {
    websocket,
    limits: websocket === undefined ? null : limitsOf(websocket),
    topics: new Topics(),
    held: options.heldBody,
  };
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
      const exchange = new Exchange(shared, request, context);
      const answer = handler(request, exchange);
      if (exchange.switched) return SWITCHED;
      const converted = answer instanceof Response
        ? exchange.answered(answer)
        : Promise.resolve(answer).then((value) => exchange.settled(value));
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
