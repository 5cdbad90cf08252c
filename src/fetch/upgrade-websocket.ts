import type { RequestHead } from "../http/parser/request-head.ts";
import type { WebSocketAccept } from "../websocket/accept.ts";
import { checkHandshake } from "../websocket/handshake.ts";
import { WEBSOCKET_DEFAULTS, type WebSocketLimits } from "../websocket/options.ts";
import { HANDSHAKE_SLOT, SWITCH_SLOT, type SwitchTicket } from "./upgrade-slots.ts";
import { UpgradedWebSocket } from "./upgraded-websocket.ts";

/** Deno's UpgradeWebSocketOptions. */
export interface UpgradeWebSocketOptions {
  /** The subprotocol to accept: one the client offered (Sec-WebSocket-Protocol), else a TypeError. */
  readonly protocol?: string;
  /** Seconds without input before the connection is closed (1001), pinging at half of it (default 120; 0: never). */
  readonly idleTimeout?: number;
}

/** What Deno's upgradeWebSocket() returns. */
export interface WebSocketUpgrade {
  /** The server's end, WHATWG-shaped; CONNECTING until `response` is returned and the 101 written. */
  readonly socket: UpgradedWebSocket;
  /** The 101 to return from the fetch handler (the server writes it, with Sec-WebSocket-Accept). */
  readonly response: Response;
}

/**
 * Deno's `upgradeWebSocket(request, options)` on sundial: checks that the request is an opening
 * handshake (RFC 6455 §4.2.1) on a connection sundial is answering, else throws a TypeError (with
 * Deno's words for the fields Deno checks), and returns the socket and the 101 response. The
 * socket opens once the handler returns that response; returned from another request's handler,
 * or not at all, it never opens. No `websocket` option of serve() is needed.
 */
export function upgradeWebSocket(request: Request, options: UpgradeWebSocketOptions = {}): WebSocketUpgrade {
  const head = (request as { [HANDSHAKE_SLOT]?: RequestHead | null })[HANDSHAKE_SLOT];
  if (head === undefined || head === null) {
    throw new TypeError(
      "upgradeWebSocket: the request is not one a sundial server is answering on a connection it can upgrade",
    );
  }
  refuseInvalid(head);
  const protocol = chosenProtocol(request, options.protocol);
  const socket = new UpgradedWebSocket(protocol);
  const fields: Array<readonly [string, string]> = protocol === "" ? [] : [["sec-websocket-protocol", protocol]];
  const accept: WebSocketAccept = {
    headers: fields,
    limits: limitsFor(options),
    events: (session) => socket.attach(session),
  };
  const ticket: SwitchTicket = { request, accept, refused: () => socket.refused() };
  return { socket, response: switchingResponse(fields, ticket) };
}

/** Deno's checks and messages first, then the rest of §4.2.1 (a version other than 13 is the server's 426, not an error). */
function refuseInvalid(head: RequestHead): void {
  const check = checkHandshake(head);
  if (check.kind !== "invalid") return;
  const reason = check.reason;
  if (reason.includes("Upgrade: websocket")) {
    throw new TypeError("Invalid Header: 'upgrade' header must contain 'websocket'");
  }
  if (reason.includes("Connection: Upgrade")) {
    throw new TypeError("Invalid Header: 'connection' header must contain 'Upgrade'");
  }
  if (!head.headers.some(([name]) => name === "sec-websocket-key")) {
    throw new TypeError("Invalid Header: 'sec-websocket-key' header must be set");
  }
  throw new TypeError(`upgradeWebSocket: not an opening handshake (${reason})`);
}

/** Deno: the protocol asked for must be among those offered ("a, b"), else a TypeError. */
function chosenProtocol(request: Request, wanted: string | undefined): string {
  if (wanted === undefined || wanted === "") return "";
  const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  if (!offered.includes(wanted)) {
    throw new TypeError(`Protocol '${wanted}' not in the request's protocol list (non negotiable)`);
  }
  return wanted;
}

function limitsFor(options: UpgradeWebSocketOptions): WebSocketLimits {
  const idle = options.idleTimeout;
  return {
    ...WEBSOCKET_DEFAULTS,
    idleTimeoutMs: idle === undefined ? WEBSOCKET_DEFAULTS.idleTimeoutMs : idle * 1000,
    // No drop without a word: a client that reads nothing while 16 MiB wait is closed (1008).
    closeOnBackpressureLimit: true,
  };
}

/**
 * The 101 as the app sees it: `new Response` refuses a status under 200, so it is made as a 200
 * and given status 101 ("Switching Protocols") on the instance, with Upgrade, Connection and the
 * subprotocol (the server adds Sec-WebSocket-Accept when it writes it). The ticket rides on it.
 */
function switchingResponse(fields: ReadonlyArray<readonly [string, string]>, ticket: SwitchTicket): Response {
  const headers = new Headers([["upgrade", "websocket"], ["connection", "Upgrade"]]);
  for (const [name, value] of fields) headers.set(name, value);
  const response = new Response(null, { headers });
  Object.defineProperties(response, {
    status: { value: 101 },
    statusText: { value: "Switching Protocols" },
    ok: { value: false },
    [SWITCH_SLOT]: { value: ticket },
  });
  return response;
}
