/**
 * The small example apps through serve() on each runtime (issue 14): examples/hello.ts answers,
 * and the guestbook (examples/guestbook/) signs with POST-redirect-GET, escapes what users type,
 * keeps entries in the runtime's own SQLite across a restart (Bun, Deno), and on Node 20, which
 * has no built-in SQLite, says so on start and on the page and keeps them in memory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, bundleNodeLauncher, type Runtime, RUNTIMES, startApp } from "../support/apps-servers.ts";

let bundleDir = "";

beforeAll(() => {
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-examples-"));
  bundleNodeLauncher(bundleDir);
});

afterAll(() => {
  if (bundleDir !== "") fs.rmSync(bundleDir, { recursive: true, force: true });
});

/** Where each runtime keeps the guestbook, as its start line says. */
const STORE_LINE: Readonly<Record<Runtime, RegExp>> = {
  node:
    /^guestbook: this runtime has no built-in SQLite \(Node v20\.\d+\.\d+; node:sqlite came in Node 22\.5\): entries are kept in memory/m,
  deno: /^guestbook: entries are stored in SQLite \(node:sqlite\) at /m,
  bun: /^guestbook: entries are stored in SQLite \(bun:sqlite\) at /m,
};

function form(fields: Record<string, string>): RequestInit {
  return { method: "POST", body: new URLSearchParams(fields), redirect: "manual" };
}

describe.each(RUNTIMES)("examples through serve(): %s", (runtime) => {
  describe("hello.ts", () => {
    let hello: AppServer | null = null;
    beforeAll(async () => {
      hello = await startApp({ runtime, bundleDir, app: "hello", server: "sundial" });
    });
    afterAll(async () => {
      await hello?.stop();
    });

    it("answers Hello, world! to any path", async () => {
      for (const target of ["/", "/anything?at=all"]) {
        const response = await fetch(`http://127.0.0.1:${hello!.port}${target}`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("Hello, world!");
        expect(response.headers.get("content-length")).toBe("13");
      }
    });

    // A string body's type is text/plain;charset=UTF-8 (Fetch, "extract a body"); on Bun,
    // new Response("...").headers leaves it out, and sundial gives it from the body (Bun.serve does too).
    it("sends the string body's Content-Type", async () => {
      const response = await fetch(`http://127.0.0.1:${hello!.port}/`);
      expect(response.headers.get("content-type")?.toLowerCase()).toBe("text/plain;charset=utf-8");
    });
  });

  describe("guestbook", () => {
    let dataDir = "";
    let book: AppServer | null = null;
    const start = async (): Promise<AppServer> => {
      book = await startApp({
        runtime,
        bundleDir,
        app: "guestbook",
        server: "sundial",
        env: { GUESTBOOK_DB: path.join(dataDir, "guestbook.sqlite") },
      });
      return book;
    };
    const page = (target = "/"): Promise<Response> => fetch(`http://127.0.0.1:${book!.port}${target}`);

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-guestbook-"));
      await start();
    });
    afterAll(async () => {
      await book?.stop();
      if (dataDir !== "") fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("says on start where the entries live", () => {
      expect(book!.output()).toMatch(STORE_LINE[runtime]);
    });

    it("shows an empty book with its form", async () => {
      const response = await page();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await response.text();
      expect(html).toContain('<form method="post" action="/">');
      expect(html).toContain("No entries yet");
    });

    it("on Node 20 says on the page that entries are kept in memory, elsewhere not", async () => {
      const html = await (await page()).text();
      if (runtime === "node") {
        expect(html).toMatch(/<p class="notice">Note: this runtime has no built-in SQLite .*kept in memory/);
      } else expect(html).not.toContain('class="notice"');
    });

    it("signs with a POST answered 303 See Other to the page, then the GET shows the entry, escaped", async () => {
      const signed = await fetch(
        `http://127.0.0.1:${book!.port}/`,
        form({ name: "Ada <script>", message: 'Hello & "welcome" </p><script>alert(1)</script>' }),
      );
      expect(signed.status).toBe(303);
      expect(signed.headers.get("location")).toBe("/");
      await signed.body?.cancel();
      const html = await (await page()).text();
      expect(html).toContain("<strong>Ada &#60;script&#62;</strong>");
      expect(html).toContain(
        "<p>Hello &#38; &#34;welcome&#34; &#60;/p&#62;&#60;script&#62;alert(1)&#60;/script&#62;</p>",
      );
      expect(html).not.toContain("<script>");
      expect(html).not.toContain("No entries yet");
    });

    it("takes a multipart form too, and lists the newest entry first", async () => {
      const body = new FormData();
      body.set("name", "Grace");
      body.set("message", "second entry");
      const signed = await fetch(`http://127.0.0.1:${book!.port}/`, { method: "POST", body, redirect: "manual" });
      expect(signed.status).toBe(303);
      const html = await (await page()).text();
      expect(html.indexOf("<strong>Grace</strong>")).toBeGreaterThan(-1);
      expect(html.indexOf("<strong>Grace</strong>")).toBeLessThan(
        html.indexOf("<strong>Ada &#60;script&#62;</strong>"),
      );
    });

    it("refuses an empty name or message with 400 and stores nothing", async () => {
      const refused = await fetch(`http://127.0.0.1:${book!.port}/`, form({ name: "  ", message: "no name" }));
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("Both a name and a message, please.");
      expect(await (await page()).text()).not.toContain("no name");
    });

    it("answers 404 elsewhere and 405 with Allow to other methods", async () => {
      expect((await page("/elsewhere")).status).toBe(404);
      const put = await fetch(`http://127.0.0.1:${book!.port}/`, { method: "PUT", body: "x" });
      expect(put.status).toBe(405);
      expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
    });

    it(
      runtime === "node"
        ? "loses the entries on restart (memory, Node 20)"
        : "keeps the entries across a restart (SQLite)",
      async () => {
        await book!.stop();
        await start();
        const html = await (await page()).text();
        if (runtime === "node") expect(html).toContain("No entries yet");
        else expect(html).toContain("<strong>Grace</strong>");
      },
    );
  });
});
