import type { App } from "../app.ts";
import type { HttpResponse } from "../http/response.ts";
import { abortRequest, lazyRequest, requestUrl } from "./request.ts";
import { toHttpResponse } from "./response.ts";

/** The second argument of a fetch handler: who is asking (the ServeHandlerInfo shape of Deno's serve()). */
export interface ServeInfo {
  readonly remoteAddr: { readonly hostname: string; readonly port: number; readonly transport: "tcp" };
}

/** An app written as a fetch handler: Bun's and Deno's serve(), Cloudflare Workers, Hono and srvx speak it. */
export type FetchHandler = (request: Request, info: ServeInfo) => Response | Promise<Response>;

export interface FetchAppOptions {
  /** The URL scheme requests are given ("http"; "https" behind TLS). */
  readonly scheme?: string;
  /** The authority for a request without a Host field (HTTP/1.0), e.g. "localhost:8000". */
  readonly fallbackHost: string;
}

/**
 * A fetch handler as an App on the core: each parsed request becomes a lazy Request
 * (request.ts), its body read from the socket as the app reads it, and the app's Response goes
 * out with the server's framing (response.ts). A handler that throws, rejects, or answers
 * something other than a Response is a 500 and a log entry (the connection's one catch).
 */
export function fetchApp(handler: FetchHandler, options: FetchAppOptions): App {
  const scheme = options.scheme ?? "http";
  return {
    readsBodies: true,
    headers: [],
    handle: (head, context) => {
      // Behind a trusted proxy, the URL is the one the client used (X-Forwarded-Proto, -Host).
      const forwarded = context.forwarded;
      const url = forwarded === null
        ? requestUrl(head, scheme, options.fallbackHost)
        : requestUrl(head, forwarded.scheme ?? scheme, options.fallbackHost, forwarded.host);
      const request = lazyRequest(head, url, context.body);
      context.onGone(() => abortRequest(request));
      const info: ServeInfo = {
        remoteAddr: { hostname: context.client.address, port: context.client.port, transport: "tcp" },
      };
      const answer = handler(request, info);
      const converted = answer instanceof Response
        ? toHttpResponse(answer)
        : Promise.resolve(answer).then(checked).then(toHttpResponse);
      // Frameworks answer HEAD with the GET's fields and a null body: its length is not known.
      return head.method === "HEAD" ? converted.then(forHead) : converted;
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
