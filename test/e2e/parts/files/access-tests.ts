import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ask,
  askFramed,
  DOTENV_SECRET,
  type FilesSuite,
  GET,
  HEAD,
  header,
  HTML,
  JSON_TYPE,
  OUTSIDE_SECRET,
  request,
} from "./fixture.ts";

/** Request-targets that try to leave the root, sent as raw bytes. */
const TRAVERSALS = [
  "/awkward/../../etc/passwd",
  "/awkward/../../outside/secret.txt",
  "/../outside/secret.txt",
  "/awkward/%2e%2e/%2e%2e/outside/secret.txt",
  "/awkward/..%2f..%2foutside%2fsecret.txt",
  "/outside-dir/secret.txt",
  "/outside-dir/",
];

const EXPOSED = ["Content-Range", "Content-Length", "ETag", "Accept-Ranges", "Last-Modified"];

export function filesAccessTests(suite: FilesSuite): void {
  describe("symlinks and the root", () => {
    it("a symlink inside the root is followed, to a file and through a folder", async () => {
      const file = await ask(suite.plain(), GET("/inside-link.txt"));
      expect(file.status).toBe(200);
      expect(file.body.equals(suite.fixture().read("hello.txt"))).toBe(true);
      const through = await ask(suite.plain(), GET("/linked-dir/a.txt"));
      expect(through.status).toBe(200);
      expect(through.body.toString()).toBe("x".repeat(300));
    });

    it("a symlink out of the root and a broken one: 404, never 500", async () => {
      for (const target of ["/outside-link.txt", "/broken-link.txt", "/outside-dir/secret.txt"]) {
        for (const port of [suite.plain(), suite.strict()]) {
          const response = await ask(port, GET(target));
          expect(response.status, target).toBe(404);
          expect(response.body.toString(), target).not.toContain(OUTSIDE_SECRET);
        }
      }
    });

    it("--no-symlinks: every path through a symlink is 404, plain files still served", async () => {
      for (const target of ["/inside-link.txt", "/linked-dir/a.txt", "/linked-dir/"]) {
        expect((await ask(suite.strict(), GET(target))).status, target).toBe(404);
      }
      expect((await ask(suite.strict(), GET("/hello.txt"))).status).toBe(200);
      expect((await ask(suite.strict(), GET("/listed/a.txt"))).status).toBe(200);
    });

    it("a symlink to a dotfile stays hidden (and unlisted) unless --dotfiles", async () => {
      const hidden = await ask(suite.plain(), GET("/envlink"));
      expect(hidden.status).toBe(404);
      expect(hidden.body.toString()).not.toContain(DOTENV_SECRET);
      const listing = await ask(suite.plain(), GET("/", { Accept: "application/json" }));
      const names = (JSON.parse(listing.body.toString()) as { entries: { name: string }[] }).entries.map((e) => e.name);
      expect(names).not.toContain("envlink");
      expect(names).not.toContain(".env");
      expect(names).toContain("hello.txt");
    });

    it("a folder redirect never points to another host: //evil.com gets the relative Location evil.com/", async () => {
      const response = await ask(suite.plain(), GET("//evil.com"));
      expect(response.status).toBe(301);
      expect(header(response, "location")).toBe("evil.com/");
      expect(new URL(header(response, "location")!, "http://127.0.0.1//evil.com").host).toBe("127.0.0.1");
    });

    it.each(TRAVERSALS)("never serves %s from outside the root (with and without --dotfiles)", async (target) => {
      for (const port of [suite.plain(), suite.strict(), suite.decorated()]) {
        const response = await ask(port, GET(target));
        expect([400, 404], `${target} on ${port}`).toContain(response.status);
        const body = response.body.toString("latin1");
        expect(body).not.toContain(OUTSIDE_SECRET);
        expect(body).not.toContain("root:");
      }
    });
  });

  describe("--cors", () => {
    it("Access-Control-Allow-Origin: * and the exposed headers on files and errors", async () => {
      for (const target of ["/hello.txt", "/no-such-file", "/listed/"]) {
        const response = await ask(suite.decorated(), GET(target, { Origin: "http://example.com" }));
        expect(header(response, "access-control-allow-origin"), target).toBe("*");
        const exposed = (header(response, "access-control-expose-headers") ?? "").split(",").map((h) =>
          h.trim().toLowerCase()
        );
        for (const name of EXPOSED) expect(exposed, `${target}: ${name}`).toContain(name.toLowerCase());
      }
      const withoutOrigin = await ask(suite.decorated(), GET("/hello.txt"));
      expect(header(withoutOrigin, "access-control-allow-origin")).toBe("*");
    });

    it("a preflight gets 204 with the allowed methods, the requested headers echoed, and a max age", async () => {
      const preflight = request("OPTIONS", "/hello.txt", {
        Origin: "http://example.com",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "range",
      });
      const response = await askFramed(suite.decorated(), preflight);
      expect(response.status).toBe(204);
      expect(response.body.length).toBe(0);
      expect(header(response, "access-control-allow-origin")).toBe("*");
      expect(header(response, "access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
      expect(header(response, "access-control-allow-headers")?.toLowerCase()).toBe("range");
      expect(header(response, "access-control-max-age")).toBe("86400");
      expect(header(response, "x-content-type-options")).toBe("nosniff");
    });

    it("without --cors: no CORS headers", async () => {
      const response = await ask(suite.plain(), GET("/hello.txt", { Origin: "http://example.com" }));
      expect(header(response, "access-control-allow-origin")).toBeUndefined();
      expect(header(response, "access-control-expose-headers")).toBeUndefined();
    });
  });

  describe("--cache-control", () => {
    it("sent on 200, 206 and 304 file responses", async () => {
      const port = suite.decorated();
      const full = await askFramed(port, GET("/hello.txt"));
      expect(full.status).toBe(200);
      expect(header(full, "cache-control")).toBe("max-age=60");
      const partial = await askFramed(port, GET("/hello.txt", { Range: "bytes=0-4" }));
      expect(partial.status).toBe(206);
      expect(header(partial, "cache-control")).toBe("max-age=60");
      const notModified = await askFramed(
        port,
        GET("/hello.txt", { "If-None-Match": suite.fixture().etag("hello.txt") }),
      );
      expect(notModified.status).toBe(304);
      expect(header(notModified, "cache-control")).toBe("max-age=60");
    });

    it("/time keeps its own no-store", async () => {
      const response = await ask(suite.decorated(), GET("/time"));
      expect(response.status).toBe(200);
      expect(header(response, "cache-control")).toBe("no-store");
    });
  });

  describe("--spa and 404.html", () => {
    const pagesFile = (name: string): string => fs.readFileSync(path.join(suite.fixture().pages, name), "utf8");

    it("--spa: a missing path serves /index.html with 200", async () => {
      for (const target of ["/no/such/route", "/missing.txt", "/deep/route/"]) {
        const response = await askFramed(suite.spa(), GET(target));
        expect(response.status, target).toBe(200);
        expect(header(response, "content-type"), target).toBe(HTML);
        expect(response.body.toString(), target).toBe(pagesFile("index.html"));
      }
      const real = await ask(suite.spa(), GET("/real.txt"));
      expect(real.body.toString()).toBe("a real file\n");
    });

    it("--spa: /time is still the JSON endpoint", async () => {
      const response = await ask(suite.spa(), GET("/time"));
      expect(response.status).toBe(200);
      expect(header(response, "content-type")).toBe(JSON_TYPE);
      expect(typeof (JSON.parse(response.body.toString()) as { unixtime_ms: unknown }).unixtime_ms).toBe("number");
    });

    it("404.html in the root is the body of 404 responses, status still 404", async () => {
      for (const target of ["/no/such/route", "/missing.txt"]) {
        const response = await askFramed(suite.notFoundPage(), GET(target));
        expect(response.status, target).toBe(404);
        expect(header(response, "content-type"), target).toBe(HTML);
        expect(header(response, "x-content-type-options"), target).toBe("nosniff");
        expect(response.body.toString(), target).toBe(pagesFile("404.html"));
      }
      const head = await askFramed(suite.notFoundPage(), HEAD("/missing.txt"), true);
      expect(head.status).toBe(404);
      expect(head.body.length).toBe(0);
      const index = await ask(suite.notFoundPage(), GET("/"));
      expect(index.status).toBe(200);
      expect(index.body.toString()).toBe(pagesFile("index.html"));
    });

    it("without a 404.html the built-in page is used", async () => {
      const response = await ask(suite.plain(), GET("/missing.txt"));
      expect(response.status).toBe(404);
      expect(response.body.toString()).toContain("404 Not Found");
    });
  });
}
