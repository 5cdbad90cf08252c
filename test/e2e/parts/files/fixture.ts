import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { expect } from "vitest";
import { hasResponses, type ParsedResponse, parseResponses } from "../../../support/http-response-parser.ts";
import { rawExchange } from "../../../support/raw-client.ts";

export { header } from "../../../support/http-response-parser.ts";

/** The sparse file: 5 GiB, with known bytes past 4 GiB and at its very end. */
export const BIG_SIZE = 5 * 1024 ** 3;
export const BIG_OFFSET = 4 * 1024 ** 3 + 10;
export const BIG_MARK = Buffer.from("SUNDIAL!");
export const BIG_END = Buffer.from("END!");

/**
 * Whole seconds, so "mtime ms as integer" and Last-Modified agree on every runtime
 * (2023-11-14T22:13:20Z). `subsecond.txt` alone gets BASE + 0.5 s.
 */
export const BASE_S = 1_700_000_000;

/** Files in awkward/, each holding its own name (UTF-8). */
export const AWKWARD = [
  "a b.txt",
  "hash#.txt",
  "q?.txt",
  "100%.txt",
  'quote".txt',
  "apos'.txt",
  "<b>.txt",
  "\u00e9.txt",
  "\u{1F600}.txt",
  "a&b.txt",
] as const;
export const AWKWARD_DIR = "sub dir";

/** listed/: name asc a b c; size asc b c a; time asc a c b (and the folder "sub" first in every order). */
export const LISTED = [
  { name: "a.txt", size: 300, mtime: BASE_S + 1000 },
  { name: "b.txt", size: 100, mtime: BASE_S + 3000 },
  { name: "c.txt", size: 200, mtime: BASE_S + 2000 },
] as const;

export const OUTSIDE_SECRET = "OUTSIDE-THE-ROOT-SECRET";
export const DOTENV_SECRET = "DOTENV-SECRET";

export interface FilesFixture {
  /** Holds everything below; removed whole. */
  readonly base: string;
  /** The main served folder. */
  readonly root: string;
  /** The second served folder: index.html and 404.html (for --spa and the custom 404 page). */
  readonly pages: string;
  /** The bytes of a file under the main root, as they are now. */
  read(rel: string): Buffer;
  /** The ETag sundial must give a file under the main root (coding: "br", "gzip" for siblings). */
  etag(rel: string, coding?: string): string;
  /** The IMF-fixdate of a main-root file's mtime. */
  lastModified(rel: string): string;
  remove(): void;
}

/** ~4 KiB of compressible HTML. */
function pageHtml(): string {
  const rows = Array.from(
    { length: 60 },
    (_, i) => `<p>Paragraph ${i}: the quick brown fox jumps over the lazy dog.</p>`,
  );
  return `<!doctype html>\n<title>page</title>\n${rows.join("\n")}\n`;
}

/** 1000 bytes of printable ASCII that do not repeat in short cycles, so a wrong offset shows. */
function helloBytes(): Buffer {
  return Buffer.from(Array.from({ length: 1000 }, (_, i) => 0x21 + ((i * 7 + Math.floor(i / 94)) % 94)));
}

function write(file: string, content: string | Buffer, mtimeS = BASE_S): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.utimesSync(file, mtimeS, mtimeS);
}

export function createFilesFixture(): FilesFixture {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sundial-files-")));
  const root = path.join(base, "root");
  const pages = path.join(base, "pages");
  const at = (rel: string): string => path.join(root, rel);

  write(at("hello.txt"), helloBytes());
  write(at("empty.txt"), "");
  write(at("subsecond.txt"), "modified half-way through a second\n", BASE_S + 0.5);
  write(at("page.html"), pageHtml());
  const css = Array.from(
    { length: 40 },
    (_, i) => `.rule-${i} { color: #${(i * 4099).toString(16).padStart(6, "0").slice(0, 6)}; margin: ${i}px; }`,
  ).join("\n") + "\n";
  write(at("style.css"), css);
  // Siblings have their own mtime: their ETags come from their own metadata.
  write(at("style.css.br"), zlib.brotliCompressSync(Buffer.from(css)), BASE_S + 60);
  write(at("style.css.gz"), zlib.gzipSync(Buffer.from(css)), BASE_S + 120);
  write(at("large.txt"), "over one MiB of text, too large to compress on the fly\n".repeat(30_000));
  write(at("change-0.txt"), "version one\n");
  write(at("change-1.txt"), "version one\n");
  write(at("withindex/index.html"), "<p>WITH INDEX</p>\n");

  const big = fs.openSync(at("big.bin"), "w");
  try {
    fs.ftruncateSync(big, BIG_SIZE);
    fs.writeSync(big, BIG_MARK, 0, BIG_MARK.length, BIG_OFFSET);
    fs.writeSync(big, BIG_END, 0, BIG_END.length, BIG_SIZE - BIG_END.length);
  } finally {
    fs.closeSync(big);
  }

  for (const name of AWKWARD) write(at(`awkward/${name}`), name);
  write(at(`awkward/${AWKWARD_DIR}/inner.txt`), "inner");
  write(at("awkward/.hidden"), "hidden");
  fs.utimesSync(at(`awkward/${AWKWARD_DIR}`), BASE_S, BASE_S);

  for (const { name, size, mtime } of LISTED) write(at(`listed/${name}`), "x".repeat(size), mtime);
  write(at("listed/sub/file.txt"), "in sub");

  write(path.join(base, "outside", "secret.txt"), OUTSIDE_SECRET);
  fs.symlinkSync("hello.txt", at("inside-link.txt"));
  fs.symlinkSync("listed", at("linked-dir"));
  fs.symlinkSync(path.join(base, "outside", "secret.txt"), at("outside-link.txt"));
  fs.symlinkSync("../outside", at("outside-dir"));
  fs.symlinkSync("does-not-exist", at("broken-link.txt"));
  write(at(".env"), DOTENV_SECRET);
  fs.symlinkSync(".env", at("envlink"));
  write(at("evil.com/index.html"), "a folder named like a host");
  write(at("sib.txt"), "sibling freshness\n".repeat(100));
  write(at("sib.txt.gz"), zlib.gzipSync(Buffer.from("sibling freshness\n".repeat(100))));

  write(path.join(pages, "index.html"), "<!doctype html><p>SPA INDEX</p>\n");
  write(path.join(pages, "404.html"), "<!doctype html><p>CUSTOM NOT FOUND PAGE</p>\n");
  write(path.join(pages, "real.txt"), "a real file\n");

  return {
    base,
    root,
    pages,
    read: (rel) => fs.readFileSync(at(rel)),
    etag: (rel, coding) => {
      const stat = fs.statSync(at(coding === undefined ? rel : `${rel}.${coding === "gzip" ? "gz" : coding}`));
      return `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${
        coding === undefined ? "" : `-${coding}`
      }"`;
    },
    lastModified: (rel) => new Date(Math.floor(fs.statSync(at(rel)).mtimeMs / 1000) * 1000).toUTCString(),
    remove: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/** A request as raw bytes (no client normalises the target); Host is always sent. */
export function request(method: string, target: string, headers: Readonly<Record<string, string>> = {}): string {
  const fields = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  return `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n${fields}\r\n`;
}

export const GET = (target: string, headers?: Readonly<Record<string, string>>): string =>
  request("GET", target, headers);
export const HEAD = (target: string, headers?: Readonly<Record<string, string>>): string =>
  request("HEAD", target, headers);

/** One request on a fresh connection; its response (whole: a response cut short throws). */
export async function ask(port: number, raw: string, head = false): Promise<ParsedResponse> {
  const result = await rawExchange(port, raw, { until: hasResponses(1, { heads: [head] }), timeoutMs: 5000 });
  const [response] = parseResponses(result.data, { heads: [head], ended: result.closed });
  if (response === undefined || !response.complete) {
    throw new Error(
      `no whole response to ${JSON.stringify(raw)}: ${JSON.stringify(result.data.toString("latin1").slice(0, 300))}`,
    );
  }
  return response;
}

const PROBE = "GET /time HTTP/1.1\r\nHost: localhost\r\n\r\n";

/**
 * The request, then GET /time on the same connection: the /time answer parses only if the
 * first response's framing was exact (Content-Length equal to the body, no body on 304/HEAD).
 */
export async function askFramed(port: number, raw: string, head = false): Promise<ParsedResponse> {
  const result = await rawExchange(port, raw + PROBE, {
    until: hasResponses(2, { heads: [head, false] }),
    timeoutMs: 5000,
  });
  const responses = parseResponses(result.data, { heads: [head, false] });
  const context = `framing of ${JSON.stringify(raw)}: ${JSON.stringify(result.data.toString("latin1").slice(0, 300))}`;
  expect(responses.length, context).toBe(2);
  const probe = responses[1]!;
  expect(probe.status, context).toBe(200);
  expect(probe.body.length, context).toBe(Number(probe.headers.get("content-length")));
  expect(typeof (JSON.parse(probe.body.toString("utf8")) as { unixtime_ms?: unknown }).unixtime_ms, context).toBe(
    "number",
  );
  return responses[0]!;
}

/** RFC 9110 §5.6.7 IMF-fixdate. */
export const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export const HTML = "text/html; charset=utf-8";
export const TEXT = "text/plain; charset=utf-8";
export const JSON_TYPE = "application/json; charset=utf-8";

/** The ports of the servers the file tests run against, all started on the same fixture. */
export interface FilesSuite {
  readonly fixture: () => FilesFixture;
  /** Default flags, main root. */
  readonly plain: () => number;
  /** --no-listing, main root. */
  readonly noListing: () => number;
  /** --spa, second root. */
  readonly spa: () => number;
  /** No flags, second root (its 404.html is the 404 body). */
  readonly notFoundPage: () => number;
  /** --cors --cache-control "max-age=60" --compress, main root. */
  readonly decorated: () => number;
  /** --no-symlinks --dotfiles --cache-ttl 0, main root. */
  readonly strict: () => number;
}
