import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledForNode, CHAT_APP, chatScenario, getInsecure, nodeWithoutTypes } from "../../support/hono-chat.ts";
import { startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

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
  });
}
