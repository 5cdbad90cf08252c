/**
 * The Hono chat example (examples/hono-chat/) in a real browser: headless Chromium's own
 * WebSocket, in the example's page, against `sundial --app` on each runtime and executable, over
 * ws:// (plain HTTP) and wss:// (HTTPS with a certificate made by the openssl CLI, which Chromium
 * trusts by its key alone, as in browser.test.ts). Two tabs join; a message typed and sent in one
 * shows in both; the other tab closing is announced in the first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Chromium, findChromium } from "../support/cdp.ts";
import { CdpPage } from "../support/cdp-page.ts";
import { bundledForNode, CHAT_APP, nodeWithoutTypes } from "../support/hono-chat.ts";
import { type RunningSundial, startSundial, TARGETS } from "../support/server-process.ts";
import { makeTestCertificate, opensslMissing, type TestCertificate } from "../support/tls-test-certificate.ts";

const CHROMIUM = findChromium();
const LOG = `[...document.querySelectorAll("#log li")].map((li) => li.textContent)`;
const STATUS = `document.getElementById("status").textContent`;

if (CHROMIUM === undefined) {
  describe("the Hono chat in headless Chromium", () => {
    it.skip("skipped: no Chromium (install the Debian package chromium)", () => {});
  });
}

for (const target of TARGETS) {
  for (const scheme of ["http", "https"] as const) {
    const skip = target.skip ?? (scheme === "https" ? opensslMissing() : undefined);
    describe.skipIf(CHROMIUM === undefined || skip !== undefined)(
      `the Hono chat on ${target.name} over ${scheme}`,
      () => {
        if (skip !== undefined) it.skip(`skipped: ${skip}`, () => {});

        let server: RunningSundial | undefined;
        let browser: Chromium | undefined;
        let certificate: TestCertificate | undefined;
        let bundle: { file: string; remove(): void } | undefined;

        beforeAll(async () => {
          const tls: string[] = [];
          const trust: string[] = [];
          if (scheme === "https") {
            certificate = makeTestCertificate();
            tls.push("--tls-cert", certificate.certFile, "--tls-key", certificate.keyFile);
            trust.push(`--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`);
          }
          if (nodeWithoutTypes(target.name)) bundle = bundledForNode(CHAT_APP);
          server = await startSundial(target, ["--app", bundle?.file ?? CHAT_APP, "--quiet", ...tls]);
          browser = await Chromium.launch(CHROMIUM!, { width: 900, height: 700, args: trust });
        }, 60_000);

        afterAll(async () => {
          await browser?.close();
          await server?.stop();
          certificate?.remove();
          bundle?.remove();
        });

        it(`two tabs chat over ${scheme === "https" ? "wss" : "ws"}:// with the browser's WebSocket`, {
          timeout: 30_000,
        }, async () => {
          const base = `${scheme}://127.0.0.1:${server!.port}/`;
          const ann = await CdpPage.open(browser!);
          await ann.goto(`${base}?name=ann`);
          expect(await ann.poll<string>(STATUS, (s) => s === "connected as ann")).toBe("connected as ann");
          const bob = await CdpPage.open(browser!);
          await bob.goto(`${base}?name=bob`);
          expect(await bob.poll<string>(STATUS, (s) => s === "connected as bob")).toBe("connected as bob");

          await ann.send("Page.bringToFront"); // typing goes to the tab in front
          await ann.type("input[name=text]", "hello from the browser");
          await ann.click("#send button");
          const said = "ann: hello from the browser";
          expect(await bob.poll<string[]>(LOG, (log) => log.includes(said))).toEqual(["* bob joined (2 here)", said]);
          expect(await ann.poll<string[]>(LOG, (log) => log.includes(said))).toEqual([
            "* ann joined (1 here)",
            "* bob joined (2 here)",
            said,
          ]);

          await bob.close();
          expect((await ann.poll<string[]>(LOG, (log) => log.includes("* bob left"))).at(-1)).toBe("* bob left");
          expect(ann.problems).toEqual([]);
          await ann.close();
        });
      },
    );
  }
}
