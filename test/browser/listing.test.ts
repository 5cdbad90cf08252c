/**
 * The listing's writing controls in a real browser: headless Chromium against sundial with
 * --upload --allow-delete on each runtime and executable, driven over the DevTools protocol
 * (test/support/cdp.ts, cdp-page.ts: the mouse clicks, the file picker is filled, dialogs are
 * accepted). The listing is a folder with an awkward name under --base-path /files, so the
 * form's action and the buttons' targets must stay relative to where the page was served.
 *
 * With the page's script: two files uploaded at once (the progress bar shown and filled, then the
 * listing reloaded), a new folder, an upload refused (409) shown on the page, a file deleted after
 * confirm(), a non-empty folder's 409 shown. Without it: the delete buttons are hidden, and the
 * plain form posts files, or a folder alone, and lands back on the listing by the 303.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Chromium, findChromium } from "../support/cdp.ts";
import { CdpPage } from "../support/cdp-page.ts";
import { REPO_ROOT, type RunningSundial, startSundial, TARGETS } from "../support/server-process.ts";

const CHROMIUM = findChromium();
const ARTIFACTS = path.join(REPO_ROOT, "test", "artifacts");
const FOLDER = 'up & "q" <é>';
const BASE = "/files";
/** Chosen in the picker: a name with a space, &, < and unicode, and a larger one for the progress bar. */
const FIRST = "a b & <c> é.txt";
const SECOND = "data.bin";
const NEW_FOLDER = "new <folder> & é";

if (CHROMIUM === undefined) {
  describe("listing controls in headless Chromium", () => {
    const where = process.env.CHROMIUM
      ? `$CHROMIUM (${process.env.CHROMIUM}) is not an executable`
      : "no /usr/bin/chromium";
    it.skip(`skipped: ${where}; install the Debian package chromium (.ci/run does, as root)`, () => {});
  });
}

/** The names the listing shows, as text ("sub/" for a folder), without "../". */
const NAMES = `[...document.querySelectorAll("td.name a")].map((a) => a.textContent).filter((n) => n !== "../")`;
const STATUS = `document.getElementById("status").textContent`;

/** Records each change of the progress bar in sessionStorage, where it outlives the reload. */
const WATCH_PROGRESS = `(() => {
  const bar = document.querySelector("#upload progress");
  const seen = [];
  new MutationObserver(() => {
    seen.push({ hidden: bar.hidden, value: bar.value, max: bar.max, position: bar.position });
    sessionStorage.setItem("progress", JSON.stringify(seen));
  }).observe(bar, { attributes: true });
})()`;

interface ProgressState {
  readonly hidden: boolean;
  readonly value: number;
  readonly max: number;
  readonly position: number;
}

/** What the browser logged beside the 409s a test asked for. */
function unexpected(problems: readonly string[]): string[] {
  return problems.filter((p) => !/the server responded with a status of 409/.test(p));
}

for (const target of TARGETS) {
  describe.skipIf(CHROMIUM === undefined || target.skip !== undefined)(`listing controls on ${target.name}`, () => {
    if (target.skip !== undefined) it.skip(`skipped: ${target.skip}`, () => {});

    let server: RunningSundial | undefined;
    let browser: Chromium | undefined;
    let page: CdpPage | undefined;
    let root = "";
    let picked = "";
    let folderUrl = "";
    const onDisk = (...names: string[]): string => path.join(root, FOLDER, ...names);
    const names = (): Promise<string[]> => page!.evaluate<string[]>(NAMES);

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-listing-root-"));
      picked = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-listing-picked-"));
      fs.mkdirSync(onDisk("full"), { recursive: true });
      fs.writeFileSync(onDisk("full", "keep.txt"), "kept\n");
      fs.writeFileSync(path.join(picked, FIRST), randomBytes(200 * 1024));
      fs.writeFileSync(path.join(picked, SECOND), randomBytes(3 * 1024 * 1024));
      fs.writeFileSync(path.join(picked, "no-js.txt"), `posted without a script ${target.name}\n`);
      server = await startSundial(target, [
        root,
        "--upload",
        "--allow-delete",
        "--max-upload",
        "16m",
        "--base-path",
        BASE,
      ]);
      folderUrl = `http://127.0.0.1:${server.port}${BASE}/${encodeURIComponent(FOLDER)}/`;
      browser = await Chromium.launch(CHROMIUM!, { width: 1100, height: 800 });
      page = await CdpPage.open(browser);
    });

    afterAll(async () => {
      await page?.close();
      await browser?.close();
      await server?.stop();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(picked, { recursive: true, force: true });
    });

    it("uploads two files at once with a progress bar, then lists them", { timeout: 30_000 }, async () => {
      const p = page!;
      await p.goto(folderUrl);
      expect(await names()).toEqual(["full/"]);
      expect(await p.visible("#upload")).toBe(true);
      expect(await p.visible("#upload progress")).toBe(false);
      expect(await p.visible("button.delete")).toBe(true);
      await p.evaluate(WATCH_PROGRESS);
      await p.setFiles("#upload input[type=file]", [path.join(picked, FIRST), path.join(picked, SECOND)]);
      await p.loads(() => p.click("#upload button[type=submit]"));

      expect(await p.evaluate<string>("location.href")).toBe(folderUrl);
      expect(await names()).toEqual(["full/", FIRST, SECOND]);
      for (const name of [FIRST, SECOND]) {
        expect(fs.readFileSync(onDisk(name)).equals(fs.readFileSync(path.join(picked, name))), name).toBe(true);
      }
      // The bar was shown, then filled from xhr.upload.onprogress up to the whole body.
      const seen = JSON.parse(
        await p.evaluate<string>(`sessionStorage.getItem("progress") ?? "[]"`),
      ) as ProgressState[];
      const bytes = 200 * 1024 + 3 * 1024 * 1024;
      expect(seen.some((s) => !s.hidden), JSON.stringify(seen)).toBe(true);
      const last = seen.filter((s) => s.max > 1).at(-1);
      expect(last, JSON.stringify(seen)).toBeDefined();
      expect(last!.max).toBeGreaterThan(bytes); // the multipart body: both files and their part heads
      expect(last!.value).toBe(last!.max);
      const shot = (await p.send("Page.captureScreenshot", { format: "png" })) as { data: string };
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      fs.writeFileSync(path.join(ARTIFACTS, `listing-${target.name}.png`), Buffer.from(shot.data, "base64"));
      expect(unexpected(p.problems)).toEqual([]);
    });

    it("creates the folder typed in the form", { timeout: 30_000 }, async () => {
      const p = page!;
      await p.type("#upload input[name=folder]", NEW_FOLDER);
      await p.loads(() => p.click("#upload button[type=submit]"));
      expect(await names()).toEqual(["full/", `${NEW_FOLDER}/`, FIRST, SECOND]);
      expect(fs.statSync(onDisk(NEW_FOLDER)).isDirectory()).toBe(true);
      expect(unexpected(p.problems)).toEqual([]);
    });

    it(
      "shows why an upload was refused (a name that exists: 409) and stays on the page",
      { timeout: 30_000 },
      async () => {
        const p = page!;
        await p.evaluate("window.notReloaded = true");
        await p.click("#upload button[type=submit]"); // nothing chosen, nothing typed: nothing sent
        expect(await p.poll<string>(STATUS, (text) => text !== "")).toBe("Choose files or type a folder name first.");
        await p.setFiles("#upload input[type=file]", [path.join(picked, SECOND)]);
        await p.click("#upload button[type=submit]");
        const status = await p.poll<string>(STATUS, (text) => text.startsWith("Upload failed"));
        expect(status).toBe("Upload failed: 409 Conflict");
        expect(await p.evaluate<boolean>("window.notReloaded === true")).toBe(true);
        expect(await p.visible("#upload progress")).toBe(false);
        expect(await p.evaluate<boolean>(`document.querySelector("#upload button[type=submit]").disabled`)).toBe(false);
        expect(fs.readFileSync(onDisk(SECOND)).equals(fs.readFileSync(path.join(picked, SECOND)))).toBe(true);
        expect(unexpected(p.problems)).toEqual([]);
      },
    );

    it("deletes a file after confirm(), then lists the folder without it", { timeout: 30_000 }, async () => {
      const p = page!;
      await p.loads(() => p.click(`button.delete[data-name="${SECOND}"]`));
      expect(p.dialogs.at(-1)).toBe(`Delete ${SECOND}?`);
      expect(await names()).toEqual(["full/", `${NEW_FOLDER}/`, FIRST]);
      expect(fs.existsSync(onDisk(SECOND))).toBe(false);
      expect(unexpected(p.problems)).toEqual([]);
    });

    it("shows the 409 for a folder that is not empty, and keeps it", { timeout: 30_000 }, async () => {
      const p = page!;
      await p.click(`button.delete[data-name="full/"]`);
      expect(p.dialogs.at(-1)).toBe("Delete full/?");
      const status = await p.poll<string>(STATUS, (text) => text.startsWith("Could not"));
      expect(status).toBe("Could not delete full/: 409 Conflict");
      expect(fs.existsSync(onDisk("full", "keep.txt"))).toBe(true);
      expect(unexpected(p.problems)).toEqual([]);
    });

    it("without JavaScript: no delete buttons, and the plain form posts and lands on the listing by a 303", {
      timeout: 30_000,
    }, async () => {
      const p = page!;
      await p.scripts(false);
      try {
        await p.goto(folderUrl);
        expect(await p.visible("button.delete")).toBe(false);
        expect(await p.visible("#upload progress")).toBe(false);
        await p.setFiles("#upload input[type=file]", [path.join(picked, "no-js.txt")]);
        const redirected = p.event("Network.requestWillBeSent", 15_000, (e) => e.redirectResponse !== undefined);
        await p.loads(() => p.click("#upload button[type=submit]"));
        const { redirectResponse, request } = (await redirected).params as {
          redirectResponse: { status: number; url: string };
          request: { method: string; url: string };
        };
        expect(redirectResponse.status).toBe(303);
        expect(redirectResponse.url).toBe(folderUrl);
        expect(request).toMatchObject({ method: "GET", url: folderUrl });
        expect(await p.evaluate<string>("location.href")).toBe(folderUrl);
        expect(await names()).toContain("no-js.txt");
        expect(fs.readFileSync(onDisk("no-js.txt"), "utf8")).toBe(`posted without a script ${target.name}\n`);
        // A folder alone: the browser still sends the empty file field, which stores nothing.
        await p.type("#upload input[name=folder]", "made without a script");
        await p.loads(() => p.click("#upload button[type=submit]"));
        expect(await p.evaluate<string>("location.href")).toBe(folderUrl);
        expect(await names()).toContain("made without a script/");
        expect(fs.statSync(onDisk("made without a script")).isDirectory()).toBe(true);
      } finally {
        await p.scripts(true);
      }
      expect(unexpected(p.problems)).toEqual([]);
    });
  });
}
