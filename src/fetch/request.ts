import type { RequestHead } from "../http/parser/request-head.ts";
import type { RequestBody } from "../http/request-body.ts";
import { type HeadersView, headersView, realHeaders } from "./headers-view.ts";
import { forwardRealSlots } from "./real-slots.ts";
import { bodyStream, ownBuffer, readWhole } from "./request-body-reading.ts";
import { HANDSHAKE_SLOT } from "./upgrade-slots.ts";

/**
 * A Fetch `Request` made cheaply: `request instanceof Request` holds, and method, url, headers,
 * signal, body and the body readers (text, json, arrayBuffer, bytes) are answered from the parsed
 * head and the connection's body reader directly. Anything else (clone, formData, blob, cache,
 * ...) builds a real Request once, from the same fields and body stream, and asks it. The
 * approach of @hono/node-server and srvx (a prototype chained to Request.prototype); the globals
 * are never replaced.
 */
interface State {
  readonly head: RequestHead;
  readonly url: string;
  readonly body: RequestBody | null;
  headers: HeadersView | null;
  controller: AbortController | null;
  /** Set when the client went away (an AbortSignal made later starts aborted). */
  gone: boolean;
  stream: ReadableStream<Uint8Array> | null;
  /** The body was read by a fast path (text(), json(), ...). */
  used: boolean;
  real: Request | null;
  /** Its connection can be taken as a WebSocket (upgradeWebSocket() reads the head through HANDSHAKE_SLOT). */
  readonly upgradable: boolean;
}

const STATE = Symbol("sundial.request");

function state(request: object): State {
  const s = (request as { [STATE]?: State })[STATE];
  if (s === undefined) throw new TypeError("Illegal invocation");
  return s;
}

class LazyRequest {
  // A symbol-keyed field: invisible to Object.keys and JSON, and cheaper to set than a defined property.
  readonly [STATE]: State;
  constructor(s: State) {
    this[STATE] = s;
  }
}

function signalOf(s: State): AbortSignal {
  if (s.controller === null) {
    s.controller = new AbortController();
    if (s.gone) s.controller.abort();
  }
  return s.controller.signal;
}

function streamOf(s: State): ReadableStream<Uint8Array> | null {
  if (s.body === null) return null;
  return (s.stream ??= bodyStream(s.body));
}

/** The body bytes for a fast-path reader; rejects as Fetch does when the body was used. */
function consume(s: State): Promise<Uint8Array> {
  if (s.real !== null) return s.real.arrayBuffer().then((b) => new Uint8Array(b));
  if (s.used || s.stream?.locked === true) {
    return Promise.reject(new TypeError("Body is unusable: the body has already been read"));
  }
  s.used = true;
  if (s.body === null) return Promise.resolve(new Uint8Array(0));
  if (s.stream !== null) return new Response(s.stream).arrayBuffer().then((b) => new Uint8Array(b));
  return readWhole(s.body);
}

/** The real Request behind a lazy one, built on first need. */
function realOf(s: State): Request {
  if (s.real === null) {
    const init: RequestInit & { duplex?: "half" } = {
      method: s.head.method,
      headers: realHeaders(headersOf(s)),
      signal: signalOf(s),
    };
    const stream = s.used ? null : streamOf(s);
    if (stream !== null) {
      init.body = stream;
      init.duplex = "half";
    }
    s.real = new Request(s.url, init);
  }
  return s.real;
}

function headersOf(s: State): HeadersView {
  return (s.headers ??= headersView(s.head.headers));
}

const decoder = new TextDecoder();

const own: Record<string, PropertyDescriptor> = {
  method: {
    get(this: object) {
      return state(this).head.method;
    },
  },
  url: {
    get(this: object) {
      return state(this).url;
    },
  },
  headers: {
    get(this: object) {
      const s = state(this);
      return s.real?.headers ?? headersOf(s);
    },
  },
  signal: {
    get(this: object) {
      return signalOf(state(this));
    },
  },
  body: {
    get(this: object) {
      const s = state(this);
      return s.real !== null ? s.real.body : s.used ? null : streamOf(s);
    },
  },
  bodyUsed: {
    get(this: object) {
      const s = state(this);
      return s.real !== null ? s.real.bodyUsed : s.used || (s.stream?.locked ?? false);
    },
  },
  text: {
    value(this: object) {
      return consume(state(this)).then((b) => decoder.decode(b));
    },
  },
  json: {
    value(this: object) {
      return consume(state(this)).then((b) => JSON.parse(decoder.decode(b)) as unknown);
    },
  },
  arrayBuffer: {
    value(this: object) {
      return consume(state(this)).then(ownBuffer);
    },
  },
  bytes: {
    value(this: object) {
      return consume(state(this));
    },
  },
};

// Everything else of Request.prototype (clone, formData, blob, cache, mode, ...) asks the real Request.
for (const name of Object.getOwnPropertyNames(Request.prototype)) {
  if (name === "constructor" || name in own) continue;
  const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, name)!;
  if (descriptor.get !== undefined) {
    own[name] = {
      get(this: object) {
        return Reflect.get(realOf(state(this)), name);
      },
    };
  } else if (typeof descriptor.value === "function") {
    own[name] = {
      value(this: object, ...args: unknown[]) {
        const real = realOf(state(this));
        return (Reflect.get(real, name) as (...a: unknown[]) => unknown).apply(real, args);
      },
    };
  }
}
for (const descriptor of Object.values(own)) descriptor.configurable = true;
Object.defineProperties(LazyRequest.prototype, own);
// upgradeWebSocket() (upgrade-websocket.ts) finds the head here, under a registered symbol.
Object.defineProperty(LazyRequest.prototype, HANDSHAKE_SLOT, {
  get(this: object) {
    const s = state(this);
    return s.upgradable ? s.head : null;
  },
  configurable: true,
});
Object.setPrototypeOf(LazyRequest.prototype, Request.prototype);
// As a real one's: `request.constructor === Request`, and consoles print it as a "Request".
Object.defineProperty(LazyRequest.prototype, "constructor", { value: Request, writable: true, configurable: true });
// `new Request(request)`, `fetch(request)` and inspect look inside: they get the real Request.
forwardRealSlots(LazyRequest.prototype, new Request("http://localhost/"), (r) => realOf(state(r)));

/** Already in the form the URL parser would give: a lower-case host, no default port, no dot segment. */
const PLAIN_AUTHORITY = /^[a-z0-9.-]+(:(?!80$)[0-9]+)?$|^\[[0-9a-f:.]+\](:(?!80$)[0-9]+)?$/;
const DOT_SEGMENT = /\/\.|%2e/i;

/** An absolute-form target (RFC 9112 §3.2.2): its scheme, its authority, and the rest (path and query). */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/is;

/**
 * The request URL as a Request has it (the URL standard's serialization, as `new Request` would
 * make it): the origin-form target joined to the Host; the host lower-cased, a default port
 * dropped, dot segments resolved. Built by concatenation when it is already in that form (the
 * common case), else parsed once.
 *
 * The scheme is always the connection's (or a trusted proxy's), never the client's: an
 * absolute-form target gives only its authority (RFC 9112 §3.2.2: it replaces Host) and its
 * path, so `GET https://evil.example/x` on a plain listener is `http://evil.example/x`. A host a
 * trusted proxy forwarded (`forwardedHost`) wins over both.
 */
export function requestUrl(
  head: RequestHead,
  scheme: string,
  fallbackHost: string,
  forwardedHost: string | null = null,
): string {
  let target = head.target;
  let host = forwardedHost ?? head.host ?? fallbackHost;
  if (target.charCodeAt(0) === 0x2f) {
    const query = target.indexOf("?");
    const path = query < 0 ? target : target.slice(0, query);
    if (PLAIN_AUTHORITY.test(host) && !DOT_SEGMENT.test(path) && scheme === "http") return `http://${host}${target}`;
  } else {
    const absolute = ABSOLUTE_FORM.exec(target);
    if (absolute !== null) {
      if (forwardedHost === null) host = absolute[1]!;
      const rest = absolute[2]!;
      target = rest.charCodeAt(0) === 0x2f ? rest : `/${rest}`;
    } else target = "/";
  }
  try {
    return new URL(`${scheme}://${host}${target}`).href;
  } catch {
    // The parser admitted the Host (RFC 9110 §7.2 syntax); the URL standard may still refuse it.
    return `${scheme}://${fallbackHost}${target.charCodeAt(0) === 0x2f ? target : "/"}`;
  }
}

/**
 * A lazy Request for a parsed head and its body (null when it has none); `upgradable` when its
 * connection can be taken as a WebSocket.
 */
export function lazyRequest(head: RequestHead, url: string, body: RequestBody | null, upgradable = false): Request {
  const s: State = {
    head,
    url,
    body,
    headers: null,
    controller: null,
    gone: false,
    stream: null,
    used: false,
    real: null,
    upgradable,
  };
  return new LazyRequest(s) as unknown as Request;
}

/** The client went away: the request's signal aborts (now, or as it is made). */
export function abortRequest(request: Request): void {
  const s = state(request);
  s.gone = true;
  s.controller?.abort();
}
