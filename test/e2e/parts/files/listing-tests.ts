import { describe, expect, it } from "vitest";
import {
  ask,
  askFramed,
  AWKWARD,
  AWKWARD_DIR,
  BASE_S,
  type FilesSuite,
  GET,
  header,
  HTML,
  JSON_TYPE,
  LISTED,
} from "./fixture.ts";

interface Entry {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly modified: string;
  readonly href: string;
}

interface Listing {
  readonly path: string;
  readonly entries: readonly Entry[];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      return String.fromCodePoint(
        name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1)),
      );
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Every `<a href="...">text</a>`, href and text unescaped (text without inner tags). */
function links(html: string): { href: string; text: string }[] {
  return [...html.matchAll(/<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)].map((m) => ({
    href: unescapeHtml(m[1]!),
    text: unescapeHtml(m[2]!.replace(/<[^>]*>/g, "")).trim(),
  }));
}

/** Only unreserved, sub-delims, ":", "@", "/" and %XX: nothing a browser would read differently. */
const SAFE_HREF = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;

/** The request-target a listing link at `folder` leads to, or null for sort links, `..` and ancestors. */
function entryTarget(folder: string, href: string): string | null {
  if (href.includes("?") || href.startsWith("../") || href === ".." || href.startsWith("./")) return null;
  const target = href.startsWith("/") ? href : folder + href;
  return target.startsWith(folder) && target.length > folder.length ? target : null;
}

const JSON_ACCEPT = { Accept: "application/json" };

export function filesListingTests(suite: FilesSuite): void {
  describe("directory listings", () => {
    const json = async (target: string, port = suite.plain()): Promise<Listing> => {
      const response = await askFramed(port, GET(target, JSON_ACCEPT));
      expect(response.status, target).toBe(200);
      expect(header(response, "content-type"), target).toBe(JSON_TYPE);
      return JSON.parse(response.body.toString("utf8")) as Listing;
    };
    const names = async (target: string, port?: number): Promise<string[]> =>
      (await json(target, port)).entries.map((e) => e.name);

    it("HTML: every awkward name escaped in text, and every link in the table leads to its file", async () => {
      const response = await askFramed(suite.plain(), GET("/awkward/"));
      expect(response.status).toBe(200);
      expect(header(response, "content-type")).toBe(HTML);
      expect(header(response, "x-content-type-options")).toBe("nosniff");
      expect(header(response, "etag")).toBeUndefined();
      const html = response.body.toString("utf8");
      expect(html).not.toContain("<b>.txt");
      expect(html.replace(/href="[^"]*"/g, "")).not.toContain("a&b.txt");
      expect(html).toContain("&lt;b&gt;.txt");
      expect(html).toContain("a&amp;b.txt");
      expect(html).not.toContain(".hidden");
      const texts = links(html).map((l) => l.text);
      for (const name of [...AWKWARD, AWKWARD_DIR]) expect(texts.some((t) => t.includes(name)), name).toBe(true);

      const table = /<table[\s\S]*<\/table>/i.exec(html)?.[0] ?? html;
      const targets = new Set(links(table).map((l) => entryTarget("/awkward/", l.href)).filter((t) => t !== null));
      for (const target of targets) expect(target, target).toMatch(SAFE_HREF);
      const linked = [...targets].map((t) => decodeURIComponent(t.slice("/awkward/".length))).sort();
      expect(linked).toEqual([...AWKWARD, `${AWKWARD_DIR}/`].sort());
      for (const target of targets) {
        const followed = await ask(suite.plain(), GET(target));
        expect(followed.status, target).toBe(200);
        const name = decodeURIComponent(target.slice("/awkward/".length));
        if (name.endsWith("/")) expect(header(followed, "content-type"), target).toBe(HTML);
        else expect(followed.body.toString("utf8"), target).toBe(name);
      }
    });

    it("HTML: title, breadcrumbs root first, a .. row, and sort links in the column headers", async () => {
      const listed = (await askFramed(suite.plain(), GET("/listed/"))).body.toString("utf8");
      expect(listed).toMatch(/<title>\s*Index of \/listed\/\s*<\/title>/);
      expect(listed).toMatch(/<h1[^>]*>[\s\S]*Index of/);
      const hrefs = links(listed).map((l) => l.href);
      expect(hrefs).toContain("../");
      for (const key of ["name", "size", "time"]) expect(hrefs.some((h) => h.includes(`sort=${key}`)), key).toBe(true);
      expect(hrefs.map((h) => entryTarget("/listed/", h))).toContain("/listed/sub/");

      const deep = (await askFramed(suite.plain(), GET("/awkward/sub%20dir/"))).body.toString("utf8");
      const resolved = links(deep).map((l) => new URL(l.href, "http://x/awkward/sub%20dir/").pathname);
      expect(resolved).toContain("/");
      expect(resolved).toContain("/awkward/");
      expect(resolved.indexOf("/")).toBeLessThan(resolved.indexOf("/awkward/"));

      const root = (await askFramed(suite.plain(), GET("/"))).body.toString("utf8");
      expect(links(root).map((l) => l.href)).not.toContain("../");
    });

    it("JSON: {path, entries}, folders first, sizes, ISO times and hrefs that decode to the names", async () => {
      const listing = await json("/awkward/");
      expect(listing.path).toBe("/awkward/");
      expect(listing.entries[0]).toMatchObject({ name: AWKWARD_DIR, type: "directory", size: 0, href: "sub%20dir/" });
      const files = listing.entries.slice(1);
      expect(files.map((e) => e.name).sort()).toEqual([...AWKWARD].sort());
      for (const entry of files) {
        expect(entry.type, entry.name).toBe("file");
        expect(entry.size, entry.name).toBe(Buffer.byteLength(entry.name));
        expect(entry.modified, entry.name).toBe(new Date(BASE_S * 1000).toISOString());
        expect(entry.href, entry.name).toMatch(SAFE_HREF);
        expect(decodeURIComponent(entry.href), entry.name).toBe(entry.name);
      }
    });

    it("JSON honours sort and order, folders first in every order", async () => {
      const byName = (names: string[]): string[] => ["sub", ...names];
      expect(await names("/listed/")).toEqual(byName(["a.txt", "b.txt", "c.txt"]));
      expect(await names("/listed/?sort=name&order=desc")).toEqual(byName(["c.txt", "b.txt", "a.txt"]));
      expect(await names("/listed/?sort=size")).toEqual(byName(["b.txt", "c.txt", "a.txt"]));
      expect(await names("/listed/?sort=size&order=desc")).toEqual(byName(["a.txt", "c.txt", "b.txt"]));
      expect(await names("/listed/?sort=time")).toEqual(byName(["a.txt", "c.txt", "b.txt"]));
      expect(await names("/listed/?sort=time&order=desc")).toEqual(byName(["b.txt", "c.txt", "a.txt"]));
      const listing = await json("/listed/?sort=size");
      for (const { name, size, mtime } of LISTED) {
        const entry = listing.entries.find((e) => e.name === name);
        expect(entry?.size, name).toBe(size);
        expect(entry?.modified, name).toBe(new Date(mtime * 1000).toISOString());
      }
    });

    it("HTML honours sort and order too", async () => {
      const html = (await askFramed(suite.plain(), GET("/listed/?sort=size&order=desc"))).body.toString("utf8");
      const order = links(html)
        .map((l) => entryTarget("/listed/", l.href))
        .filter((t): t is string => t !== null)
        .map((t) => t.slice("/listed/".length));
      const firsts = ["sub/", "a.txt", "c.txt", "b.txt"].map((n) => order.indexOf(n));
      expect(firsts.every((i) => i >= 0)).toBe(true);
      expect([...firsts].sort((x, y) => x - y)).toEqual(firsts);
    });

    it("a folder without its slash redirects with 301, relative (right under any prefix a proxy removed)", async () => {
      const response = await ask(suite.plain(), GET("/awkward"));
      expect(response.status).toBe(301);
      expect(header(response, "location")).toBe("awkward/");
      const spaced = await ask(suite.plain(), GET("/awkward/sub%20dir"));
      expect(spaced.status).toBe(301);
      expect(header(spaced, "location")).toBe("sub%20dir/");
      expect(new URL("sub%20dir/", "http://x/files/awkward/sub%20dir").pathname).toBe("/files/awkward/sub%20dir/");
    });

    it("dotfiles are hidden and not listed by default, served and listed with --dotfiles", async () => {
      expect((await ask(suite.plain(), GET("/awkward/.hidden"))).status).toBe(404);
      expect(await names("/awkward/")).not.toContain(".hidden");
      const served = await ask(suite.strict(), GET("/awkward/.hidden"));
      expect(served.status).toBe(200);
      expect(served.body.toString()).toBe("hidden");
      expect(await names("/awkward/", suite.strict())).toContain(".hidden");
    });

    it("symlinks: inside ones listed, outside and broken ones not; none with --no-symlinks", async () => {
      const plain = await names("/");
      expect(plain).toEqual(expect.arrayContaining(["inside-link.txt", "linked-dir", "hello.txt", "awkward"]));
      for (const hidden of ["outside-link.txt", "outside-dir", "broken-link.txt"]) {
        expect(plain, hidden).not.toContain(hidden);
      }
      const strict = await names("/", suite.strict());
      expect(strict).toContain("hello.txt");
      for (const link of ["inside-link.txt", "linked-dir", "outside-link.txt", "outside-dir", "broken-link.txt"]) {
        expect(strict, link).not.toContain(link);
      }
    });

    it("--no-listing: a folder without index.html is 404, one with it is served", async () => {
      for (const target of ["/listed/", "/", "/awkward/"]) {
        expect((await ask(suite.noListing(), GET(target))).status, target).toBe(404);
        expect((await ask(suite.noListing(), GET(target, JSON_ACCEPT))).status, target).toBe(404);
      }
      const indexed = await ask(suite.noListing(), GET("/withindex/"));
      expect(indexed.status).toBe(200);
      expect(indexed.body.toString()).toBe("<p>WITH INDEX</p>\n");
      expect((await ask(suite.noListing(), GET("/hello.txt"))).status).toBe(200);
    });

    it("--cache-control on listings", async () => {
      const response = await ask(suite.decorated(), GET("/listed/"));
      expect(response.status).toBe(200);
      expect(header(response, "cache-control")).toBe("max-age=60");
      expect(header(response, "etag")).toBeUndefined();
    });
  });
}
