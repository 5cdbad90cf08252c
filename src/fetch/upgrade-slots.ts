import type { WebSocketAccept } from "../websocket/accept.ts";

/**
 * The slots that carry an upgrade between upgradeWebSocket() and the server answering the
 * request. Registered symbols (Symbol.for), so that every copy of sundial in a process agrees:
 * an app's `sundial/hono` or `sundial` import may be another copy of the code than the server
 * running it (the command line's bundle, an executable).
 */
/** On a request sundial is answering (request.ts): its parsed head, when its connection can be upgraded. */
export const HANDSHAKE_SLOT: unique symbol = Symbol.for("sundial.websocket.handshake") as never;
/** On the response upgradeWebSocket() made: what the server needs to switch, and for which request. */
export const SWITCH_SLOT: unique symbol = Symbol.for("sundial.websocket.switch") as never;

/** What the server finds on an upgrade's response (fetch-app.ts). */
export interface SwitchTicket {
  readonly request: Request;
  readonly accept: WebSocketAccept;
  /** The server answered otherwise (426 for a version other than 13): the socket fails. */
  readonly refused: () => void;
}

/** The ticket on a response upgradeWebSocket() made, else null. */
export function switchTicket(response: Response): SwitchTicket | null {
  return (response as { [SWITCH_SLOT]?: SwitchTicket })[SWITCH_SLOT] ?? null;
}
