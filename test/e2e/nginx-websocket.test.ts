/**
 * WebSocket behind nginx as deploy/nginx.conf sets it up (the Upgrade map; test/support/nginx.ts
 * writes the equivalent configuration): an --app with Bun's { fetch, websocket } on each run
 * form, nginx in front, the npm ws client through it: echo, a large message both ways, the
 * server's close, the client's address nginx passed on (--trust-proxy), and plain requests
 * still on upstream keep-alive. Skipped with the reason where nginx is missing (nginx.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { findNginx, freePort, type RunningNginx, startNginx } from "../support/nginx.ts";
import { REPO_ROOT, type RunningSundial, startSundial, TARGETS } from "../support/server-process.ts";

const NGINX = findNginx();
const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-app.mjs");
const RUN_FORMS = TARGETS.filter((t) => !t.executable);

/** Opens url and collects its messages until it closes. */
function talk(
  url: string,
  send: (ws: WebSocket, received: string[]) => void,
): Promise<{ received: string[]; code: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const received: string[] = [];
    ws.on("message", (data: Buffer) => {
      received.push(data.length > 100 ? `${data.length} bytes` : data.toString());
      send(ws, received);
    });
    ws.once("close", (code: number) => resolve({ received, code }));
    ws.once("error", reject);
  });
}

if ("skip" in NGINX) {
  describe.skip(`WebSocket behind nginx: skipped, ${NGINX.skip}`, () => {
    it("nginx in front of an --app with websocket", () => {});
  });
} else {
  const nginxBin = NGINX.path;
  for (const target of RUN_FORMS) {
    describe(`WebSocket behind nginx, on ${target.name}`, () => {
      let instance: RunningSundial | undefined;
      let nginx: RunningNginx | undefined;
      let prefix = "";
      beforeAll(async () => {
        instance = await startSundial(target, ["--app", APP, "--trust-proxy", "127.0.0.1", "--quiet"]);
        prefix = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-nginx-ws-"));
        nginx = await startNginx(nginxBin, { prefix, port: await freePort(), upstreams: [instance.port] });
      }, 60_000);
      afterAll(async () => {
        await nginx?.stop();
        await instance?.stop();
        if (prefix !== "") fs.rmSync(prefix, { recursive: true, force: true });
      });

      it("relays the handshake and the messages both ways, and the server's close", async () => {
        const result = await talk(`ws://127.0.0.1:${nginx!.port}/hello`, (ws, received) => {
          if (received.length === 1) ws.send(Buffer.alloc(500_000, 1));
          else ws.send("close please");
        });
        expect(result).toEqual({ received: ["hello 127.0.0.1", "500000 bytes"], code: 1000 });
        const plain = await fetch(`http://127.0.0.1:${nginx!.port}/http`);
        expect(await plain.text()).toBe("plain http");
      });
    });
  }
}
