import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ParsedResponse } from "../../../support/http-response-parser.ts";
import { ask, askFramed, type FilesSuite, GET, HEAD, header, HTML, TEXT } from "./fixture.ts";

const CSS = "text/css; charset=utf-8";

const varies = (response: ParsedResponse): boolean =>
  /(^|,)\s*accept-encoding\s*(,|$)/i.test(header(response, "vary") ?? "");

export function filesEncodingTests(suite: FilesSuite): void {
  describe("precompressed siblings (RFC 9110 §12.5.3)", () => {
    const css = (acceptEncoding?: string, extra: Record<string, string> = {}): Promise<ParsedResponse> =>
      askFramed(
        suite.plain(),
        GET("/style.css", { ...(acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding }), ...extra }),
      );

    it("a sibling removed or added is noticed (--cache-ttl 0), never a broken response", async () => {
      const sib = (): Promise<ParsedResponse> =>
        askFramed(suite.strict(), GET("/sib.txt", { "Accept-Encoding": "gzip" }));
      const before = await sib();
      expect(before.status).toBe(200);
      expect(header(before, "content-encoding")).toBe("gzip");
      const gz = path.join(suite.fixture().root, "sib.txt.gz");
      const bytes = fs.readFileSync(gz);
      fs.rmSync(gz);
      const removed = await sib();
      expect(removed.status).toBe(200);
      expect(header(removed, "content-encoding")).toBeUndefined();
      expect(removed.body.equals(suite.fixture().read("sib.txt"))).toBe(true);
      fs.writeFileSync(gz, bytes);
      const added = await sib();
      expect(header(added, "content-encoding")).toBe("gzip");
      expect(zlib.gunzipSync(added.body).equals(suite.fixture().read("sib.txt"))).toBe(true);
    });

    it("Accept-Encoding: br serves style.css.br with the original's type and its own ETag", async () => {
      const response = await css("br");
      expect(response.status).toBe(200);
      expect(header(response, "content-encoding")).toBe("br");
      expect(varies(response)).toBe(true);
      expect(header(response, "content-type")).toBe(CSS);
      expect(response.body.equals(suite.fixture().read("style.css.br"))).toBe(true);
      expect(header(response, "content-length")).toBe(String(suite.fixture().read("style.css.br").length));
      expect(header(response, "etag")).toBe(suite.fixture().etag("style.css", "br"));
      expect(header(response, "etag")).not.toBe(suite.fixture().etag("style.css"));
    });

    it("Accept-Encoding: gzip serves style.css.gz", async () => {
      const response = await css("gzip");
      expect(header(response, "content-encoding")).toBe("gzip");
      expect(varies(response)).toBe(true);
      expect(header(response, "content-type")).toBe(CSS);
      expect(response.body.equals(suite.fixture().read("style.css.gz"))).toBe(true);
      expect(header(response, "etag")).toBe(suite.fixture().etag("style.css", "gzip"));
    });

    it("q-values: q=0 refuses a coding, higher q wins, br is preferred at equal q", async () => {
      expect(header(await css("br;q=0, gzip"), "content-encoding")).toBe("gzip");
      expect(header(await css("gzip;q=0.5, br;q=0.4"), "content-encoding")).toBe("gzip");
      expect(header(await css("gzip, br"), "content-encoding")).toBe("br");
      expect(header(await css("gzip, deflate, br, zstd"), "content-encoding")).toBe("br");
    });

    it("no acceptable coding: identity, still with Vary: Accept-Encoding", async () => {
      for (const value of [undefined, "identity", "zstd", "br;q=0, gzip;q=0"]) {
        const response = await css(value);
        expect(response.status, String(value)).toBe(200);
        expect(header(response, "content-encoding"), String(value)).toBeUndefined();
        expect(varies(response), String(value)).toBe(true);
        expect(response.body.equals(suite.fixture().read("style.css")), String(value)).toBe(true);
        expect(header(response, "etag"), String(value)).toBe(suite.fixture().etag("style.css"));
      }
    });

    it("HEAD gives the same head as GET for the compressed representation", async () => {
      const get = await css("br");
      const head = await askFramed(suite.plain(), HEAD("/style.css", { "Accept-Encoding": "br" }), true);
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const name of ["content-encoding", "content-type", "content-length", "etag", "vary", "last-modified"]) {
        expect(header(head, name), name).toBe(header(get, name));
      }
    });

    it("a Range is served from the identity representation", async () => {
      const response = await css("br, gzip", { Range: "bytes=0-9" });
      expect(response.status).toBe(206);
      expect(header(response, "content-encoding")).toBeUndefined();
      const original = suite.fixture().read("style.css");
      expect(header(response, "content-range")).toBe(`bytes 0-9/${original.length}`);
      expect(response.body.equals(original.subarray(0, 10))).toBe(true);
    });

    it("If-None-Match with the compressed representation's ETag: 304", async () => {
      const response = await css("br", { "If-None-Match": suite.fixture().etag("style.css", "br") });
      expect(response.status).toBe(304);
    });
  });

  describe("--compress", () => {
    const page = (acceptEncoding?: string, extra: Record<string, string> = {}): Promise<ParsedResponse> =>
      askFramed(
        suite.decorated(),
        GET("/page.html", { ...(acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding }), ...extra }),
      );

    it("gzip on the fly, with an exact Content-Length", async () => {
      const response = await page("gzip");
      expect(response.status).toBe(200);
      expect(header(response, "content-encoding")).toBe("gzip");
      expect(header(response, "content-type")).toBe(HTML);
      expect(varies(response)).toBe(true);
      const original = suite.fixture().read("page.html");
      expect(response.body.length).toBeLessThan(original.length);
      expect(zlib.gunzipSync(response.body).equals(original)).toBe(true);
    });

    it("a body compressed on the fly has a weak ETag of its own (another compressor may give other bytes, as nginx's gzip filter says)", async () => {
      const compressed = await page("gzip");
      const identity = suite.fixture().etag("page.html");
      expect(header(compressed, "etag")).toBe(`W/${identity.slice(0, -1)}-gzip"`);
      expect(header(await page(), "etag")).toBe(identity);
      // A weak tag still validates a cached copy (weak comparison, RFC 9110 §13.1.2).
      expect((await page("gzip", { "If-None-Match": header(compressed, "etag")! })).status).toBe(304);
    });

    it("brotli on the fly, with an exact Content-Length", async () => {
      const response = await page("br");
      expect(header(response, "content-encoding")).toBe("br");
      expect(zlib.brotliDecompressSync(response.body).equals(suite.fixture().read("page.html"))).toBe(true);
    });

    it("the same compressed bytes twice (compressed once, cached); HEAD agrees", async () => {
      const first = await page("gzip");
      const second = await page("gzip");
      expect(second.body.equals(first.body)).toBe(true);
      const head = await askFramed(suite.decorated(), HEAD("/page.html", { "Accept-Encoding": "gzip" }), true);
      expect(header(head, "content-encoding")).toBe("gzip");
      expect(header(head, "content-length")).toBe(String(first.body.length));
    });

    it("without Accept-Encoding: identity with Vary", async () => {
      const response = await page();
      expect(header(response, "content-encoding")).toBeUndefined();
      expect(varies(response)).toBe(true);
      expect(response.body.equals(suite.fixture().read("page.html"))).toBe(true);
    });

    it("not for a Range request", async () => {
      const response = await page("gzip, br", { Range: "bytes=0-14" });
      expect(response.status).toBe(206);
      expect(header(response, "content-encoding")).toBeUndefined();
      expect(response.body.equals(suite.fixture().read("page.html").subarray(0, 15))).toBe(true);
    });

    it("not below 1 KiB, not above 1 MiB, not for binary types", async () => {
      const small = await askFramed(suite.decorated(), GET("/hello.txt", { "Accept-Encoding": "gzip, br" }));
      expect(small.status).toBe(200);
      expect(header(small, "content-type")).toBe(TEXT);
      expect(header(small, "content-encoding")).toBeUndefined();
      expect(small.body.equals(suite.fixture().read("hello.txt"))).toBe(true);
      const large = await askFramed(suite.decorated(), GET("/large.txt", { "Accept-Encoding": "gzip, br" }));
      expect(header(large, "content-encoding")).toBeUndefined();
      expect(large.body.equals(suite.fixture().read("large.txt"))).toBe(true);
      const binary = await ask(suite.decorated(), HEAD("/big.bin", { "Accept-Encoding": "gzip, br" }), true);
      expect(header(binary, "content-encoding")).toBeUndefined();
    });
  });
}
