import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Handler } from "../../../src/app.ts";
import type { HttpResponse } from "../../../src/http/response.ts";
import type { WebSocketAccept } from "../../../src/websocket/accept.ts";
import { WEBSOCKET_DEFAULTS, type WebSocketLimits } from "../../../src/websocket/options.ts";
import { nodeCompressor } from "../../../runtime-adapters/shared-node/compress.ts";
import { connect, flush, serve } from "../../support/connection-harness.ts";
import { type FakeConnection, latin1Bytes } from "../../support/fake-ports.ts";
import { clientFrame, closeBody, closeOf, readServerFrames } from "../../support/websocket-frames.ts";

const HANDSHAKE = "GET /chat HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

const OK: HttpResponse = { status: 200, headers: [], body: latin1Bytes("plain") };

/** An app that takes every handshake and echoes; `log` records what the session told it and upgrade()'s result. */
function echoApp(log: string[], limits: WebSocketLimits = WEBSOCKET_DEFAULTS): Handler {
  return (_head, context) => {
    const accept: WebSocketAccept = {
      headers: [["Sec-WebSocket-Protocol", "chat"], ["Sec-WebSocket-Extensions", "made-up"]],
      limits,
      events: (session) => ({
        open: () => log.push("open"),
        message: (m) => void (m.kind === "text" ? session.sendText(m.text) : session.sendBinary(m.data)),
        ping: () => {},
        pong: () => {},
        drain: () => {},
        close: (code) => log.push(`close:${code}`),
      }),
    };
    log.push(`upgrade:${context.upgrade?.(accept)}`);
    return OK;
  };
}

/** Waits for the 101's head (its accept value is hashed by crypto.subtle, off the microtask queue). */
async function switched(conn: FakeConnection): Promise<void> {
  for (let i = 0; i < 500 && !conn.text().includes("\r\n\r\n"); i++) await new Promise((r) => setTimeout(r, 2));
  await flush();
}

function split(text: string): { head: string; frames: ReturnType<typeof readServerFrames>["frames"] } {
  const end = text.indexOf("\r\n\r\n") + 4;
  return { head: text.slice(0, end), frames: readServerFrames(latin1Bytes(text.slice(end))).frames };
}

describe("the upgrade to WebSocket on a connection", () => {
  it("writes the 101 and hands the socket over, with the bytes that came with the head", async () => {
    const log: string[] = [];
    const { conn } = connect({ handle: () => echoApp(log) });
    const first = clientFrame(0x1, "in the same read");
    const bytes = new Uint8Array([...latin1Bytes(HANDSHAKE), ...first]);
    conn.receive(bytes);
    await switched(conn);
    const { head, frames } = split(conn.text());
    expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(head).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    expect(head).toContain("Sec-WebSocket-Protocol: chat\r\n");
    expect(head).not.toContain("Content-Length");
    // The server sets Sec-WebSocket-Extensions itself (none agreed here): the app's is dropped.
    expect(head).not.toContain("Sec-WebSocket-Extensions");
    expect(new TextDecoder().decode(frames[0]!.payload)).toBe("in the same read");
    expect(log).toEqual(["upgrade:true", "open"]);
    conn.receive(clientFrame(0x8, closeBody(1000)));
    expect(closeOf(readServerFrames(latin1Bytes(conn.text().slice(head.length))).frames.at(-1)!).code).toBe(1000);
    expect(conn.ended).toBe(true);
    expect(log.at(-1)).toBe("close:1000");
  });

  it("a request that is no handshake: upgrade() is false and the app answers", async () => {
    const log: string[] = [];
    const { conn } = connect({ handle: () => echoApp(log) });
    conn.receive("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    await flush();
    expect(conn.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*plain$/);
    expect(log).toEqual(["upgrade:false"]);
  });

  it("another version: 426 with Sec-WebSocket-Version: 13, whatever the app answered", async () => {
    const log: string[] = [];
    const { conn } = connect({ handle: () => echoApp(log) });
    conn.receive(HANDSHAKE.replace("Version: 13", "Version: 8"));
    await flush();
    expect(conn.text()).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect(conn.text()).toContain("Sec-WebSocket-Version: 13\r\n");
    expect(conn.text()).toContain("Connection: close\r\n");
    expect(log).toEqual(["upgrade:false"]);
  });

  it("a protocol error: close 1002, then the connection ends after lingering", async () => {
    const log: string[] = [];
    const { conn, clock } = connect({ handle: () => echoApp(log) });
    conn.receive(HANDSHAKE);
    await switched(conn);
    const headLength = conn.text().indexOf("\r\n\r\n") + 4;
    conn.receive(clientFrame(0x1, "x", { masked: false }));
    const frames = readServerFrames(latin1Bytes(conn.text().slice(headLength))).frames;
    expect(closeOf(frames[0]!).code).toBe(1002);
    expect(log.at(-1)).toBe("close:1002");
    expect(conn.ended).toBe(false);
    clock.advance(100);
    expect(conn.ended).toBe(true);
  });

  it("the client gone: the app hears 1006", async () => {
    const log: string[] = [];
    const { conn } = connect({ handle: () => echoApp(log) });
    conn.receive(HANDSHAKE);
    await switched(conn);
    conn.peerClose();
    expect(log).toEqual(["upgrade:true", "open", "close:1006"]);
  });

  it("shutdown closes an open WebSocket with 1001 and waits for its close", async () => {
    const log: string[] = [];
    const served = serve({ handle: () => echoApp(log) });
    const conn = served.accept();
    conn.receive(HANDSHAKE);
    await switched(conn);
    const headLength = conn.text().indexOf("\r\n\r\n") + 4;
    const { closed } = await served.shutdown();
    const frames = readServerFrames(latin1Bytes(conn.text().slice(headLength))).frames;
    expect(closeOf(frames[0]!)).toEqual({ code: 1001, reason: "server shutting down" });
    conn.receive(clientFrame(0x8, closeBody(1001)));
    expect(conn.ended).toBe(true);
    await flush();
    served.clock.advance(100);
    await closed;
    expect(log.at(-1)).toBe("close:1001");
  });

  describe("with permessage-deflate (RFC 7692)", () => {
    const DEFLATE = { ...WEBSOCKET_DEFAULTS, perMessageDeflate: { compress: "shared", decompress: "shared" } } as const;
    const OFFER = HANDSHAKE.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n");

    it("agrees on it in the 101, inflates a compressed message with input paused meanwhile, and compresses the echo", async () => {
      const log: string[] = [];
      const { conn } = connect({ handle: () => echoApp(log, DEFLATE), compressor: nodeCompressor });
      conn.receive(OFFER);
      await switched(conn);
      expect(conn.text()).toContain(
        "\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n",
      );
      const text = "deflated ".repeat(200);
      const compressed = zlib.deflateRawSync(Buffer.from(text), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      conn.receive(clientFrame(0x1, new Uint8Array(compressed.subarray(0, -4)), { rsv: 4 }));
      expect(conn.paused).toBe(true);
      for (let i = 0; i < 500 && split(conn.text()).frames.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(conn.paused).toBe(false);
      const echo = split(conn.text()).frames[0]!;
      expect(echo.rsv1).toBe(true);
      const inflated = zlib.inflateRawSync(Buffer.concat([echo.payload, Buffer.from([0, 0, 0xff, 0xff])]), {
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      expect(inflated.toString()).toBe(text);
    });

    it("is never agreed without a compressor that has raw streams, nor when the app leaves it off", async () => {
      for (const [limits, compressor] of [[DEFLATE, undefined], [WEBSOCKET_DEFAULTS, nodeCompressor]] as const) {
        const { conn } = connect({ handle: () => echoApp([], limits), compressor });
        conn.receive(OFFER);
        await switched(conn);
        expect(conn.text()).toMatch(/^HTTP\/1\.1 101 /);
        expect(conn.text()).not.toContain("Sec-WebSocket-Extensions");
        // Not agreed: RSV1 is a protocol error.
        conn.receive(clientFrame(0x1, "x", { rsv: 4 }));
        await flush();
        expect(closeOf(split(conn.text()).frames.at(-1)!).code).toBe(1002);
      }
    });
  });
});
