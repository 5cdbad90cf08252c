import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bundledForNode,
  CHAT_APP,
  chatClient,
  chatScenario,
  getInsecure,
  nodeWithoutTypes,
} from "../../support/hono-chat.ts";
import { pythonWebsockets } from "../../support/python-websockets.ts";
import { startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

/** Joins the chat as "py" with Python's websockets: what it receives, one line each. */
const PYTHON_CHATTER = `
import asyncio, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1] + "/chat?name=py") as ws:
        print(await ws.recv())
        await ws.send("from python")
        print(await ws.recv())
        await ws.send(bytes(1000))
        print(await ws.recv())
asyncio.run(main())
`;

/**
 * The Hono chat example (examples/hono-chat/: `upgradeWebSocket` from "sundial/hono") under
 * `sundial --app` with no other flag: two npm `ws` clients over ws:// and wss://, every message
 * broadcast to every open socket. Node 20 loads no .ts: there the example is bundled to one .mjs
 * first (the recipe of examples/README.md), which also puts a second copy of sundial's WebSocket
 * code in the process (the app's), next to the server's.
 */
export function honoChatTests({ target }: SuiteContext): void {
  describe("--app: the Hono chat example with sundial/hono's upgradeWebSocket", () => {
    let app = CHAT_APP;
    let bundle: { file: string; remove(): void } | null = null;
    beforeAll(() => {
      if (!nodeWithoutTypes(target.name)) return;
      bundle = bundledForNode(CHAT_APP);
      app = bundle.file;
    }, 60_000);
    afterAll(() => bundle?.remove());

    for (const tls of [false, true]) {
      it(`broadcasts to every open socket over ${tls ? "wss" : "ws"}://, and a plain GET is the app's 400`, async () => {
        const server = await startSundial(target, ["--app", app, "--quiet", ...(tls ? ["--tls-self-signed"] : [])]);
        try {
          await chatScenario(`${tls ? "wss" : "ws"}://127.0.0.1:${server.port}`);
          const plain = await getInsecure(`${server.scheme}://127.0.0.1:${server.port}/chat`);
          expect(plain).toEqual({ status: 400, body: "a WebSocket endpoint: connect with ws:// or wss://" });
        } finally {
          await server.stop();
        }
      });
    }

    const skipPython = pythonWebsockets();
    it.skipIf(skipPython !== null)(
      skipPython === null ? "Python's websockets client chats with a ws client" : `skipped: ${skipPython}`,
      async () => {
        const server = await startSundial(target, ["--app", app, "--quiet"]);
        try {
          const ann = await chatClient(`ws://127.0.0.1:${server.port}/chat?name=ann`);
          expect(await ann.next()).toBe("* ann joined (1 here)");
          // Synchronous: ann's messages wait in its socket meanwhile.
          const run = spawnSync("/usr/bin/python3", ["-c", PYTHON_CHATTER, `ws://127.0.0.1:${server.port}`], {
            encoding: "utf8",
            timeout: 20_000,
          });
          expect(run.stderr).toBe("");
          expect(run.stdout).toBe("* py joined (2 here)\npy: from python\npy sent 1000 bytes\n");
          const seen = [await ann.next(), await ann.next(), await ann.next(), await ann.next()];
          expect(seen).toEqual(["* py joined (2 here)", "py: from python", "py sent 1000 bytes", "* py left"]);
          expect(await ann.close()).toBe(1000);
        } finally {
          await server.stop();
        }
      },
    );
  });
}
