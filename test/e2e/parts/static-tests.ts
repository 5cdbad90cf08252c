import { describe, expect, it } from "vitest";
import { fetchPath, get, raw, type SuiteContext } from "../context.ts";

const TYPES: ReadonlyArray<readonly [string, string]> = [
  ["/index.html", "text/html; charset=utf-8"],
  ["/hello.txt", "text/plain; charset=utf-8"],
  ["/style.css", "text/css; charset=utf-8"],
  ["/app.js", "text/javascript; charset=utf-8"],
  ["/mod.mjs", "text/javascript; charset=utf-8"],
  ["/data.json", "application/json; charset=utf-8"],
  ["/pic.svg", "image/svg+xml; charset=utf-8"],
  ["/image.png", "image/png"],
  ["/font.woff2", "font/woff2"],
  ["/no-extension", "application/octet-stream"],
];

export function staticTests(ctx: SuiteContext): void {
  describe("static files", () => {
    it("serves index.html for /", async () => {
      const response = await fetchPath(ctx, "/");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(Buffer.from(await response.arrayBuffer())).toEqual(ctx.fixture().files["index.html"]);
    });

    it.each(TYPES)("gives %s the type %s", async (path, type) => {
      const response = await fetchPath(ctx, path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(type);
      const name = path.slice(1);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body).toEqual(ctx.fixture().files[name]);
      expect(response.headers.get("content-length")).toBe(String(body.length));
    });

    it("serves a binary file byte for byte", async () => {
      const response = await fetchPath(ctx, "/image.png");
      expect(Buffer.from(await response.arrayBuffer()).equals(ctx.fixture().files["image.png"]!)).toBe(true);
    });

    it("streams a large file byte for byte", async () => {
      const response = await fetchPath(ctx, "/big.bin");
      const expected = ctx.fixture().files["big.bin"]!;
      expect(response.headers.get("content-length")).toBe(String(expected.length));
      expect(Buffer.from(await response.arrayBuffer()).equals(expected)).toBe(true);
    });

    it("serves an empty file", async () => {
      const response = await raw(ctx, get("/empty.txt"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe("0");
    });

    it("decodes percent-encoded names (space, unicode)", async () => {
      expect((await raw(ctx, get("/with%20space.txt"))).body.toString()).toBe("spaced");
      expect((await raw(ctx, get("/caf%C3%A9.txt"))).body.toString()).toBe("accented");
    });

    it("answers HEAD with the GET head and no body", async () => {
      const response = await raw(ctx, "HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", true);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe(String(ctx.fixture().files["big.bin"]!.length));
      expect(response.body.length).toBe(0);
    });

    it("redirects a folder without its slash, keeping the query", async () => {
      const response = await raw(ctx, get("/sub?x=1&y=2"));
      expect(response.status).toBe(301);
      expect(response.headers.get("location")).toBe("sub/?x=1&y=2");
      const plain = await raw(ctx, get("/sub"));
      expect(plain.headers.get("location")).toBe("sub/");
    });

    it("serves a folder's index.html", async () => {
      const response = await raw(ctx, get("/sub/"));
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe("<p>SUB INDEX</p>\n");
    });

    it("answers 404 with a short HTML page", async () => {
      // (A folder without index.html gets a listing instead: see files/listing-tests.ts.)
      for (const path of ["/missing.txt", "/sub/deep/nope", "/hello.txt/x"]) {
        const response = await raw(ctx, get(path));
        expect(response.status, path).toBe(404);
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(response.body.toString()).toContain("404 Not Found");
        expect(response.body.length).toBeLessThan(512);
      }
    });

    it("refuses other methods with 405 and unknown ones with 501", async () => {
      const put = await raw(ctx, "PUT /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
      expect(put.status).toBe(405);
      expect(put.headers.get("allow")).toBe("GET, HEAD");
      const del = await raw(ctx, "DELETE /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(del.status).toBe(405);
      const unknown = await raw(ctx, "BREW /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(unknown.status).toBe(501);
    });

    it("sends Server and Date on every response", async () => {
      const response = await raw(ctx, get("/hello.txt"));
      expect(response.headers.get("server")).toMatch(/^sundial\/\d+\.\d+\.\d+$/);
      expect(response.headers.get("date")).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    });
  });
}
