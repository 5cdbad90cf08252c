import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Every relative link in the documentation resolves: the file or folder exists, and a `#anchor`
 * names a heading of the page it points at, slugged as GitHub slugs them. Links to other sites
 * are not followed (the tests run offline).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The Markdown files a reader walks: the README, the architecture, docs/, the guides beside code. */
function documentationFiles(): string[] {
  const files = ["README.md", "ARCHITECTURE.md", "BENCHMARKS.md", "test/README.md", "examples/README.md"]
    .filter((file) => existsSync(join(ROOT, file)));
  return [...files, ...markdownUnder("docs")];
}

function markdownUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) found.push(...markdownUnder(path));
    else if (entry.name.endsWith(".md")) found.push(path);
  }
  return found.sort();
}

/** The lines of a Markdown text outside fenced code blocks, with their line numbers. */
function proseLines(text: string): Array<{ line: string; number: number }> {
  const lines: Array<{ line: string; number: number }> = [];
  let fence: string | null = null;
  text.split("\n").forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === null) fence = marker[0]!;
      else if (marker[0] === fence) fence = null;
      return;
    }
    if (fence === null) lines.push({ line, number: index + 1 });
  });
  return lines;
}

/** GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces as hyphens. */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link counts by its text
    .replace(/<[^>]+>/g, "") // inline HTML
    .replace(/[`*]/g, "") // code spans and emphasis
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

const anchorCache = new Map<string, Set<string>>();

/** The anchors a Markdown file has: one per heading, repeated slugs numbered -1, -2, ... */
function anchorsOf(file: string): Set<string> {
  const cached = anchorCache.get(file);
  if (cached !== undefined) return cached;
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(readFileSync(file, "utf8"))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

interface Link {
  readonly target: string;
  readonly line: number;
}

/** Inline links and images, `[text](target)` and `[text](target "title")`, outside code. */
function linksOf(text: string): Link[] {
  const links: Link[] = [];
  for (const { line, number } of proseLines(text)) {
    const prose = line.replace(/(`+)(?:(?!\1).)+?\1/g, (span) => span.includes("](") ? "" : span);
    for (const match of prose.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
      links.push({ target: match[1]!, line: number });
    }
  }
  return links;
}

/** What is wrong with one link, or null when it resolves. */
function brokenReason(file: string, link: Link): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return null; // http:, https:, mailto: ...
  const hash = link.target.indexOf("#");
  const path = hash === -1 ? link.target : link.target.slice(0, hash);
  const anchor = hash === -1 ? null : decodeURIComponent(link.target.slice(hash + 1));
  const target = path === "" ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!target.startsWith(ROOT)) return "points outside the repository";
  if (!existsSync(target)) return `${relative(ROOT, target)} does not exist`;
  if (anchor === null) return null;
  if (!statSync(target).isFile() || !target.endsWith(".md")) return `an anchor into ${relative(ROOT, target)}`;
  return anchorsOf(target).has(anchor) ? null : `no heading #${anchor} in ${relative(ROOT, target)}`;
}

describe("documentation links", () => {
  it("finds the documentation", () => {
    expect(documentationFiles()).toEqual(expect.arrayContaining(["README.md", "ARCHITECTURE.md", "docs/https.md"]));
  });

  it.each(documentationFiles())("every relative link and anchor in %s resolves", (name) => {
    const file = join(ROOT, name);
    const broken = linksOf(readFileSync(file, "utf8"))
      .map((link) => ({ link, reason: brokenReason(file, link) }))
      .filter(({ reason }) => reason !== null)
      .map(({ link, reason }) => `${name}:${link.line}: (${link.target}) ${reason}`);
    expect(broken).toEqual([]);
  });
});

describe("githubSlug", () => {
  it("slugs headings as GitHub does", () => {
    expect(githubSlug("As a library: `serve()`")).toBe("as-a-library-serve");
    expect(githubSlug("`.ts` apps on Node 20")).toBe("ts-apps-on-node-20");
    expect(githubSlug("Health, metrics")).toBe("health-metrics");
    expect(githubSlug("Under a prefix: `/files/`")).toBe("under-a-prefix-files");
    expect(githubSlug("Real client addresses: `--trust-proxy`")).toBe("real-client-addresses---trust-proxy");
    expect(githubSlug("Targets (issue 14)")).toBe("targets-issue-14");
  });
});
