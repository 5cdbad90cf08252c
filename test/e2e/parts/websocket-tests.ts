import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import { pythonWebsockets } from "../../support/python-websockets.ts";
import { lineMatching } from "../../support/wait.ts";
import { clientFrame, closeBody, closeOf, type ServerFrame } from "../../support/websocket-frames.ts";
import { ACCEPT, handshake, RawWebSocket } from "../../support/websocket-raw.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-app.mjs");
const decoder = new TextDecoder();
const text = (frame: ServerFrame | undefined): string => decoder.decode(frame?.payload);

/** Opens a raw WebSocket on path and checks its 101. */
async function open(port: number, wsPath = "/echo"): Promise<RawWebSocket> {
  const ws = await RawWebSocket.connect(port, handshake(wsPath));
  expect(await ws.responseHead()).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  return ws;
}

/** The one close frame a server sends, and that it then closes the TCP connection. */
async function closedWith(ws: RawWebSocket, count = 1): Promise<{ code: number | null; reason: string }> {
  const frames = await ws.waitFrames(count);
  const last = frames.at(-1);
  expect(last?.opcode).toBe(0x8);
  expect(await ws.waitClosed()).toBe(true);
  return closeOf(last!);
}

/** A client from npm's ws (the standard Node client), its messages queued from the start. */
interface Client {
  readonly ws: WebSocket;
  next(): Promise<{ data: Buffer; binary: boolean }>;
  closed(): Promise<{ code: number; reason: string }>;
}

function wsClient(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
  const ws = new WebSocket(url, options);
  const queue: Array<{ data: Buffer; binary: boolean }> = [];
  const waiting: Array<() => void> = [];
  ws.on("message", (data: Buffer, binary: boolean) => {
    queue.push({ data, binary });
    for (const fn of waiting.splice(0)) fn();
  });
  const closing = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }))
  );
  const client: Client = {
    ws,
    next: async () => {
      while (queue.length === 0) await new Promise<void>((resolve) => waiting.push(resolve));
      return queue.shift()!;
    },
    closed: () => closing,
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
  });
}

const PYTHON_CLIENT = `
import asyncio, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1]) as ws:
        await ws.send("from python")
        print(await ws.recv())
        await ws.send(bytes(range(256)) * 1000)
        print(len(await ws.recv()))
asyncio.run(main())
`;

/** WebSocket (RFC 6455) with --app, Bun's { fetch, websocket } shape, on every target. */
export function websocketTests({ target }: SuiteContext): void {
  describe("WebSocket: an --app module's { fetch, websocket }", () => {
    let server: RunningSundial;
    beforeAll(async () => {
      server = await startSundial(target, ["--app", APP, "--log-format", "json", "--metrics"]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("answers the handshake with 101 and the accept value (RFC 6455 §4.2.2), and echoes", async () => {
      const ws = await RawWebSocket.connect(server.port, handshake("/protocol"));
      const head = await ws.responseHead();
      expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      expect(head).toMatch(/\r\nUpgrade: websocket\r\n/);
      expect(head).toMatch(/\r\nConnection: Upgrade\r\n/);
      expect(head).toContain(`\r\nSec-WebSocket-Accept: ${ACCEPT}\r\n`);
      expect(head.toLowerCase()).toContain("\r\nsec-websocket-protocol: chat\r\n");
      ws.send(clientFrame(0x1, "echo me"));
      const frames = await ws.waitFrames(1);
      expect(frames[0]).toMatchObject({ fin: true, opcode: 0x1, masked: false });
      expect(text(frames[0])).toBe("echo me");
      ws.send(clientFrame(0x8, closeBody(1000)));
      expect(await closedWith(ws, 2)).toEqual({ code: 1000, reason: "" });
    });

    it("a frame sent with the handshake, in the same write, is the WebSocket's", async () => {
      const bytes = Buffer.concat([Buffer.from(handshake("/echo"), "latin1"), clientFrame(0x1, "early")]);
      const ws = await RawWebSocket.connect(server.port, bytes);
      await ws.responseHead();
      expect(text((await ws.waitFrames(1))[0])).toBe("early");
      ws.destroy();
    });

    it("a version other than 13: 426 with Sec-WebSocket-Version: 13 (§4.4)", async () => {
      const ws = await RawWebSocket.connect(server.port, handshake("/echo", { "Sec-WebSocket-Version": "8" }));
      const head = await ws.responseHead();
      expect(head).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
      expect(head).toContain("\r\nSec-WebSocket-Version: 13\r\n");
      ws.destroy();
    });

    it("no valid handshake (a bad key, no Upgrade): the app's own answer", async () => {
      const broken: Array<Record<string, string | null>> = [{ "Sec-WebSocket-Key": "short" }, { Upgrade: null }];
      for (const fields of broken) {
        const ws = await RawWebSocket.connect(server.port, handshake("/echo", fields));
        expect(await ws.responseHead()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
        ws.destroy();
      }
    });

    it("an unmasked client frame: close 1002 (§5.1), then the server closes", async () => {
      const ws = await open(server.port);
      ws.send(clientFrame(0x1, "bare", { masked: false }));
      expect((await closedWith(ws)).code).toBe(1002);
    });

    it("invalid UTF-8 in a text message: close 1007 (§8.1), also split across fragments", async () => {
      const ws = await open(server.port);
      ws.send(clientFrame(0x1, new Uint8Array([0x68, 0xc3, 0x28])));
      expect((await closedWith(ws)).code).toBe(1007);
      const split = await open(server.port);
      split.send(clientFrame(0x1, new Uint8Array([0xe2, 0x82]), { fin: false }));
      split.send(clientFrame(0x0, new Uint8Array([0x41]), { fin: false }));
      expect((await closedWith(split)).code).toBe(1007);
    });

    it("a fragmented text with a ping between its fragments: the pong first, then the whole message", async () => {
      const ws = await open(server.port);
      ws.send(clientFrame(0x1, "frag", { fin: false }));
      ws.send(clientFrame(0x9, "are you there"));
      ws.send(clientFrame(0x0, "men", { fin: false }));
      ws.send(clientFrame(0x0, "ted €"));
      const frames = await ws.waitFrames(2);
      expect(frames[0]!.opcode).toBe(0xa);
      expect(text(frames[0])).toBe("are you there");
      expect(frames[1]!.opcode).toBe(0x1);
      expect(text(frames[1])).toBe("fragmented €");
      ws.destroy();
    });

    it("a frame over maxPayloadLength: close 1009 without its payload being sent", async () => {
      const ws = await open(server.port);
      ws.send(clientFrame(0x2, new Uint8Array(0), { announcedLength: 2 * 1024 * 1024 }));
      expect((await closedWith(ws)).code).toBe(1009);
    });

    it("a message over maxPayloadLength in fragments each under it: 1009", async () => {
      const ws = await open(server.port);
      const half = new Uint8Array(600 * 1024);
      ws.send(clientFrame(0x2, half, { fin: false }));
      ws.send(clientFrame(0x0, half));
      expect((await closedWith(ws)).code).toBe(1009);
    });

    it("close codes: a reserved one or a 1-byte payload is 1002; a valid one is echoed", async () => {
      for (const payload of [closeBody(1005), closeBody(1006), closeBody(999), new Uint8Array([3])]) {
        const ws = await open(server.port);
        ws.send(clientFrame(0x8, payload));
        expect((await closedWith(ws)).code).toBe(1002);
      }
      const ws = await open(server.port);
      ws.send(clientFrame(0x8, closeBody(4321, "bye now")));
      expect((await closedWith(ws)).code).toBe(4321);
      const last = await fetch(`http://127.0.0.1:${server.port}/last-close`);
      expect(await last.json()).toEqual({ path: "/echo", code: 4321, reason: "bye now" });
    });

    it("the app closes: its code and reason, then it waits for the client's close", async () => {
      const ws = await open(server.port, "/close-me");
      const frames = await ws.waitFrames(1);
      expect(closeOf(frames[0]!)).toEqual({ code: 4000, reason: "as asked" });
      ws.send(clientFrame(0x8, closeBody(4000)));
      expect(await ws.waitClosed()).toBe(true);
    });

    it("the ws client from npm: text, 1 MB binary, remoteAddress, a clean close", async () => {
      const client = await wsClient(`ws://127.0.0.1:${server.port}/hello`);
      expect((await client.next()).data.toString()).toBe("hello 127.0.0.1");
      const big = Buffer.alloc(1_000_000, 7);
      client.ws.send(big);
      const echoed = await client.next();
      expect(echoed.binary).toBe(true);
      expect(Buffer.compare(echoed.data, big)).toBe(0);
      client.ws.send("close please");
      expect(await client.closed()).toEqual({ code: 1000, reason: "bye" });
    });

    it("publish: a message to /room reaches the room's other sockets", async () => {
      const [a, b] = await Promise.all([1, 2].map(() => wsClient(`ws://127.0.0.1:${server.port}/room`)));
      a!.ws.send("to the room");
      expect((await b!.next()).data.toString()).toBe("to the room");
      a!.ws.close();
      b!.ws.close();
    });

    const skipPython = pythonWebsockets();
    it.skipIf(skipPython !== null)(
      skipPython === null ? "Python's websockets client: text and binary echo" : `skipped: ${skipPython}`,
      () => {
        const run = spawnSync("/usr/bin/python3", ["-c", PYTHON_CLIENT, `ws://127.0.0.1:${server.port}/echo`], {
          encoding: "utf8",
          timeout: 20_000,
        });
        expect(run.stderr).toBe("");
        expect(run.stdout).toBe("from python\n256000\n");
      },
    );

    it("the access log: a 101 line at the upgrade, and a json line at the close with its duration", async () => {
      const ws = await open(server.port, "/echo?log-me");
      ws.send(clientFrame(0x1, "one"));
      await ws.waitFrames(1);
      ws.send(clientFrame(0x8, closeBody(1000)));
      await ws.waitClosed();
      const opened = JSON.parse(
        await lineMatching(server.stdout, /"target":"\/echo\?log-me".*"status":101/, 5000, "the 101"),
      );
      expect(opened).toMatchObject({ method: "GET", status: 101, bytes: 0 });
      const line = await lineMatching(
        server.stdout,
        /"event":"websocket_close".*log-me|log-me.*"event":"websocket_close"/,
        5000,
        "the close",
      );
      const close = JSON.parse(line);
      expect(close).toMatchObject({ status: 101, close_code: 1000, messages_in: 1, messages_out: 1 });
      expect(close.bytes).toBeGreaterThan(0);
      expect(close.duration_ms).toBeGreaterThanOrEqual(opened.duration_ms);
    });

    it(
      "--workers 2: sockets in each worker echo; SIGTERM closes every one with 1001 and the supervisor exits",
      async () => {
        const workers = await startSundial(target, ["--app", APP, "--workers", "2"]);
        const clients: Client[] = [];
        try {
          const pids = new Set<string>();
          // The kernel spreads connections over the workers (SO_REUSEPORT, or Node's cluster): open until both served one.
          for (let i = 0; i < 40 && pids.size < 2; i++) {
            const client = await wsClient(`ws://127.0.0.1:${workers.port}/pid`);
            clients.push(client);
            pids.add((await client.next()).data.toString());
          }
          expect(pids.size).toBe(2);
          for (const [i, client] of clients.entries()) {
            client.ws.send(`echo ${i}`);
            expect((await client.next()).data.toString()).toBe(`echo ${i}`);
          }
          const closings = clients.map((client) => client.closed());
          const exited = new Promise<number | null>((resolve) => workers.process.once("exit", (code) => resolve(code)));
          workers.process.kill("SIGTERM");
          for (const closing of closings) expect(await closing).toEqual({ code: 1001, reason: "server shutting down" });
          expect(await exited).toBe(0);
        } finally {
          for (const client of clients) client.ws.terminate();
          await workers.stop();
        }
      },
      60_000,
    );

    it("wss:// echoes; SIGTERM closes open sockets with 1001 and the server exits", async () => {
      const tlsServer = await startSundial(target, ["--app", APP, "--tls-self-signed"]);
      try {
        expect(tlsServer.scheme).toBe("https");
        const client = await wsClient(`wss://127.0.0.1:${tlsServer.port}/echo`, { rejectUnauthorized: false });
        client.ws.send("over tls");
        expect((await client.next()).data.toString()).toBe("over tls");
        const closing = client.closed();
        const exited = new Promise<number | null>((resolve) => tlsServer.process.once("exit", (code) => resolve(code)));
        tlsServer.process.kill("SIGTERM");
        expect(await closing).toEqual({ code: 1001, reason: "server shutting down" });
        expect(await exited).toBe(0);
      } finally {
        await tlsServer.stop();
      }
    }, 60_000);
  });
}
