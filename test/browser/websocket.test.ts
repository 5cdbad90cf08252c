/**
 * WebSocket with permessage-deflate in a real browser: headless Chromium (driven over the DevTools
 * Protocol, test/support/cdp.ts) opens WebSockets from a page of the conformance echo app on each
 * runtime, agrees on the extension (Chromium offers it on every connection), and gets its texts
 * and binaries back, compressed both ways with the windows kept.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Chromium, findChromium } from "../support/cdp.ts";
import { CdpPage } from "../support/cdp-page.ts";
import { REPO_ROOT, type RunningSundial, startSundial, TARGETS } from "../support/server-process.ts";

const CHROMIUM = findChromium();
const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-conformance-app.mjs");

/** Run in the page: for each path, the extension agreed and whether every echo came back equal. */
const ROUND_TRIPS = `(async () => {
  const results = [];
  for (const path of ["/echo", "/compressed"]) {
    const ws = new WebSocket("ws://" + location.host + path);
    ws.binaryType = "arraybuffer";
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    const sent = [];
    for (const n of [0, 10, 1000, 5000, 100000, 600000]) {
      sent.push("browser ".repeat(n).slice(0, n));
      sent.push(Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff));
    }
    const echoes = [];
    const all = new Promise((resolve) => {
      ws.onmessage = (event) => { echoes.push(event.data); if (echoes.length === sent.length) resolve(); };
    });
    for (const m of sent) ws.send(m);
    await all;
    const same = (a, b) => typeof a === "string" ? a === b
      : b instanceof ArrayBuffer && a.length === b.byteLength && new Uint8Array(b).every((x, i) => x === a[i]);
    results.push({ path, extensions: ws.extensions, equal: sent.every((m, i) => same(m, echoes[i])) });
    ws.close(1000);
  }
  return results;
})()`;

const RUNTIMES = ["node", "deno", "bun"];

describe.skipIf(CHROMIUM === undefined)("WebSocket in Chromium, compressed", () => {
  let browser: Chromium | undefined;
  let page: CdpPage | undefined;
  beforeAll(async () => {
    browser = await Chromium.launch(CHROMIUM!, { width: 800, height: 600 });
    page = await CdpPage.open(browser);
  }, 30_000);
  afterAll(async () => {
    await page?.close();
    await browser?.close();
  });

  for (const name of RUNTIMES) {
    it(`on ${name}: permessage-deflate agreed, texts and binaries up to 600 KB echoed equal`, async () => {
      const server: RunningSundial = await startSundial(TARGETS.find((t) => t.name === name)!, [
        "--app",
        APP,
        "--quiet",
      ]);
      try {
        await page!.goto(`http://127.0.0.1:${server.port}/page`);
        const results = await page!.evaluate<Array<{ path: string; extensions: string; equal: boolean }>>(ROUND_TRIPS);
        expect(results).toEqual([
          { path: "/echo", extensions: "permessage-deflate", equal: true },
          { path: "/compressed", extensions: "permessage-deflate", equal: true },
        ]);
      } finally {
        await server.stop();
      }
    }, 60_000);
  }
});
