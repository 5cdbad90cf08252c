import { describe, expect, it } from "vitest";
import { fetchApp, type FetchHandler } from "../../../src/fetch/fetch-app.ts";
import type { WebSocketHandler } from "../../../src/fetch/websocket.ts";
import { connect, flush } from "../../support/connection-harness.ts";
import { type FakeConnection, latin1Bytes } from "../../support/fake-ports.ts";
import { clientFrame, closeBody, closeOf, readServerFrames } from "../../support/websocket-frames.ts";

const HANDSHAKE = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

function run(fetch: FetchHandler, websocket?: WebSocketHandler<never>) {
  const app = fetchApp(fetch, { fallbackHost: "t", websocket });
  return connect({ handle: () => app.handle, readsBodies: true });
}

/** Waits until a response head is out (a 101's accept value is hashed by crypto.subtle, off the microtask queue). */
async function settle(...conns: FakeConnection[]): Promise<void> {
  for (let i = 0; i < 500 && conns.some((c) => !c.text().includes("\r\n\r\n")); i++) {
    await new Promise((r) => setTimeout(r, 2));
  }
  await flush();
}

function framesAfterHead(text: string) {
  return readServerFrames(latin1Bytes(text.slice(text.indexOf("\r\n\r\n") + 4))).frames;
}

describe("Bun's WebSocket API on fetch apps", () => {
  it("upgrade() without a websocket handler throws, as Bun's (the app's 500)", async () => {
    const { conn, errors } = run((request, server) => {
      server.upgrade(request);
      return new Response("unreached");
    });
    conn.receive(HANDSHAKE("/"));
    await settle(conn);
    expect(conn.text()).toMatch(/^HTTP\/1\.1 500 /);
    expect(errors.join("\n")).toContain('set the "websocket" object');
  });

  it("data, headers, remoteAddress, text and binary messages, close with a code", async () => {
    const seen: unknown[] = [];
    const { conn } = run(
      (request, server) =>
        server.upgrade(request, { data: { user: "ann" }, headers: { "X-Hello": "1" } })
          ? undefined
          : new Response("no", { status: 400 }),
      {
        open(ws) {
          const w = ws as unknown as { data: { user: string }; remoteAddress: string; readyState: number };
          seen.push(["open", w.data.user, w.remoteAddress, w.readyState]);
        },
        message(ws, message) {
          seen.push(typeof message === "string" ? message : [...message]);
          if (message === "bye") ws.close(4001, "see you");
          else ws.send(message);
        },
        close(_ws, code, reason) {
          seen.push(["close", code, reason]);
        },
      },
    );
    conn.receive(HANDSHAKE("/"));
    await settle(conn);
    expect(conn.text()).toContain("x-hello: 1\r\n");
    conn.receive(clientFrame(0x1, "hi"));
    conn.receive(clientFrame(0x2, new Uint8Array([1, 2])));
    conn.receive(clientFrame(0x1, "bye"));
    const frames = framesAfterHead(conn.text());
    expect(frames.map((f) => f.opcode)).toEqual([0x1, 0x2, 0x8]);
    expect(closeOf(frames[2]!)).toEqual({ code: 4001, reason: "see you" });
    conn.receive(clientFrame(0x8, closeBody(4001)));
    expect(seen).toEqual([["open", "ann", "192.0.2.1", 1], "hi", [1, 2], "bye", ["close", 4001, ""]]);
  });

  it("a request that is no handshake: upgrade() is false and the app's answer goes out", async () => {
    const { conn } = run(
      (request, server) => server.upgrade(request) ? undefined : new Response("no", { status: 400 }),
      { message() {} },
    );
    conn.receive("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    await settle(conn);
    expect(conn.text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*no$/);
  });

  it("close() refuses codes a server may not send and reasons over 123 bytes", async () => {
    const thrown: string[] = [];
    const { conn } = run((request, server) => void server.upgrade(request), {
      open(ws) {
        for (const [code, reason] of [[1005, ""], [1006, ""], [2000, ""], [1000, "x".repeat(124)]] as const) {
          try {
            ws.close(code, reason);
          } catch (error) {
            thrown.push((error as Error).name);
          }
        }
      },
      message() {},
    });
    conn.receive(HANDSHAKE("/"));
    await settle(conn);
    expect(thrown).toEqual(["RangeError", "RangeError", "RangeError", "RangeError"]);
  });

  it("publish reaches a topic's other subscribers (and the server's publish all of them)", async () => {
    let publishFromServer: ((text: string) => number) | null = null;
    const app = fetchApp((request, server) => {
      publishFromServer = (text) => server.publish("room", text);
      return server.upgrade(request) ? undefined : new Response("no");
    }, {
      fallbackHost: "t",
      websocket: {
        open: (ws) => ws.subscribe("room"),
        message: (ws, message) => void ws.publish("room", message),
      },
    });
    const a = connect({ handle: () => app.handle, readsBodies: true });
    const b = connect({ handle: () => app.handle, readsBodies: true });
    a.conn.receive(HANDSHAKE("/"));
    b.conn.receive(HANDSHAKE("/"));
    await settle(a.conn, b.conn);
    a.conn.receive(clientFrame(0x1, "from a"));
    expect(framesAfterHead(a.conn.text())).toEqual([]);
    expect(new TextDecoder().decode(framesAfterHead(b.conn.text())[0]!.payload)).toBe("from a");
    expect(publishFromServer!("all")).toBe(3);
    expect(framesAfterHead(a.conn.text()).length).toBe(1);
  });
});
