/**
 * The demo page (static/index.html) in a real browser: headless Chromium against sundial on each
 * runtime.
 *
 * How Chromium is driven: the DevTools Protocol over --remote-debugging-pipe (see test/support/cdp.ts), not
 * the one-shot `chromium --headless --dump-dom --screenshot --virtual-time-budget=...` command.
 * The page keeps an EventSource open for as long as it lives, and such a stream never finishes:
 * with a virtual time budget Chromium waits for network activity to settle, so the one-shot
 * command either hangs until the budget's wall-clock fallback or dumps the DOM before the first
 * event arrives; and virtual time runs the page's timers at a fake pace, so "the clock matches
 * real time" could not be checked at all. Over CDP the page runs in real time, the test reads
 * its state when it is ready (bounded polls), sees every console error and takes the screenshot.
 *
 * Each runtime is tested twice: over plain HTTP and over HTTPS (--tls-cert/--tls-key with a
 * certificate made by the openssl CLI). Chromium trusts exactly that certificate's key through
 * --ignore-certificate-errors-spki-list (no --ignore-certificate-errors), and a server with
 * another key (--tls-self-signed) must still be refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, type RunningSundial, startSundial, TARGETS } from "../support/server-process.ts";
import { makeTestCertificate, opensslMissing, type TestCertificate } from "../support/tls-test-certificate.ts";
import { Chromium, findChromium } from "../support/cdp.ts";

const CHROMIUM = findChromium();
const STATIC_DIR = path.join(REPO_ROOT, "static");
const ARTIFACTS = path.join(REPO_ROOT, "test", "artifacts");
/** The server's zone (+09:30, no daylight saving), and a different one for the browser: the page must show the server's. */
const SERVER_ZONE = "Australia/Darwin";
const BROWSER_ZONE = "America/Los_Angeles";
const WIDTH = 1200;
const HEIGHT = 900;

/** What the page exposes for tests (see static/index.html). */
interface PageState {
  readonly protocol: string;
  readonly text: string;
  readonly serverMs: number | null;
  readonly utcOffsetMinutes: number | null;
  readonly zone: string;
  readonly utcOffsetText: string;
  readonly mode: string;
  readonly state: string;
  readonly imageWidth: number;
  readonly syncOffsetMs: number | null;
  readonly syncRttMs: number | null;
}

const READ_STATE = `(() => {
  const protocol = location.protocol;
  const clock = document.getElementById('clock'), sync = document.getElementById('sync');
  const number = (v) => (v === undefined || v === '' ? null : Number(v));
  return {
    protocol,
    text: clock.textContent,
    serverMs: number(clock.dataset.serverMs),
    utcOffsetMinutes: number(clock.dataset.utcOffsetMinutes),
    zone: document.getElementById('zone').textContent,
    utcOffsetText: document.getElementById('utc-offset').textContent,
    mode: document.body.dataset.mode,
    state: document.body.dataset.state,
    imageWidth: document.querySelector('img').naturalWidth,
    syncOffsetMs: number(sync.dataset.offsetMs),
    syncRttMs: number(sync.dataset.rttMs),
  };
})()`;

/** Seconds since midnight of "HH:MM:SS". */
function secondsOfDay(hms: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})$/.exec(hms.trim());
  if (match === null) throw new Error(`the clock shows ${JSON.stringify(hms)}, not HH:MM:SS`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** The wall time of ms in zone, as "HH:MM:SS", by this process's own Intl. */
function wallTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).format(ms);
}

/** Distance between two times of day in seconds, across midnight. */
function daySecondsApart(a: number, b: number): number {
  const d = Math.abs(a - b) % 86_400;
  return Math.min(d, 86_400 - d);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

if (CHROMIUM === undefined) {
  describe("browser (headless Chromium)", () => {
    const where = process.env.CHROMIUM
      ? `$CHROMIUM (${process.env.CHROMIUM}) is not an executable`
      : "no /usr/bin/chromium";
    it.skip(`skipped: ${where}; install the Debian package chromium (.ci/run does, as root)`, () => {});
  });
}

const NO_OPENSSL = opensslMissing();

for (const target of TARGETS) {
  for (const scheme of ["http", "https"] as const) {
    const skip = target.skip ?? (scheme === "https" ? NO_OPENSSL : undefined);
    const name = scheme === "http" ? `browser on ${target.name}` : `browser over HTTPS on ${target.name}`;
    describe.skipIf(CHROMIUM === undefined || skip !== undefined)(name, () => {
      if (skip !== undefined) it.skip(`skipped: ${skip}`, () => {});

      let server: RunningSundial | undefined;
      let browser: Chromium | undefined;
      let certificate: TestCertificate | undefined;

      beforeAll(async () => {
        const tls: string[] = [];
        const trust: string[] = [];
        if (scheme === "https") {
          certificate = makeTestCertificate();
          tls.push("--tls-cert", certificate.certFile, "--tls-key", certificate.keyFile);
          // Trusts this one key (its SPKI's SHA-256), whatever the issuer; every other certificate error stays an error.
          trust.push(`--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`);
        }
        server = await startSundial(target, [STATIC_DIR, ...tls], { TZ: SERVER_ZONE });
        expect(server.scheme).toBe(scheme);
        browser = await Chromium.launch(CHROMIUM!, {
          width: WIDTH,
          height: HEIGHT,
          env: { TZ: BROWSER_ZONE },
          args: trust,
        });
      });

      afterAll(async () => {
        await browser?.close();
        await server?.stop();
        certificate?.remove();
      });

      if (scheme === "https") {
        it(
          "still refuses a certificate with another key (the SPKI list trusts the test key only)",
          { timeout: 60_000 },
          async () => {
            const other = await startSundial(target, [STATIC_DIR, "--tls-self-signed"], { TZ: SERVER_ZONE });
            try {
              const cdp = browser!;
              const { targetId } = (await cdp.send("Target.createTarget", { url: "about:blank" })) as {
                targetId: string;
              };
              const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId, flatten: true })) as {
                sessionId: string;
              };
              const navigation =
                (await cdp.send("Page.navigate", { url: `https://127.0.0.1:${other.port}/` }, sessionId)) as {
                  errorText?: string;
                };
              expect(navigation.errorText ?? "").toMatch(/^net::ERR_CERT_/);
              await cdp.send("Target.closeTarget", { targetId });
            } finally {
              await other.stop();
            }
          },
        );
      }

      it(
        "shows a live clock within 2 s of this one, the image, and no console errors",
        { timeout: 60_000 },
        async () => {
          const cdp = browser!;
          const { targetId } = (await cdp.send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
          const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId, flatten: true })) as {
            sessionId: string;
          };
          const page = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
            cdp.send(method, params, sessionId);

          const problems: string[] = [];
          cdp.onEvent(({ method, params, sessionId: from }) => {
            if (from !== sessionId) return;
            if (method === "Runtime.exceptionThrown") {
              const details = params.exceptionDetails as { text: string; exception?: { description?: string } };
              problems.push(`exception: ${details.exception?.description ?? details.text}`);
            } else if (method === "Runtime.consoleAPICalled" && (params.type === "error" || params.type === "assert")) {
              const args = params.args as { value?: unknown; description?: string }[];
              problems.push(
                `console.${String(params.type)}: ${args.map((a) => String(a.value ?? a.description)).join(" ")}`,
              );
            } else if (method === "Log.entryAdded") {
              const entry = params.entry as { level: string; text: string; url?: string };
              if (entry.level === "error") problems.push(`log: ${entry.text} ${entry.url ?? ""}`.trim());
            }
          });
          await page("Runtime.enable");
          await page("Log.enable");
          await page("Page.enable");

          const url = `${scheme}://127.0.0.1:${server!.port}/`;
          const loaded = cdp.waitForEvent(
            (e) => e.method === "Page.loadEventFired" && e.sessionId === sessionId,
            15_000,
            "load event",
          );
          const navigation = (await page("Page.navigate", { url })) as { errorText?: string };
          expect(navigation.errorText ?? "").toBe("");
          await loaded;

          const read = async (): Promise<{ state: PageState; before: number; after: number }> => {
            const before = Date.now();
            const answer = (await page("Runtime.evaluate", { expression: READ_STATE, returnByValue: true })) as {
              result: { value: PageState };
              exceptionDetails?: { text: string };
            };
            const after = Date.now();
            if (answer.exceptionDetails !== undefined) {
              throw new Error(`reading the page failed: ${answer.exceptionDetails.text}`);
            }
            return { state: answer.result.value, before, after };
          };

          // Wait (at most 10 s) until the clock shows a server time, the image is decoded and the offset is measured.
          let first = await read();
          for (const deadline = Date.now() + 10_000; Date.now() < deadline; first = await read()) {
            const s = first.state;
            if (s.serverMs !== null && s.imageWidth > 0 && s.syncOffsetMs !== null) break;
            await sleep(200);
          }
          const s1 = first.state;
          expect(s1.protocol).toBe(`${scheme}:`);
          expect(s1.state, `page state: ${JSON.stringify(s1)}`).toBe("ok");
          expect(s1.serverMs, "the clock never showed a server time").not.toBeNull();

          // The instant the clock displays, and what it shows, agree with this process's clock (within 2 s).
          const mid = (first.before + first.after) / 2;
          expect(Math.abs(s1.serverMs! - mid)).toBeLessThan(2000);
          expect(daySecondsApart(secondsOfDay(s1.text), secondsOfDay(wallTime(mid, SERVER_ZONE)))).toBeLessThanOrEqual(
            2,
          );
          expect(s1.text).toBe(wallTime(s1.serverMs!, SERVER_ZONE));
          expect(s1.zone).toBe(SERVER_ZONE);
          expect(s1.utcOffsetText).toBe("UTC+09:30");
          expect(s1.utcOffsetMinutes).toBe(570);

          // The image loaded.
          expect(s1.imageWidth).toBeGreaterThan(0);

          // Browser and server share this machine's clock, so the measured offset is small.
          expect(Math.abs(s1.syncOffsetMs!)).toBeLessThan(1000);
          expect(s1.syncRttMs).toBeGreaterThanOrEqual(0);

          // The clock is live: 1.5 s later it shows a later second.
          await sleep(1500);
          const second = await read();
          const advanced = second.state.serverMs! - s1.serverMs!;
          expect(advanced).toBeGreaterThanOrEqual(500);
          expect(advanced).toBeLessThan(3000);
          expect(second.state.text).not.toBe(s1.text);
          expect(Math.abs(second.state.serverMs! - (second.before + second.after) / 2)).toBeLessThan(2000);

          const shot = (await page("Page.captureScreenshot", { format: "png" })) as { data: string };
          const png = Buffer.from(shot.data, "base64");
          expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
          fs.mkdirSync(ARTIFACTS, { recursive: true });
          fs.writeFileSync(
            path.join(ARTIFACTS, `browser-${target.name}${scheme === "https" ? "-https" : ""}.png`),
            png,
          );

          console.log(
            `${name}: clock ${second.state.text} (${second.state.mode}), offset ${s1.syncOffsetMs!.toFixed(1)} ms, ` +
              `round trip ${s1.syncRttMs!.toFixed(1)} ms`,
          );
          // The page fetched /time every second instead of streaming it only if the stream failed.
          expect.soft(second.state.mode, "the page fell back to polling: the event stream failed").toBe("stream");
          expect.soft(problems, "console errors").toEqual([]);
          await cdp.send("Target.closeTarget", { targetId });
        },
      );
    });
  }
}
