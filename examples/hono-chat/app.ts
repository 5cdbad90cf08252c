/**
 * A chat room in Hono with WebSockets: every message a client sends goes to every open socket,
 * the sender's included, as "name: text"; joins and leaves are announced. The page at / is its
 * client (page.ts). One import makes it run on sundial on Node, Deno and Bun alike:
 * `upgradeWebSocket` from "sundial/hono" (hono/bun's and hono/deno's read their runtime's
 * globals; docs/websocket.md says what else their apps change).
 *
 *   sundial --app examples/hono-chat/app.ts        (Deno, Bun, the executables; Node 20: ../README.md)
 *   bun examples/hono-chat/serve.ts                (the library: serve({ fetch: app.fetch }))
 *
 * Over TLS (`--tls-self-signed`, or serve()'s `tls`) the page connects with wss:// by itself.
 */
import { Hono } from "hono";
import type { WSContext } from "hono/ws";
import { upgradeWebSocket } from "sundial/hono";
import { PAGE } from "./page.ts";

/** The open sockets: each upgrade has one WSContext, the same in all of its events. */
const room = new Set<WSContext>();

function broadcast(text: string): void {
  for (const ws of room) ws.send(text);
}

/** A name to show: what the client asked for, trimmed to 24 characters of letters, digits, - and _. */
function nameOf(asked: string | undefined): string {
  const name = (asked ?? "").replace(/[^\p{L}\p{N}_-]/gu, "").slice(0, 24);
  return name === "" ? "guest" : name;
}

const app = new Hono();

app.get("/", (c) => c.html(PAGE));

app.get(
  "/chat",
  upgradeWebSocket((c) => {
    const name = nameOf(c.req.query("name"));
    return {
      onOpen(_event, ws) {
        room.add(ws);
        broadcast(`* ${name} joined (${room.size} here)`);
      },
      onMessage(event, _ws) {
        // Text as it came; a binary message (an ArrayBuffer) is announced by its size.
        const data = event.data;
        broadcast(
          typeof data === "string" ? `${name}: ${data}` : `${name} sent ${(data as ArrayBuffer).byteLength} bytes`,
        );
      },
      onClose(_event, ws) {
        room.delete(ws);
        broadcast(`* ${name} left`);
      },
    };
  }),
);

// A plain request to /chat (no Upgrade: websocket) comes here.
app.get("/chat", (c) => c.text("a WebSocket endpoint: connect with ws:// or wss://", 400));

export default app;
