/**
 * WebSockets in Deno's and Hono's shapes beside their references (issue 25):
 * - the Hono chat example through the library, `serve({ fetch: app.fetch })`, on Node, Deno and Bun;
 * - a chat written with hono/bun's `upgradeWebSocket` and `websocket`, unchanged, under
 *   `sundial --app` on Bun and on Bun.serve: the same transcript;
 * - a Deno-shaped echo app (upgradeWebSocket(request) => { socket, response }) on sundial's
 *   serve() on Deno and on Deno.serve with Deno.upgradeWebSocket: the same handshake fields,
 *   frames and closes, raw-socket scenarios as in websocket-differential.test.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledForNode, chatScenario } from "../support/hono-chat.ts";
import { REPO_ROOT, startSundial, TARGETS } from "../support/server-process.ts";
import { clientFrame, closeBody, closeOf } from "../support/websocket-frames.ts";
import { handshake, RawWebSocket } from "../support/websocket-raw.ts";

const BIN = path.join(REPO_ROOT, "node_modules", ".bin");
const APPS = path.join(REPO_ROOT, "test", "fixtures", "apps");
const SERVE_CHAT = path.join(REPO_ROOT, "examples", "hono-chat", "serve.ts");

/** Starts a command that prints "Listening on PORT" (or serve.ts's URL) and resolves with the port. */
function startListening(command: string, args: string[], env: Record<string, string> = {}): Promise<
  { port: number; child: ChildProcess }
> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /Listening on (\d+)|:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match !== null) resolve({ port: Number(match[1] ?? match[2]), child });
    });
    child.once("exit", (code) => reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}: ${out}`)));
  });
}

function stopped(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

describe("the Hono chat example through serve(), on each runtime", () => {
  let bundle: { file: string; remove(): void } | undefined;
  beforeAll(() => {
    bundle = bundledForNode(SERVE_CHAT);
  }, 60_000);
  afterAll(() => bundle?.remove());

  const runtimes: Array<[string, () => [string, string[]]]> = [
    ["node", () => [process.execPath, [bundle!.file]]],
    ["deno", () => [path.join(BIN, "deno"), ["run", "--allow-all", SERVE_CHAT]]],
    ["bun", () => [path.join(BIN, "bun"), [SERVE_CHAT]]],
  ];
  for (const [name, command] of runtimes) {
    it(`on ${name}: serve({ fetch: app.fetch }) broadcasts to every open socket`, async () => {
      const [program, args] = command();
      const { port, child } = await startListening(program, args, { PORT: "0" });
      try {
        await chatScenario(`ws://127.0.0.1:${port}`);
      } finally {
        await stopped(child);
      }
    }, 30_000);
  }
});

describe("hono/bun's upgradeWebSocket and websocket, unchanged: sundial on Bun and Bun.serve", () => {
  const app = path.join(APPS, "hono-bun-chat.ts");
  for (const target of TARGETS.filter((t) => t.name === "bun" || t.name === "bun-exe")) {
    it.skipIf(target.skip !== undefined)(`sundial --app on ${target.name}: the chat's transcript`, async () => {
      const server = await startSundial(target, ["--app", app, "--quiet"]);
      try {
        await chatScenario(`ws://127.0.0.1:${server.port}`);
      } finally {
        await server.stop();
      }
    });
  }

  it("Bun.serve: the same transcript", async () => {
    const { port, child } = await startListening(path.join(BIN, "bun"), [
      path.join(APPS, "bun-serve-websocket.ts"),
      "0",
      "./hono-bun-chat.ts",
    ]);
    try {
      await chatScenario(`ws://127.0.0.1:${port}`);
    } finally {
      await stopped(child);
    }
  });
});

/** What a client can tell of a handshake: the status and the WebSocket fields (names lower-cased). */
function handshakeView(head: string): { status: string; fields: Record<string, string> } {
  const [status, ...lines] = head.trim().split("\r\n");
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    const name = line.slice(0, at).toLowerCase();
    const value = line.slice(at + 1).trim();
    if (name.startsWith("sec-websocket") || name === "upgrade") fields[name] = value;
    if (name === "connection") fields[name] = value.toLowerCase();
  }
  return { status: status!.split(" ").slice(0, 2).join(" "), fields };
}

const frameView = (ws: RawWebSocket) =>
  ws.frames().map((f) => ({
    fin: f.fin,
    opcode: f.opcode,
    payload: f.opcode === 0x8 ? closeOf(f) : Buffer.from(f.payload).toString("hex"),
  }));

/** The scenarios against a server: what must be the same on both. */
async function denoScenarios(port: number): Promise<unknown> {
  const results: Record<string, unknown> = {};
  const ws = await RawWebSocket.connect(port, handshake("/protocol", { "Sec-WebSocket-Protocol": "x, chat" }));
  results.handshake = handshakeView(await ws.responseHead());
  ws.send(clientFrame(0x1, "plain"));
  ws.send(clientFrame(0x1, "frag", { fin: false }));
  ws.send(clientFrame(0x9, "ping"));
  ws.send(clientFrame(0x0, "ment"));
  ws.send(clientFrame(0x2, new Uint8Array([0, 255])));
  ws.send(clientFrame(0x8, closeBody(4100, "done")));
  await ws.waitClosed();
  results.clientCloses = frameView(ws);
  const closing = await RawWebSocket.connect(port, handshake("/echo"));
  results.plainHandshake = handshakeView(await closing.responseHead());
  closing.send(clientFrame(0x1, "close-me"));
  await closing.waitFrames(1);
  closing.send(clientFrame(0x8, closeBody(4000)));
  await closing.waitClosed();
  results.serverCloses = frameView(closing);
  return results;
}

describe("Deno's upgradeWebSocket(): sundial's serve() on Deno and Deno.serve, the same app", () => {
  const runner = path.join(APPS, "deno-serve-websocket.ts");
  const deno = path.join(BIN, "deno");
  let ours: { port: number; child: ChildProcess } | undefined;
  let theirs: { port: number; child: ChildProcess } | undefined;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([
      startListening(deno, ["run", "--allow-all", runner, "0", "sundial"]),
      startListening(deno, ["run", "--allow-all", runner, "0", "deno"]),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([stopped(ours?.child), stopped(theirs?.child)]);
  });

  it("a client sees the same handshake fields, frames and closes", async () => {
    const mine = await denoScenarios(ours!.port);
    const reference = await denoScenarios(theirs!.port);
    expect(mine).toEqual(reference);
    expect(mine).toMatchObject({
      handshake: { status: "HTTP/1.1 101", fields: { "sec-websocket-protocol": "chat" } },
      serverCloses: [{ opcode: 0x8, payload: { code: 4000, reason: "as asked" } }],
    });
  });
});
