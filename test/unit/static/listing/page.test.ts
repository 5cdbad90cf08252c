import { describe, expect, it } from "vitest";
import { formatSize } from "../../../../src/static/listing/html.ts";
import { type ListingEntry, listingResponse } from "../../../../src/static/listing/page.ts";

const T0 = Date.UTC(2026, 10, 23, 10, 0, 30);

const file = (name: string, size = 10, mtimeMs = T0): ListingEntry => ({ name, kind: "file", size, mtimeMs });
const dir = (name: string, mtimeMs = T0): ListingEntry => ({ name, kind: "directory", size: 4096, mtimeMs });

const AWKWARD: readonly ListingEntry[] = [
  file("a b.txt"),
  file("#hash"),
  file("what?.txt"),
  file("%41"),
  file("100%.txt"),
  file('say "hi".txt'),
  file("it's (1)!*.txt"),
  file("<b>bold</b>.html"),
  file("<script>alert(1)</script>"),
  file("é.txt"),
  file("😀.png"),
  file("a&b"),
  file(" leading"),
  file("trailing "),
  file("a:b"),
  file("semi;colon=eq+plus,comma"),
  file("..."),
  file("日本語.md"),
  dir("sub dir"),
  dir("#dir?"),
  dir("<i>"),
];

const FOLDER = ["docs", "a b"];
const FOLDER_URL = "http://x/docs/a%20b/";

function text(body: Uint8Array | unknown): string {
  if (!(body instanceof Uint8Array)) throw new Error("expected bytes");
  return new TextDecoder().decode(body);
}

function html(entries: readonly ListingEntry[], query: string | null = null, segments = FOLDER): string {
  return text(listingResponse(segments, entries, query, undefined, []).body);
}

interface JsonListing {
  path: string;
  entries: { name: string; type: string; size: number; modified: string | null; href: string }[];
}

function json(entries: readonly ListingEntry[], query: string | null = null, segments = FOLDER): JsonListing {
  return JSON.parse(text(listingResponse(segments, entries, query, "application/json", []).body)) as JsonListing;
}

function unescapeHtml(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? "",
  );
}

/** The name cells of the table body: [href, shown text], unescaped, in page order. */
function rows(page: string): [string, string][] {
  const body = page.slice(page.indexOf("<tbody>"), page.indexOf("</tbody>"));
  return [...body.matchAll(/<td class="name"><a href="([^"]*)">([^<]*)<\/a><\/td>/g)].map((m) => [
    unescapeHtml(m[1]!),
    unescapeHtml(m[2]!),
  ]);
}

/** What a browser asks for after following href on the folder's page, decoded per segment. */
function followed(href: string, base = FOLDER_URL): string {
  const prefix = new URL(base).pathname;
  const pathname = new URL(href, base).pathname;
  expect(pathname.startsWith(prefix), `${href} stays in the folder`).toBe(true);
  return pathname.slice(prefix.length).split("/").map(decodeURIComponent).join("/");
}

describe("listingResponse: awkward names", () => {
  it("links every entry so that following the link asks for exactly that name", () => {
    const found = rows(html(AWKWARD)).filter(([href]) => href !== "../");
    expect(found).toHaveLength(AWKWARD.length);
    for (const [href, shown] of found) {
      const entry = AWKWARD.find((e) => e.name + (e.kind === "directory" ? "/" : "") === shown);
      expect(entry, `row ${shown}`).toBeDefined();
      const isDir = entry!.kind === "directory";
      expect(href.endsWith("/")).toBe(isDir);
      expect(followed(href)).toBe(isDir ? `${entry!.name}/` : entry!.name);
    }
  });

  it("escapes every name in text and attributes", () => {
    const page = html(AWKWARD);
    expect(page).not.toContain("<b>");
    expect(page).not.toContain("<i>");
    expect(page).not.toContain("<script");
    expect(page).toContain("&lt;b&gt;bold&lt;/b&gt;.html");
    expect(page).toContain("say &quot;hi&quot;.txt");
    expect(page).toContain("it&#39;s (1)!*.txt");
    expect(page).toContain("a&amp;b");
    // Every attribute value is closed by its own quote: no quote or < inside an href.
    for (const m of page.matchAll(/href="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>'"]/);
  });

  it("percent-encodes #, ?, %, quotes and unicode in hrefs", () => {
    const hrefs = new Map(rows(html(AWKWARD)).map(([href, shown]) => [shown, href]));
    expect(hrefs.get("#hash")).toBe("%23hash");
    expect(hrefs.get("what?.txt")).toBe("what%3F.txt");
    expect(hrefs.get("100%.txt")).toBe("100%25.txt");
    expect(hrefs.get("%41")).toBe("%2541");
    expect(hrefs.get("a b.txt")).toBe("a%20b.txt");
    expect(hrefs.get("é.txt")).toBe("%C3%A9.txt");
    expect(hrefs.get("a:b")).toBe("a%3Ab");
    expect(hrefs.get("#dir?/")).toBe("%23dir%3F/");
    expect(hrefs.get(" leading")).toBe("%20leading");
  });

  it("does not fail on a lone surrogate", () => {
    const page = html([file("a\uD800b")]);
    expect(rows(page).map(([href]) => href)).toContain("a%EF%BF%BDb");
  });

  it("gives JSON entries with the same names, hrefs and order as the HTML", () => {
    const listing = json(AWKWARD);
    const fromHtml = rows(html(AWKWARD)).filter(([href]) => href !== "../");
    expect(listing.entries.map((e) => e.href)).toEqual(fromHtml.map(([href]) => href));
    expect(listing.entries.map((e) => e.name + (e.type === "directory" ? "/" : ""))).toEqual(
      fromHtml.map(([, s]) => s),
    );
  });
});

describe("listingResponse: page structure", () => {
  it("answers 200 HTML with the extra headers after Content-Type", () => {
    const response = listingResponse(FOLDER, [], null, undefined, [["Cache-Control", "max-age=60"]]);
    expect(response.status).toBe(200);
    expect(response.headers[0]).toEqual(["Content-Type", "text/html; charset=utf-8"]);
    expect(response.headers).toContainEqual(["Vary", "Accept"]);
    expect(response.headers.at(-1)).toEqual(["Cache-Control", "max-age=60"]);
    expect(response.headers.some(([name]) => name === "ETag")).toBe(false);
  });

  it("has a title and breadcrumbs linking each folder from the root down, relative (so they stay under a proxy's prefix)", () => {
    const page = html([], null, ["docs", "a b", "x#y"]);
    expect(page).toContain("<title>Index of /docs/a b/x#y/</title>");
    const h1 = page.slice(page.indexOf("<h1>"), page.indexOf("</h1>"));
    const links = [...h1.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([["../../../", "/"], ["../../", "docs/"], ["../", "a b/"], ["./", "x#y/"]]);
    const here = "http://example.com/files/docs/a%20b/x%23y/";
    expect(links.map(([href]) => new URL(href!, here).pathname)).toEqual([
      "/files/",
      "/files/docs/",
      "/files/docs/a%20b/",
      "/files/docs/a%20b/x%23y/",
    ]);
    expect(h1.replace(/<[^>]*>/g, "")).toBe("Index of /docs/a b/x#y/");
  });

  it("shows the prefix the site is served under (--base-path, X-Forwarded-Prefix) in the title, the root crumb and the JSON path", () => {
    const page = new TextDecoder().decode(
      listingResponse(["docs"], [], null, undefined, [], "/files").body as Uint8Array,
    );
    expect(page).toContain("<title>Index of /files/docs/</title>");
    expect(page).toContain('<a href="../">/files/</a>');
    const json = JSON.parse(
      new TextDecoder().decode(
        listingResponse(["docs"], [], null, "application/json", [], "/files").body as Uint8Array,
      ),
    );
    expect(json.path).toBe("/files/docs/");
  });

  it("escapes the folder's own name in the title and breadcrumbs", () => {
    const page = html([], null, ["<b>&"]);
    expect(page).toContain("<title>Index of /&lt;b&gt;&amp;/</title>");
    expect(page).toContain('<a href="./" aria-current="page">&lt;b&gt;&amp;/</a>');
  });

  it("has a .. row except at the root", () => {
    expect(rows(html([file("x")]))[0]).toEqual(["../", "../"]);
    expect(new URL("../", FOLDER_URL).pathname).toBe("/docs/");
    const root = html([file("x")], null, []);
    expect(root).toContain("<title>Index of /</title>");
    expect(root).not.toContain('href="../"');
    expect(rows(root)).toEqual([["x", "x"]]);
  });

  it("is self-contained: no script, no external resource, readable on mobile", () => {
    const page = html(AWKWARD);
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).not.toMatch(/<script|<link|<img|src=|https?:/i);
    expect(page).toContain("Modified (UTC)");
  });

  it("shows sizes in binary units with the byte count in a title", () => {
    const page = html([file("big", 1234), file("small", 512)]);
    expect(page).toContain('title="1234 bytes">1.2 KiB<');
    expect(page).toContain('title="512 bytes">512 B<');
  });

  it("shows times in UTC to the minute", () => {
    expect(html([file("x")])).toContain('<time datetime="2026-11-23T10:00:30.000Z">2026-11-23 10:00</time>');
  });

  it("says when the folder is empty", () => {
    expect(html([])).toContain("This folder is empty.");
  });
});

describe("formatSize", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1234, "1.2 KiB"],
    [1024 * 1024 - 1, "1.0 MiB"],
    [5 * 2 ** 30, "5.0 GiB"],
    [2 ** 42, "4.0 TiB"],
  ])("%d bytes -> %s", (bytes, shown) => {
    expect(formatSize(bytes)).toBe(shown);
  });
});

describe("listingResponse: sorting", () => {
  const ENTRIES: readonly ListingEntry[] = [
    file("file10.txt", 300, T0 + 1000),
    file("file2.txt", 100, T0 + 3000),
    file("B.txt", 200, T0 + 2000),
    file("a.txt", 200, T0),
    file("A.txt", 50, T0 + 5000),
    dir("zeta", T0),
    dir("Alpha", T0 + 9000),
  ];
  const order = (query: string | null): string[] => json(ENTRIES, query).entries.map((e) => e.name);

  it("sorts by name, naturally and case-insensitively, folders first, by default", () => {
    const expected = ["Alpha", "zeta", "A.txt", "a.txt", "B.txt", "file2.txt", "file10.txt"];
    expect(order(null)).toEqual(expected);
    expect(order("sort=name&order=asc")).toEqual(expected);
    expect(order("sort=bogus&order=sideways")).toEqual(expected);
    expect(rows(html(ENTRIES)).slice(1).map(([, shown]) => shown)).toEqual(["Alpha/", "zeta/", ...expected.slice(2)]);
  });

  it("sorts by name descending, folders still first", () => {
    expect(order("sort=name&order=desc")).toEqual([
      "zeta",
      "Alpha",
      "file10.txt",
      "file2.txt",
      "B.txt",
      "a.txt",
      "A.txt",
    ]);
  });

  it("sorts by size, ties by name", () => {
    expect(order("sort=size")).toEqual(["Alpha", "zeta", "A.txt", "file2.txt", "a.txt", "B.txt", "file10.txt"]);
    expect(order("sort=size&order=desc")).toEqual([
      "Alpha",
      "zeta",
      "file10.txt",
      "a.txt",
      "B.txt",
      "file2.txt",
      "A.txt",
    ]);
  });

  it("sorts by time, folders first", () => {
    expect(order("sort=time&order=asc")).toEqual([
      "zeta",
      "Alpha",
      "a.txt",
      "file10.txt",
      "B.txt",
      "file2.txt",
      "A.txt",
    ]);
    expect(order("sort=time&order=desc")).toEqual([
      "Alpha",
      "zeta",
      "A.txt",
      "file2.txt",
      "B.txt",
      "file10.txt",
      "a.txt",
    ]);
  });

  it("gives the same order in HTML and JSON", () => {
    for (const query of ["sort=size&order=desc", "sort=time", "sort=name&order=desc"]) {
      const shown = rows(html(ENTRIES, query)).slice(1).map(([href]) => href);
      expect(shown).toEqual(json(ENTRIES, query).entries.map((e) => e.href));
    }
  });

  it("makes column headers links that toggle the order of the active column", () => {
    const heads = (query: string | null): string[] =>
      [...html(ENTRIES, query).matchAll(/<th[^>]*><a href="([^"]*)">/g)].map((m) => unescapeHtml(m[1]!));
    expect(heads(null)).toEqual(["?sort=name&order=desc", "?sort=size&order=asc", "?sort=time&order=asc"]);
    expect(heads("sort=size")).toEqual(["?sort=name&order=asc", "?sort=size&order=desc", "?sort=time&order=asc"]);
    expect(heads("sort=time&order=desc")).toEqual([
      "?sort=name&order=asc",
      "?sort=size&order=asc",
      "?sort=time&order=asc",
    ]);
    expect(html(ENTRIES, "sort=time&order=desc")).toContain('aria-sort="descending"');
  });
});

describe("listingResponse: JSON", () => {
  it("has the path and each entry's fields", () => {
    const response = listingResponse(FOLDER, [file("a b.txt", 12), dir("sub")], null, "application/json", [[
      "Cache-Control",
      "no-cache",
    ]]);
    expect(response.status).toBe(200);
    expect(response.headers[0]).toEqual(["Content-Type", "application/json; charset=utf-8"]);
    expect(response.headers.at(-1)).toEqual(["Cache-Control", "no-cache"]);
    expect(JSON.parse(text(response.body))).toEqual({
      path: "/docs/a b/",
      entries: [
        { name: "sub", type: "directory", size: 0, modified: "2026-11-23T10:00:30.000Z", href: "sub/" },
        { name: "a b.txt", type: "file", size: 12, modified: "2026-11-23T10:00:30.000Z", href: "a%20b.txt" },
      ],
    });
    expect(json([], null, []).path).toBe("/");
  });

  it.each([
    ["application/json", true],
    ["Application/JSON; charset=utf-8", true],
    ["text/html, application/json;q=0.5", true],
    ["application/json;q=0", false],
    ["application/json; q=0.000", false],
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false],
    ["*/*", false],
    ["application/jsonx", false],
  ])("Accept %j -> JSON %s", (accept, isJson) => {
    const response = listingResponse([], [file("x")], null, accept, []);
    expect(response.headers[0]?.[1].startsWith("application/json")).toBe(isJson);
  });

  it("answers HTML without an Accept field", () => {
    expect(listingResponse([], [], null, undefined, []).headers[0]).toEqual([
      "Content-Type",
      "text/html; charset=utf-8",
    ]);
  });
});
