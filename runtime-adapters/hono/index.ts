/**
 * `import { upgradeWebSocket } from "sundial/hono"`: Hono's WebSocket helper (hono/ws's
 * contract, as hono/deno's and hono/bun's) on sundial's Deno-shaped upgradeWebSocket(), so one
 * Hono app with WebSockets runs on sundial on Node, Deno and Bun alike:
 *
 *   app.get("/ws", upgradeWebSocket((c) => ({ onOpen, onMessage, onClose, onError })));
 *   export default app; // sundial --app app.ts, or serve({ fetch: app.fetch })
 *
 * Not a runtime adapter: a framework's, kept beside them so that the core never imports hono
 * (hono is an optional peer dependency of this subpath only). It defines no global and reads
 * none of Bun's or Deno's.
 */
import { defineWebSocketHelper, type UpgradeWebSocket, WSContext } from "hono/ws";
// The Deno-shaped upgrade itself, not the whole public API: dist/lib/hono.js carries only this part of the core.
import { upgradeWebSocket as upgrade, type UpgradeWebSocketOptions } from "../../src/fetch/upgrade-websocket.ts";
import type { UpgradedWebSocket } from "../../src/fetch/upgraded-websocket.ts";
import type { WebSocketHandler } from "../../src/fetch/websocket.ts";

/**
 * Hono's upgradeWebSocket on sundial: a request that asks for no WebSocket goes on to the next
 * handler (as hono/deno's); one that does gets the first subprotocol it offered (unless the
 * options name one), and its events (onOpen, onMessage, onClose, onError) with a WSContext whose
 * `raw` is sundial's WHATWG-shaped socket. Messages are strings, or ArrayBuffers (binaryType
 * "arraybuffer"); onClose gets a CloseEvent (sundial's own on Node 20, which has no global one).
 */
export const upgradeWebSocket: UpgradeWebSocket<UpgradedWebSocket, UpgradeWebSocketOptions> = defineWebSocketHelper(
  (c, events, options?: UpgradeWebSocketOptions) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return;
    const offered = c.req.header("sec-websocket-protocol")?.split(",")[0]?.trim();
    const { socket, response } = upgrade(c.req.raw, {
      ...(offered === undefined || offered === "" ? {} : { protocol: offered }),
      ...options,
    });
    const ws = new WSContext<UpgradedWebSocket>({
      send: (source) => socket.send(source),
      close: (code, reason) => socket.close(code, reason),
      raw: socket,
      get readyState() {
        return socket.readyState;
      },
      get protocol() {
        return socket.protocol;
      },
      url: new URL(c.req.url),
    });
    socket.onopen = (event) => events.onOpen?.(event, ws);
    socket.onmessage = (event) => events.onMessage?.(event as MessageEvent, ws);
    socket.onclose = (event) => events.onClose?.(event as Parameters<NonNullable<typeof events.onClose>>[0], ws);
    socket.onerror = (event) => events.onError?.(event, ws);
    return response;
  },
);

/**
 * For an app moved from hono/bun, which exports `{ fetch: app.fetch, websocket }`: with this
 * `websocket` the module needs no other change. sundial/hono's sockets do not use it (they need
 * no `websocket` option); it only makes the export valid.
 */
export const websocket: WebSocketHandler = { message() {} };
