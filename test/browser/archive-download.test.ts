/**
 * Folders as archives (--archives, issue 24) in a real browser: headless Chromium opens a folder's
 * listing on each runtime and executable, clicks its zip and tar.gz links as the mouse would, and
 * lets the download go to a temporary folder (CDP Browser.setDownloadBehavior, with its
 * downloadWillBegin and downloadProgress events). The files Chromium saved are then read back:
 * named from Content-Disposition (the folder's non-ASCII name, by filename*), `unzip -Z1` and
 * `tar -tzf` list exactly the folder's entries (the dotfiles left out), and a file's bytes match.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CdpEvent, Chromium, findChromium } from "../support/cdp.ts";
import { CdpPage } from "../support/cdp-page.ts";
import { REPO_ROOT, type RunningSundial, startSundial, TARGETS } from "../support/server-process.ts";

const CHROMIUM = findChromium();
const ARTIFACTS = path.join(REPO_ROOT, "test", "artifacts");
/** The folder downloaded: a space and a non-ASCII letter, so the name comes from filename*. */
const FOLDER = "summer caf\u00e9";
/** What both archives must hold, folders with their slash; .env and .git/ must stay out. */
const EXPECTED = ["a.txt", "empty/", "sub/", "sub/big.bin", "sub/deep/", "sub/deep/c.txt"];
const DOWNLOAD_TIMEOUT_MS = 20_000;

if (CHROMIUM === undefined) {
  describe("archive downloads in headless Chromium", () => {
    const where = process.env.CHROMIUM
      ? `$CHROMIUM (${process.env.CHROMIUM}) is not an executable`
      : "no /usr/bin/chromium";
    it.skip(`skipped: ${where}; install the Debian package chromium (.ci/run does, as root)`, () => {});
  });
}

interface DownloadBegun {
  readonly guid: string;
  readonly url: string;
  readonly suggestedFilename: string;
}

interface Download {
  readonly url: string;
  readonly suggestedFilename: string;
  readonly receivedBytes: number;
}

/**
 * Clicks the link and follows the download it starts until Chromium reports it completed (fails
 * on canceled, or after timeoutMs). The events are watched from before the click, so a small
 * archive that completes in the same read as it began is not missed.
 */
function downloadByClick(browser: Chromium, click: () => Promise<void>, timeoutMs: number): Promise<Download> {
  return new Promise<Download>((resolve, reject) => {
    let begun: DownloadBegun | undefined;
    const finish = (error: Error | undefined, done?: Download): void => {
      clearTimeout(timer);
      off();
      if (error === undefined) resolve(done!);
      else reject(error);
    };
    const timer = setTimeout(
      () => finish(new Error(`no completed download within ${timeoutMs} ms (began: ${JSON.stringify(begun)})`)),
      timeoutMs,
    );
    const off = browser.onEvent(({ method, params }: CdpEvent) => {
      if (method === "Browser.downloadWillBegin" && begun === undefined) {
        begun = params as unknown as DownloadBegun;
      } else if (method === "Browser.downloadProgress" && begun !== undefined && params.guid === begun.guid) {
        const receivedBytes = params.receivedBytes as number;
        if (params.state === "completed") {
          finish(undefined, { url: begun.url, suggestedFilename: begun.suggestedFilename, receivedBytes });
        } else if (params.state === "canceled") finish(new Error(`download canceled: ${JSON.stringify(begun)}`));
      }
    });
    click().catch((error: Error) => finish(error));
  });
}

for (const target of TARGETS) {
  describe.skipIf(CHROMIUM === undefined || target.skip !== undefined)(`archive downloads on ${target.name}`, () => {
    if (target.skip !== undefined) it.skip(`skipped: ${target.skip}`, () => {});

    let server: RunningSundial | undefined;
    let browser: Chromium | undefined;
    let page: CdpPage | undefined;
    let root = "";
    let downloads = "";
    let folderUrl = "";
    const big = randomBytes(300_000);

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-archive-root-"));
      downloads = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-archive-downloads-"));
      const folder = path.join(root, FOLDER);
      fs.mkdirSync(path.join(folder, "sub", "deep"), { recursive: true });
      fs.mkdirSync(path.join(folder, "empty"));
      fs.mkdirSync(path.join(folder, ".git"));
      fs.writeFileSync(path.join(folder, "a.txt"), `alpha ${target.name}\n`);
      fs.writeFileSync(path.join(folder, "sub", "big.bin"), big);
      fs.writeFileSync(path.join(folder, "sub", "deep", "c.txt"), "gamma\n");
      fs.writeFileSync(path.join(folder, ".env"), "DOTFILE\n");
      fs.writeFileSync(path.join(folder, ".git", "config"), "[core]\n");
      server = await startSundial(target, [root, "--archives"]);
      folderUrl = `http://127.0.0.1:${server.port}/${encodeURIComponent(FOLDER)}/`;
      browser = await Chromium.launch(CHROMIUM!, { width: 1000, height: 700 });
      await browser.send("Browser.setDownloadBehavior", {
        behavior: "allow",
        downloadPath: downloads,
        eventsEnabled: true,
      });
      page = await CdpPage.open(browser);
    });

    afterAll(async () => {
      await page?.close();
      await browser?.close();
      await server?.stop();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(downloads, { recursive: true, force: true });
    });

    /** Clicks the listing's link to format and returns where Chromium saved the archive. */
    const clickDownload = async (format: "zip" | "tar.gz"): Promise<string> => {
      const p = page!;
      const done = await downloadByClick(
        browser!,
        () => p.click(`p.downloads a[href="?download=${format}"]`),
        DOWNLOAD_TIMEOUT_MS,
      );
      expect(done.url).toBe(`${folderUrl}?download=${format}`);
      expect(done.suggestedFilename).toBe(`${FOLDER}.${format}`);
      const file = path.join(downloads, done.suggestedFilename);
      expect(fs.existsSync(file), `${file} after ${JSON.stringify(done)}`).toBe(true);
      expect(fs.statSync(file).size).toBe(done.receivedBytes);
      // A download, not a navigation: the listing is still the page shown.
      expect(await p.evaluate<string>("location.href")).toBe(folderUrl);
      return file;
    };

    it("shows the listing's archive links", { timeout: 30_000 }, async () => {
      const p = page!;
      await p.goto(folderUrl);
      const links = await p.evaluate<string[]>(
        `[...document.querySelectorAll("p.downloads a")].map((a) => a.getAttribute("href") + " " + a.textContent)`,
      );
      expect(links).toEqual(["?download=zip zip", "?download=tar.gz tar.gz", "?download=tar tar"]);
      expect(await p.visible(`p.downloads a[href="?download=zip"]`)).toBe(true);
      const shot = (await p.send("Page.captureScreenshot", { format: "png" })) as { data: string };
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      fs.writeFileSync(path.join(ARTIFACTS, `archive-download-${target.name}.png`), Buffer.from(shot.data, "base64"));
    });

    it("downloads the zip by a click: named after the folder, unzip lists exactly its entries", {
      timeout: 30_000,
    }, async () => {
      const file = await clickDownload("zip");
      const listed = execFileSync("unzip", ["-Z1", file]).toString().split("\n").filter((n) => n !== "");
      expect(listed.sort()).toEqual(EXPECTED);
      expect(execFileSync("unzip", ["-p", file, "sub/big.bin"]).equals(big)).toBe(true);
      expect(execFileSync("unzip", ["-p", file, "a.txt"]).toString()).toBe(`alpha ${target.name}\n`);
      expect(page!.problems).toEqual([]);
    });

    it("downloads the tar.gz by a click: named after the folder, tar lists exactly its entries", {
      timeout: 30_000,
    }, async () => {
      const file = await clickDownload("tar.gz");
      const listed = execFileSync("tar", ["-tzf", file]).toString().split("\n").filter((n) => n !== "");
      expect(listed.sort()).toEqual(EXPECTED);
      expect(execFileSync("tar", ["-xzOf", file, "sub/big.bin"], { maxBuffer: 4 << 20 }).equals(big)).toBe(true);
      expect(fs.readdirSync(downloads).sort()).toEqual([`${FOLDER}.tar.gz`, `${FOLDER}.zip`]);
      expect(page!.problems).toEqual([]);
    });
  });
}
