import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listingHtml } from "../../../../src/static/listing/html.ts";
import { type ListingEntry, type ListingFeatures, listingResponse } from "../../../../src/static/listing/page.ts";
import { LISTING_SCRIPT, LISTING_SCRIPT_HASH } from "../../../../src/static/listing/script.ts";

const T0 = Date.UTC(2026, 10, 23, 10, 0, 30);
const file = (name: string): ListingEntry => ({ name, kind: "file", size: 10, mtimeMs: T0 });
const dir = (name: string): ListingEntry => ({ name, kind: "directory", size: 4096, mtimeMs: T0 });

const AWKWARD: readonly ListingEntry[] = [
  file("a b.txt"),
  file('say "hi".txt'),
  file("it's.txt"),
  file("<script>alert(1)</script>"),
  file("a&b"),
  file("#x?y%41"),
  file("é😀日本語"),
  file("a:b"),
  dir('<i> "dir"'),
];

const FOLDER = ["docs", "a b"];
const FOLDER_URL = "http://x/files/docs/a%20b/";
const SORT = { key: "name", order: "asc" } as const;
const PLAIN_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

function page(features: ListingFeatures, entries = AWKWARD, segments = FOLDER): string {
  return listingHtml(segments, entries, SORT, "/files", features);
}

function policy(features: ListingFeatures): string | undefined {
  const headers = listingResponse(FOLDER, AWKWARD, null, undefined, [], "", features).headers;
  return headers.find(([name]) => name === "Content-Security-Policy")?.[1];
}

function unescapeHtml(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? "",
  );
}

/** The delete buttons: [data-href, data-name], unescaped, in page order. */
function buttons(html: string): [string, string][] {
  return [...html.matchAll(/<button type="button" class="delete" hidden data-href="([^"]*)" data-name="([^"]*)">/g)]
    .map((m) => [unescapeHtml(m[1]!), unescapeHtml(m[2]!)]);
}

describe("listing: nothing of writing without --upload and --allow-delete", () => {
  it("keeps the plain page and its policy: no form, button or script", () => {
    for (const features of [{}, { archives: true }]) {
      const html = page(features);
      expect(html).not.toMatch(/<form|<button|<script|<progress|id="status"/);
      expect(policy(features)).toBe(PLAIN_POLICY);
    }
    expect(page({ upload: false, allowDelete: false, archives: false })).toBe(page({}));
  });
});

describe("listing with --upload", () => {
  const html = page({ upload: true });

  it("has a plain multipart form posting files and a folder name to the folder itself", () => {
    expect(html).toContain('<form id="upload" class="upload" method="post" action="./" enctype="multipart/form-data">');
    expect(html).toContain('<input type="file" name="file" multiple>');
    expect(html).toContain('<input type="text" name="folder"');
    expect(html).toContain('<button type="submit">Upload</button>');
    expect(html).toContain("<progress hidden");
    // "./" from the folder's page is the folder, under whatever prefix the page was served at.
    expect(new URL("./", `${FOLDER_URL}?sort=size`).href).toBe(FOLDER_URL);
  });

  it("has the script and its status line, but no delete buttons", () => {
    expect(html).toContain(`<script>${LISTING_SCRIPT}</script>`);
    expect(html).toContain('<p id="status" class="status" role="status"></p>');
    expect(buttons(html)).toEqual([]);
    expect(html).not.toContain('class="actions"');
  });

  it("lets the page post its form and send requests to its own origin, and run only its own script", () => {
    expect(policy({ upload: true })).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; script-src '${LISTING_SCRIPT_HASH}'; ` +
        "connect-src 'self'; base-uri 'none'; form-action 'self'",
    );
  });
});

describe("listing with --allow-delete", () => {
  const html = page({ allowDelete: true });

  it("has one hidden delete button per entry, shown by the script, and no form", () => {
    expect(buttons(html)).toHaveLength(AWKWARD.length);
    expect(html).not.toContain("<form");
    expect(html).toContain(`<script>${LISTING_SCRIPT}</script>`);
    expect(policy({ allowDelete: true })).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; script-src '${LISTING_SCRIPT_HASH}'; ` +
        "connect-src 'self'; base-uri 'none'; form-action 'none'",
    );
  });

  it("aims each button at exactly its name, a folder without its slash (a DELETE of a/ is refused)", () => {
    for (const [href, name] of buttons(html)) {
      const entry = AWKWARD.find((e) => e.name + (e.kind === "directory" ? "/" : "") === name);
      expect(entry, `button for ${name}`).toBeDefined();
      const target = new URL(href, FOLDER_URL);
      expect(target.origin + target.pathname.slice(0, "/files/docs/a%20b/".length)).toBe(FOLDER_URL);
      expect(target.search + target.hash).toBe("");
      expect(decodeURIComponent(target.pathname.slice("/files/docs/a%20b/".length))).toBe(entry!.name);
    }
  });

  it("escapes names in the buttons' attributes", () => {
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<i>");
    for (const m of html.matchAll(/data-(?:href|name)="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>'"]/);
    expect(html).toContain('data-name="say &quot;hi&quot;.txt"');
    expect(html).toContain('data-name="&lt;i&gt; &quot;dir&quot;/"');
    expect(html).toContain('data-name="é😀日本語"');
  });

  it("keeps the table rectangular: a fourth column in the header, the ../ row and the empty line", () => {
    expect(html).toContain('<th scope="col" class="actions" aria-label="Actions"></th></tr></thead>');
    expect(html).toContain('<td class="time"></td><td class="actions"></td></tr>');
    expect(page({ allowDelete: true }, [])).toContain('<td class="empty" colspan="4">');
    expect(page({}, [])).toContain('<td class="empty" colspan="3">');
  });
});

describe("the listing's script", () => {
  it("is allowed by the hash in the policy (recomputed here from its text)", () => {
    const digest = createHash("sha256").update(LISTING_SCRIPT, "utf8").digest("base64");
    expect(LISTING_SCRIPT_HASH, "update LISTING_SCRIPT_HASH in src/static/listing/script.ts").toBe(`sha256-${digest}`);
  });

  it("is ASCII, cannot end its element early, and parses", () => {
    expect(LISTING_SCRIPT).toMatch(/^[\x20-\x7e\n]*$/);
    expect(LISTING_SCRIPT.toLowerCase()).not.toContain("</script");
    expect(LISTING_SCRIPT).not.toContain("<!--");
    expect(() => new Function(LISTING_SCRIPT)).not.toThrow();
  });

  it("is one text for every combination of flags", () => {
    const scripts = [{ upload: true }, { allowDelete: true }, { upload: true, allowDelete: true, archives: true }]
      .map((features) => /<script>([\s\S]*)<\/script>/.exec(page(features))?.[1]);
    expect(scripts).toEqual([LISTING_SCRIPT, LISTING_SCRIPT, LISTING_SCRIPT]);
  });
});
