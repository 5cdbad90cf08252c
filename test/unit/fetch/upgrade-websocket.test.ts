import { describe, expect, it } from "vitest";
import { fetchApp, type FetchHandler } from "../../../src/fetch/fetch-app.ts";
import { upgradeWebSocket } from "../../../src/fetch/upgrade-websocket.ts";
import type { UpgradedWebSocket } from "../../../src/fetch/upgraded-websocket.ts";
import { SundialCloseEvent } from "../../../src/fetch/websocket-events.ts";
import { connect, flush } from "../../support/connection-harness.ts";
import { type FakeConnection, latin1Bytes } from "../../support/fake-ports.ts";
import { clientFrame, closeBody, closeOf, readServerFrames } from "../../support/websocket-frames.ts";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const HANDSHAKE = (extra = "", version = "13"): string =>
  `GET /chat HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;

function run(fetch: FetchHandler) {
  const app = fetchApp(fetch, { fallbackHost: "t" });
  return connect({ handle: () => app.handle, readsBodies: true });
}

async function settle(conn: FakeConnection): Promise<void> {
  for (let i = 0; i < 500 && !conn.text().includes("\r\n\r\n"); i++) await new Promise((r) => setTimeout(r, 2));
  await flush();
}

function framesAfterHead(text: string) {
  return readServerFrames(latin1Bytes(text.slice(text.indexOf("\r\n\r\n") + 4))).frames;
}

/** An echo app in Deno's shape that records what its socket sees. */
function recorded(seen: unknown[], configure: (socket: UpgradedWebSocket) => void = () => {}): FetchHandler {
  return (request) => {
    const { socket, response } = upgradeWebSocket(request);
    seen.push(["state", socket.readyState, socket.binaryType, socket.url, socket.extensions]);
    socket.onopen = (e) => seen.push(["open", e.type, socket.readyState]);
    socket.onmessage = (e) => {
      const data = (e as MessageEvent).data as unknown;
      seen.push(data instanceof ArrayBuffer ? [...new Uint8Array(data)] : data);
      if (data === "bye") socket.close(4001, "see you");
      else socket.send(data as string);
    };
    socket.addEventListener("error", (e) => seen.push(["error", e.type]));
    socket.onclose = (e) => {
      const c = e as SundialCloseEvent;
      seen.push(["close", c.code, c.reason, c.wasClean]);
    };
    configure(socket);
    return response;
  };
}

describe("Deno's upgradeWebSocket() on fetch apps", () => {
  it("returns a CONNECTING socket and a 101 the server writes; messages, close with a code", async () => {
    const seen: unknown[] = [];
    let status = 0;
    const { conn } = run((request, info) => {
      const response = recorded(seen)(request, info) as Response;
      status = response.status;
      return response;
    });
    conn.receive(HANDSHAKE());
    await settle(conn);
    expect(status).toBe(101);
    expect(conn.text()).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(conn.text()).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    conn.receive(clientFrame(0x1, "hi"));
    conn.receive(clientFrame(0x2, new Uint8Array([1, 2])));
    conn.receive(clientFrame(0x1, "bye"));
    const frames = framesAfterHead(conn.text());
    expect(frames.map((f) => f.opcode)).toEqual([0x1, 0x2, 0x8]);
    expect(closeOf(frames[2]!)).toEqual({ code: 4001, reason: "see you" });
    conn.receive(clientFrame(0x8, closeBody(4001)));
    expect(seen).toEqual([
      ["state", 0, "arraybuffer", "", ""],
      ["open", "open", 1],
      "hi",
      [1, 2],
      "bye",
      ["close", 4001, "", true],
    ]);
  });

  it("binaryType blob gives Blobs; send() takes a Blob and keeps the order", async () => {
    const seen: unknown[] = [];
    const { conn } = run((request) => {
      const { socket, response } = upgradeWebSocket(request);
      socket.binaryType = "blob";
      socket.onmessage = (e) => {
        seen.push((e as MessageEvent).data instanceof Blob);
        socket.send((e as MessageEvent).data as Blob);
        socket.send("after");
      };
      return response;
    });
    conn.receive(HANDSHAKE());
    await settle(conn);
    conn.receive(clientFrame(0x2, new Uint8Array([7, 8])));
    await new Promise((r) => setTimeout(r, 20));
    const frames = framesAfterHead(conn.text());
    expect(seen).toEqual([true]);
    expect(frames.map((f) => [f.opcode, [...f.payload]])).toEqual([[0x2, [7, 8]], [0x1, [...Buffer.from("after")]]]);
  });

  it("send() while CONNECTING throws InvalidStateError; close() checks code and reason", () => {
    const errors: string[] = [];
    const { conn } = run((request) => {
      const { socket, response } = upgradeWebSocket(request);
      for (
        const attempt of [() => socket.send("x"), () => socket.close(1005), () => socket.close(1000, "é".repeat(62))]
      ) {
        try {
          attempt();
        } catch (error) {
          errors.push((error as DOMException).name);
        }
      }
      return response;
    });
    conn.receive(HANDSHAKE());
    expect(errors).toEqual(["InvalidStateError", "InvalidAccessError", "SyntaxError"]);
  });

  it("a close() with no code sends an empty close frame (the client sees 1005)", async () => {
    const { conn } = run((request) => {
      const { socket, response } = upgradeWebSocket(request);
      socket.onopen = () => socket.close();
      return response;
    });
    conn.receive(HANDSHAKE());
    await settle(conn);
    const frames = framesAfterHead(conn.text());
    expect(frames.map((f) => [f.opcode, f.payload.length])).toEqual([[0x8, 0]]);
  });

  it("the connection ends without a close frame: error, then close 1006 not clean", async () => {
    const seen: unknown[] = [];
    const { conn } = run(recorded(seen));
    conn.receive(HANDSHAKE());
    await settle(conn);
    conn.end();
    await flush();
    expect(seen.slice(-2)).toEqual([["error", "error"], ["close", 1006, "", false]]);
  });

  it("protocol: the one asked for when offered (in the 101), else a TypeError", async () => {
    const outcomes: string[] = [];
    const { conn } = run((request) => {
      try {
        upgradeWebSocket(request, { protocol: "nope" });
      } catch (error) {
        outcomes.push((error as Error).message);
      }
      const { socket, response } = upgradeWebSocket(request, { protocol: "chat" });
      outcomes.push(socket.protocol, response.headers.get("sec-websocket-protocol") ?? "");
      return response;
    });
    conn.receive(HANDSHAKE("Sec-WebSocket-Protocol: x, chat\r\n"));
    await settle(conn);
    expect(outcomes).toEqual(["Protocol 'nope' not in the request's protocol list (non negotiable)", "chat", "chat"]);
    expect(conn.text()).toContain("sec-websocket-protocol: chat\r\n");
  });

  it("a request that is no handshake throws Deno's TypeError (the app answers it)", async () => {
    const messages: string[] = [];
    const { conn } = run((request) => {
      try {
        upgradeWebSocket(request);
      } catch (error) {
        messages.push(`${(error as Error).name}: ${(error as Error).message}`);
      }
      return new Response("no", { status: 400 });
    });
    conn.receive("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    await settle(conn);
    expect(conn.text()).toMatch(/^HTTP\/1\.1 400 /);
    expect(messages).toEqual(["TypeError: Invalid Header: 'upgrade' header must contain 'websocket'"]);
  });

  it("version 8: the server answers 426 and the socket fails (error, close 1006)", async () => {
    const seen: unknown[] = [];
    const { conn } = run(recorded(seen));
    conn.receive(HANDSHAKE("", "8"));
    await settle(conn);
    expect(conn.text()).toMatch(/^HTTP\/1\.1 426 /);
    expect(seen.slice(1)).toEqual([["error", "error"], ["close", 1006, "", false]]);
  });

  it("an upgrade's response returned for another request is no switch: a 500", async () => {
    let kept: Response | null = null;
    const { conn } = run((request) => {
      if (kept === null) {
        kept = upgradeWebSocket(request).response;
        return new Response("first");
      }
      return kept;
    });
    conn.receive(HANDSHAKE());
    await settle(conn);
    conn.receive("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    for (let i = 0; i < 100 && !conn.text().includes("500"); i++) await new Promise((r) => setTimeout(r, 2));
    expect(conn.text()).toMatch(/^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 500 /);
  });

  it("a Request sundial did not make cannot be upgraded", () => {
    expect(() => upgradeWebSocket(new Request("http://t/"))).toThrow(TypeError);
  });

  it("CloseEvent stands in only where the runtime has none", () => {
    const event = new SundialCloseEvent("close", { code: 4000, reason: "r", wasClean: true });
    expect([event instanceof Event, event.code, event.reason, event.wasClean]).toEqual([true, 4000, "r", true]);
  });
});
