import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSundial, startSundial } from "../../../support/server-process.ts";
import { filesAccessTests } from "./access-tests.ts";
import { filesEncodingTests } from "./encoding-tests.ts";
import {
  ask,
  askFramed,
  BASE_S,
  createFilesFixture,
  type FilesFixture,
  type FilesSuite,
  GET,
  HEAD,
  header,
  HTML,
  IMF_FIXDATE,
  JSON_TYPE,
  TEXT,
} from "./fixture.ts";
import { filesListingTests } from "./listing-tests.ts";
import { filesRangesTests } from "./ranges-tests.ts";
import { SUITE_TIME_ZONE } from "../time-tests.ts";
import type { SuiteContext } from "../../context.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Files beyond plain GET (issue 5): validators and conditional requests, ranges, content
 * coding, listings, symlinks, and the flags that shape them. Six servers on one fixture:
 * default flags, --no-listing, --spa and a custom 404.html (second root), --cors with
 * --cache-control and --compress, and --no-symlinks with --dotfiles and --cache-ttl 0.
 */
export function filesTests({ target }: SuiteContext): void {
  describe.concurrent("files: validators, ranges, coding, listings", () => {
    let fixture: FilesFixture | undefined;
    let servers: RunningSundial[] = [];
    beforeAll(async () => {
      fixture = createFilesFixture();
      const env = { TZ: SUITE_TIME_ZONE };
      const { root, pages } = fixture;
      const started = await Promise.allSettled([
        startSundial(target, [root], env),
        startSundial(target, [root, "--no-listing"], env),
        startSundial(target, [pages, "--spa"], env),
        startSundial(target, [pages], env),
        startSundial(target, [root, "--cors", "--cache-control", "max-age=60", "--compress"], env),
        startSundial(target, [root, "--no-symlinks", "--dotfiles", "--cache-ttl", "0"], env),
      ]);
      // Keep every server that started, so afterAll stops them even if another failed.
      servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const failed = started.find((s) => s.status === "rejected");
      if (failed !== undefined) throw failed.reason;
    }, 60_000);
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      fixture?.remove();
    });
    const port = (i: number) => (): number => servers[i]!.port;
    const suite: FilesSuite = {
      fixture: () => fixture!,
      plain: port(0),
      noListing: port(1),
      spa: port(2),
      notFoundPage: port(3),
      decorated: port(4),
      strict: port(5),
    };

    validatorTests(suite);
    conditionalTests(suite);
    freshnessTests(suite);
    filesRangesTests(suite);
    filesEncodingTests(suite);
    filesListingTests(suite);
    filesAccessTests(suite);
  });
}

function validatorTests(suite: FilesSuite): void {
  describe("file response headers", () => {
    it("a 200 carries Accept-Ranges, a strong ETag from size and mtime (as nginx's), Last-Modified and nosniff", async () => {
      const response = await askFramed(suite.plain(), GET("/hello.txt"));
      expect(response.status).toBe(200);
      expect(header(response, "content-type")).toBe(TEXT);
      expect(header(response, "content-length")).toBe("1000");
      expect(response.body.equals(suite.fixture().read("hello.txt"))).toBe(true);
      expect(header(response, "accept-ranges")).toBe("bytes");
      expect(header(response, "etag")).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(header(response, "etag")).toBe(suite.fixture().etag("hello.txt"));
      const lastModified = header(response, "last-modified") ?? "";
      expect(lastModified).toMatch(IMF_FIXDATE);
      expect(Date.parse(lastModified)).toBe(BASE_S * 1000);
      expect(header(response, "x-content-type-options")).toBe("nosniff");
      // No sibling, no --compress, no --cache-control, no --cors on this server.
      expect(header(response, "vary")).toBeUndefined();
      expect(header(response, "cache-control")).toBeUndefined();
      expect(header(response, "access-control-allow-origin")).toBeUndefined();
    });

    it("the ETag counts milliseconds and Last-Modified truncates to the second", async () => {
      const response = await ask(suite.plain(), GET("/subsecond.txt"));
      expect(response.status).toBe(200);
      const size = suite.fixture().read("subsecond.txt").length;
      expect(header(response, "etag")).toBe(`"${size.toString(16)}-${(BASE_S * 1000 + 500).toString(16)}"`);
      expect(header(response, "last-modified")).toBe(new Date(BASE_S * 1000).toUTCString());
    });

    it("HEAD gives the GET head with no body", async () => {
      const get = await ask(suite.plain(), GET("/hello.txt"));
      const head = await askFramed(suite.plain(), HEAD("/hello.txt"), true);
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (
        const name of [
          "content-type",
          "content-length",
          "accept-ranges",
          "etag",
          "last-modified",
          "x-content-type-options",
        ]
      ) {
        expect(header(head, name), name).toBe(header(get, name));
      }
    });

    it("an empty file: 200 with Content-Length 0", async () => {
      const response = await askFramed(suite.plain(), GET("/empty.txt"));
      expect(response.status).toBe(200);
      expect(header(response, "content-length")).toBe("0");
      expect(header(response, "etag")).toBe(suite.fixture().etag("empty.txt"));
    });

    it("nosniff on every response: 404, /time, a listing, a redirect", async () => {
      const port = suite.plain();
      const missing = await ask(port, GET("/no-such-file.txt"));
      expect(missing.status).toBe(404);
      expect(header(missing, "x-content-type-options")).toBe("nosniff");
      const time = await ask(port, GET("/time"));
      expect(time.status).toBe(200);
      expect(header(time, "content-type")).toBe(JSON_TYPE);
      expect(header(time, "x-content-type-options")).toBe("nosniff");
      const listing = await ask(port, GET("/listed/"));
      expect(listing.status).toBe(200);
      expect(header(listing, "content-type")).toBe(HTML);
      expect(header(listing, "x-content-type-options")).toBe("nosniff");
      const redirect = await ask(port, GET("/listed"));
      expect(redirect.status).toBe(301);
      expect(header(redirect, "x-content-type-options")).toBe("nosniff");
    });
  });
}

const DAY = 24 * 3600 * 1000;
const past = (): string => new Date((BASE_S - 3600) * 1000).toUTCString();
const future = (): string => new Date(Date.now() + DAY).toUTCString();

function conditionalTests(suite: FilesSuite): void {
  describe("conditional requests (RFC 9110 §13.2.2)", () => {
    const etag = (): string => suite.fixture().etag("hello.txt");
    const lastModified = (): string => suite.fixture().lastModified("hello.txt");
    const status = async (headers: Record<string, string>, head = false): Promise<number> =>
      (await ask(suite.plain(), (head ? HEAD : GET)("/hello.txt", headers), head)).status;

    it("If-None-Match with the ETag: 304 with validators, no body, and the connection stays usable", async () => {
      const response = await askFramed(suite.plain(), GET("/hello.txt", { "If-None-Match": etag() }));
      expect(response.status).toBe(304);
      expect(response.body.length).toBe(0);
      expect(header(response, "content-length")).toBeUndefined();
      expect(header(response, "etag")).toBe(etag());
      expect(header(response, "last-modified")).toBe(lastModified());
      expect(header(response, "x-content-type-options")).toBe("nosniff");
    });

    it("If-None-Match uses weak comparison over a list, and * matches", async () => {
      const weak = `W/${etag()}`; // the same opaque-tag, weak: weak comparison still matches (RFC 9110 §13.1.2)
      expect(await status({ "If-None-Match": `"nope", ${etag()}` })).toBe(304);
      expect(await status({ "If-None-Match": weak })).toBe(304);
      expect(await status({ "If-None-Match": "*" })).toBe(304);
      expect(await status({ "If-None-Match": '"nope"' })).toBe(200);
      expect(await status({ "If-None-Match": etag() }, true)).toBe(304);
    });

    it("If-Modified-Since: 304 when not modified since, 200 for an older date, invalid dates ignored", async () => {
      expect(await status({ "If-Modified-Since": lastModified() })).toBe(304);
      expect(await status({ "If-Modified-Since": lastModified() }, true)).toBe(304);
      expect(await status({ "If-Modified-Since": past() })).toBe(200);
      expect(await status({ "If-Modified-Since": "not a date" })).toBe(200);
      expect(await status({ "If-Modified-Since": "" })).toBe(200);
    });

    it("If-Modified-Since equal to Last-Modified of a file with a sub-second mtime: 304", async () => {
      const response = await ask(
        suite.plain(),
        GET("/subsecond.txt", { "If-Modified-Since": suite.fixture().lastModified("subsecond.txt") }),
      );
      expect(response.status).toBe(304);
    });

    it("If-Match: the current tag or * passes; another tag, or the weak form of ours, is 412 (strong comparison)", async () => {
      const failed = await ask(suite.plain(), GET("/hello.txt", { "If-Match": '"x"' }));
      expect(failed.status).toBe(412);
      expect(header(failed, "x-content-type-options")).toBe("nosniff");
      expect(await status({ "If-Match": etag() })).toBe(200);
      expect(await status({ "If-Match": `"x", ${etag()}` })).toBe(200);
      expect(await status({ "If-Match": `W/${etag()}` })).toBe(412);
      expect(await status({ "If-Match": "*" })).toBe(200);
    });

    it("If-Unmodified-Since: 412 when modified after it, 200 when not, invalid dates ignored", async () => {
      expect(await status({ "If-Unmodified-Since": past() })).toBe(412);
      expect(await status({ "If-Unmodified-Since": lastModified() })).toBe(200);
      expect(await status({ "If-Unmodified-Since": "yesterday-ish" })).toBe(200);
    });

    it("precedence: If-Match before If-None-Match, If-None-Match over If-Modified-Since", async () => {
      expect(await status({ "If-None-Match": etag(), "If-Modified-Since": past() })).toBe(304);
      expect(await status({ "If-None-Match": '"nope"', "If-Modified-Since": future() })).toBe(200);
      expect(await status({ "If-Match": '"x"', "If-None-Match": etag() })).toBe(412);
      // If-Unmodified-Since is not evaluated when If-Match is present.
      expect(await status({ "If-Match": "*", "If-Unmodified-Since": past() })).toBe(200);
    });
  });
}

function freshnessTests(suite: FilesSuite): void {
  describe("freshness of cached metadata", () => {
    it("--cache-ttl 0: a file rewritten between two requests is served fresh on the second", async () => {
      const file = path.join(suite.fixture().root, "change-0.txt");
      const first = await ask(suite.strict(), GET("/change-0.txt"));
      expect(first.body.toString()).toBe("version one\n");
      fs.writeFileSync(file, "version two, which is longer\n");
      const second = await askFramed(suite.strict(), GET("/change-0.txt"));
      expect(second.status).toBe(200);
      expect(second.body.toString()).toBe("version two, which is longer\n");
      expect(header(second, "etag")).not.toBe(header(first, "etag"));
      expect(header(second, "etag")).toBe(suite.fixture().etag("change-0.txt"));
    });

    it("default --cache-ttl: a rewritten file is served within 1.5 s, never torn on the way", async () => {
      const file = path.join(suite.fixture().root, "change-1.txt");
      const before = await ask(suite.plain(), GET("/change-1.txt"));
      expect(before.body.toString()).toBe("version one\n");
      fs.writeFileSync(file, "version two, which is longer\n");
      const written = performance.now();
      let seen = "";
      // When the last request answered with the old file was sent: measured at the sending, so a
      // busy machine's slow answers do not count against the server's 1.5 s.
      let lastOldSentAfter = 0;
      while (performance.now() - written < 5000) {
        const sent = performance.now() - written;
        const response = await ask(suite.plain(), GET("/change-1.txt"));
        seen = response.body.toString();
        // Old and new are both acceptable meanwhile; a mix of old metadata and new bytes is not.
        expect(["version one\n", "version two, which is longer\n"]).toContain(seen);
        if (seen !== "version one\n") {
          expect(header(response, "etag")).toBe(suite.fixture().etag("change-1.txt"));
          break;
        }
        lastOldSentAfter = sent;
        await sleep(50);
      }
      expect(seen).toBe("version two, which is longer\n");
      expect(lastOldSentAfter).toBeLessThan(1500);
    });
  });
}
