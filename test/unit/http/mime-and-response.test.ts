import { describe, expect, it } from "vitest";
import { contentTypeFor } from "../../../src/static/mime.ts";
import { httpDate } from "../../../src/http/http-date.ts";
import {
  bodyLength,
  concatBytes,
  type HttpResponse,
  serializeHead,
  statusForbidsBody,
  utf8,
} from "../../../src/http/response.ts";
import { SERVER_HEADER } from "../../../src/version.ts";

describe("contentTypeFor", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["index.html", "text/html; charset=utf-8"],
    ["old.htm", "text/html; charset=utf-8"],
    ["style.css", "text/css; charset=utf-8"],
    ["app.js", "text/javascript; charset=utf-8"],
    ["module.mjs", "text/javascript; charset=utf-8"],
    ["data.json", "application/json; charset=utf-8"],
    ["logo.svg", "image/svg+xml; charset=utf-8"],
    ["notes.txt", "text/plain; charset=utf-8"],
    ["image.png", "image/png"],
    ["photo.jpg", "image/jpeg"],
    ["photo.jpeg", "image/jpeg"],
    ["anim.gif", "image/gif"],
    ["pic.webp", "image/webp"],
    ["favicon.ico", "image/x-icon"],
    ["code.wasm", "application/wasm"],
    ["paper.pdf", "application/pdf"],
    ["clip.mp4", "video/mp4"],
    ["font.woff2", "font/woff2"],
  ];
  for (const [name, type] of cases) {
    it(`${name} -> ${type}`, () => {
      expect(contentTypeFor(name)).toBe(type);
    });
  }
  it("unknown or missing extensions are application/octet-stream", () => {
    expect(contentTypeFor("file.unknownext")).toBe("application/octet-stream");
    expect(contentTypeFor("Makefile")).toBe("application/octet-stream");
    expect(contentTypeFor("trailing.")).toBe("application/octet-stream");
  });
  it("extensions are case-insensitive", () => {
    expect(contentTypeFor("INDEX.HTML")).toBe("text/html; charset=utf-8");
    expect(contentTypeFor("Photo.JPG")).toBe("image/jpeg");
    expect(contentTypeFor("app.Js")).toBe("text/javascript; charset=utf-8");
  });
  it("only the last extension counts", () => {
    expect(contentTypeFor("archive.tar.gz")).toBe("application/gzip");
    expect(contentTypeFor("page.html.bak")).toBe("application/octet-stream");
  });
  it("text types carry a charset, binary types do not", () => {
    for (const [name, type] of cases) {
      const isText = type.startsWith("text/") || /json|svg|xml/.test(type);
      expect(type.includes("; charset=utf-8"), name).toBe(isText);
    }
  });
  it("repeated look-ups give the same answer", () => {
    expect(contentTypeFor("a.css")).toBe(contentTypeFor("b.CSS"));
  });
});

const response = (status: number, body: HttpResponse["body"], headers: [string, string][] = []): HttpResponse => ({
  status,
  headers,
  body,
});
const DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

describe("serializeHead", () => {
  it("writes the status line, Date, the common fields (Server first), extra fields and Content-Length, ending in an empty line", () => {
    const head = serializeHead(
      response(200, utf8("hello"), [["Content-Type", "text/plain"]]),
      DATE,
      "1.1",
      true,
      `Server: ${SERVER_HEADER}\r\n`,
    );
    expect(head).toBe(
      `HTTP/1.1 200 OK\r\nDate: ${DATE}\r\nServer: ${SERVER_HEADER}\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n`,
    );
    // The Server field is the server's to pass in (ServerOptions.serverHeader): none without it.
    expect(serializeHead(response(200, null), DATE, "1.1", true)).not.toContain("Server:");
  });
  it("counts UTF-8 bytes, not characters", () => {
    expect(serializeHead(response(200, utf8("é€")), DATE, "1.1", true)).toContain("Content-Length: 5\r\n");
  });
  it("uses the file range length for a file body", () => {
    const head = serializeHead(
      response(206, { kind: "file", open: async () => null, start: 10, end: 110 }),
      DATE,
      "1.1",
      true,
    );
    expect(head.startsWith("HTTP/1.1 206 Partial Content\r\n")).toBe(true);
    expect(head).toContain("Content-Length: 100\r\n");
  });
  it("sends Content-Length: 0 for an empty body", () => {
    expect(serializeHead(response(404, null), DATE, "1.1", true)).toContain("Content-Length: 0\r\n");
  });
  it("adds Connection: close when the connection will close", () => {
    const head = serializeHead(response(400, null), DATE, "1.1", false);
    expect(head.startsWith("HTTP/1.1 400 Bad Request\r\n")).toBe(true);
    expect(head.endsWith("Connection: close\r\n\r\n")).toBe(true);
    expect(serializeHead(response(200, null), DATE, "1.0", false)).toContain("Connection: close\r\n");
  });
  it("tells an HTTP/1.0 client that the connection persists", () => {
    const head = serializeHead(response(200, null), DATE, "1.0", true);
    expect(head.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true);
    expect(head).toContain("Connection: keep-alive\r\n");
  });
  it("says nothing about the connection for a persistent HTTP/1.1 one", () => {
    expect(serializeHead(response(200, null), DATE, "1.1", true)).not.toContain("Connection:");
  });
  it("omits Content-Length on 204, 304 and 1xx", () => {
    expect(serializeHead(response(204, null), DATE, "1.1", true)).toBe(
      `HTTP/1.1 204 No Content\r\nDate: ${DATE}\r\n\r\n`,
    );
    const notModified = serializeHead(response(304, null, [["ETag", 'W/"1-2"']]), DATE, "1.1", true);
    expect(notModified).toBe(`HTTP/1.1 304 Not Modified\r\nDate: ${DATE}\r\nETag: W/"1-2"\r\n\r\n`);
    expect(serializeHead(response(100, null), DATE, "1.1", true)).not.toContain("Content-Length");
  });
  it("the Server value is a product token", () => {
    expect(SERVER_HEADER).toMatch(/^sundial\/\d+\.\d+\.\d+/);
  });
});

describe("response helpers", () => {
  it("statusForbidsBody", () => {
    expect([100, 101, 199, 204, 304].map(statusForbidsBody)).toEqual([true, true, true, true, true]);
    expect([200, 206, 301, 400, 404, 500].map(statusForbidsBody)).toEqual([false, false, false, false, false, false]);
  });
  it("bodyLength", () => {
    expect(bodyLength(null)).toBe(0);
    expect(bodyLength(new Uint8Array(7))).toBe(7);
    expect(bodyLength({ kind: "file", open: async () => null, start: 5, end: 5 })).toBe(0);
  });
  it("concatBytes", () => {
    expect(concatBytes(utf8("ab"), utf8("cd"))).toEqual(utf8("abcd"));
    expect(concatBytes(new Uint8Array(0), utf8("x"))).toEqual(utf8("x"));
  });
});

describe("httpDate (IMF-fixdate, RFC 9110 §5.6.7)", () => {
  it("formats the RFC's example instant", () => {
    expect(httpDate(Date.UTC(1994, 10, 6, 8, 49, 37))).toBe("Sun, 06 Nov 1994 08:49:37 GMT");
  });
  it("drops milliseconds and pads every field", () => {
    expect(httpDate(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe("Fri, 02 Jan 2026 03:04:05 GMT");
    expect(httpDate(Date.UTC(2028, 1, 29, 23, 59, 59))).toBe("Tue, 29 Feb 2028 23:59:59 GMT");
  });
  it("moves on with the clock (the per-second cache is per second)", () => {
    const base = Date.UTC(2026, 6, 1, 12, 0, 0);
    expect(httpDate(base)).toBe("Wed, 01 Jul 2026 12:00:00 GMT");
    expect(httpDate(base + 999)).toBe("Wed, 01 Jul 2026 12:00:00 GMT");
    expect(httpDate(base + 1000)).toBe("Wed, 01 Jul 2026 12:00:01 GMT");
    expect(httpDate(base)).toBe("Wed, 01 Jul 2026 12:00:00 GMT");
  });
  it("always matches the IMF-fixdate grammar", () => {
    const re =
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
    for (let ms = 0; ms < 400 * 86_400_000; ms += 86_400_000 * 7 + 3_601_234) expect(httpDate(ms)).toMatch(re);
  });
});
