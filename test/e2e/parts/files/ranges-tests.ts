import { describe, expect, it } from "vitest";
import { type Fields, type ParsedResponse, parseFieldBlock } from "../../../support/http-response-parser.ts";
import {
  ask,
  askFramed,
  BIG_END,
  BIG_MARK,
  BIG_OFFSET,
  BIG_SIZE,
  type FilesSuite,
  GET,
  HEAD,
  header,
  TEXT,
} from "./fixture.ts";

interface Part {
  readonly headers: Fields;
  readonly body: Buffer;
}

/**
 * Splits a multipart/byteranges body (RFC 9110 §14.6): each part `--B CRLF headers CRLF CRLF
 * bytes CRLF`, then `--B-- CRLF`. A CRLF preamble is tolerated; anything else fails the test.
 */
function multipartParts(response: ParsedResponse): Part[] {
  const type = header(response, "content-type") ?? "";
  const boundary = /^multipart\/byteranges;\s*boundary=("?)([^";]+)\1$/i.exec(type)?.[2];
  expect(boundary, `Content-Type ${type}`).toBeDefined();
  const text = response.body.toString("latin1");
  const delimiter = `--${boundary!}`;
  const close = `${delimiter}--\r\n`;
  expect(text.endsWith(close), "ends with the close delimiter").toBe(true);
  const pieces = text.slice(0, text.length - close.length).split(delimiter);
  expect(["", "\r\n"]).toContain(pieces[0]);
  return pieces.slice(1).map((piece) => {
    expect(piece.startsWith("\r\n") && piece.endsWith("\r\n")).toBe(true);
    const headEnd = piece.indexOf("\r\n\r\n");
    expect(headEnd).toBeGreaterThan(0);
    // The part's fields, read as strictly as a response's (RFC 9110 §14.6 uses the same syntax).
    const headers = parseFieldBlock(piece.slice(2, headEnd + 2));
    return { headers, body: Buffer.from(piece.slice(headEnd + 4, piece.length - 2), "latin1") };
  });
}

export function filesRangesTests(suite: FilesSuite): void {
  describe("ranges (RFC 9110 §14)", () => {
    const hello = (): Buffer => suite.fixture().read("hello.txt");
    const range = (value: string, extra: Record<string, string> = {}): Promise<ParsedResponse> =>
      askFramed(suite.plain(), GET("/hello.txt", { Range: value, ...extra }));
    const expectSingle = (response: ParsedResponse, first: number, last: number, size = 1000): void => {
      expect(response.status).toBe(206);
      expect(header(response, "content-range")).toBe(`bytes ${first}-${last}/${size}`);
      expect(header(response, "content-length")).toBe(String(last - first + 1));
      expect(header(response, "content-type")).toBe(TEXT);
      expect(response.body.equals(hello().subarray(first, last + 1))).toBe(true);
    };

    it("bytes=0-0: 206 with the first byte", async () => {
      const response = await range("bytes=0-0");
      expectSingle(response, 0, 0);
      expect(header(response, "etag")).toBe(suite.fixture().etag("hello.txt"));
      expect(header(response, "x-content-type-options")).toBe("nosniff");
    });

    it("bytes=-500 gives the last 500 bytes, bytes=500- from 500 to the end", async () => {
      expectSingle(await range("bytes=-500"), 500, 999);
      expectSingle(await range("bytes=500-"), 500, 999);
    });

    it("a suffix longer than the file gives the whole file; a last-pos past the end is clamped", async () => {
      expectSingle(await range("bytes=-2000"), 0, 999);
      expectSingle(await range("bytes=990-5000"), 990, 999);
    });

    it("bytes=0-10,20-30: multipart/byteranges with both parts and an exact Content-Length", async () => {
      const response = await range("bytes=0-10,20-30");
      expect(response.status).toBe(206);
      expect(header(response, "content-range")).toBeUndefined();
      const parts = multipartParts(response);
      expect(parts).toHaveLength(2);
      const expected = [[0, 10], [20, 30]] as const;
      parts.forEach((part, i) => {
        const [first, last] = expected[i]!;
        expect(part.headers.get("content-type")).toBe(TEXT);
        expect(part.headers.get("content-range")).toBe(`bytes ${first}-${last}/1000`);
        expect(part.body.equals(hello().subarray(first, last + 1))).toBe(true);
      });
    });

    it("unsatisfiable parts of a set are dropped: one left gives a plain 206, two a multipart", async () => {
      expectSingle(await range("bytes=0-9,5000-6000"), 0, 9);
      const two = await range("bytes=0-9,20-29,5000-");
      expect(multipartParts(two).map((p) => p.headers.get("content-range"))).toEqual([
        "bytes 0-9/1000",
        "bytes 20-29/1000",
      ]);
    });

    it("100 ranges are served as 100 parts; 101 are ignored (200 full)", async () => {
      const spec = (n: number): string => `bytes=${Array.from({ length: n }, (_, i) => `${i * 3}-${i * 3}`).join(",")}`;
      const hundred = await range(spec(100));
      expect(hundred.status).toBe(206);
      const parts = multipartParts(hundred);
      expect(parts).toHaveLength(100);
      expect(parts[99]!.body.equals(hello().subarray(297, 298))).toBe(true);
      const tooMany = await range(spec(101));
      expect(tooMany.status).toBe(200);
      expect(tooMany.body.equals(hello())).toBe(true);
    });

    it("overlapping ranges are ignored: 200 full", async () => {
      for (const value of ["bytes=0-5,3-8", "bytes=0-999,-500", "bytes=100-200,150-"]) {
        const response = await range(value);
        expect(response.status, value).toBe(200);
        expect(response.body.equals(hello()), value).toBe(true);
      }
    });

    it("nothing satisfiable: 416 with Content-Range bytes */SIZE", async () => {
      const response = await range("bytes=9999999-");
      expect(response.status).toBe(416);
      expect(header(response, "content-range")).toBe("bytes */1000");
      expect(header(response, "x-content-type-options")).toBe("nosniff");
      expect((await range("bytes=1000-1000")).status).toBe(416);
    });

    it("an empty file: int-ranges get 416 with bytes */0; a suffix range (satisfiable, selects nothing) the empty 200", async () => {
      for (const value of ["bytes=0-0", "bytes=0-"]) {
        const response = await askFramed(suite.plain(), GET("/empty.txt", { Range: value }));
        expect(response.status, value).toBe(416);
        expect(header(response, "content-range"), value).toBe("bytes */0");
      }
      const suffix = await askFramed(suite.plain(), GET("/empty.txt", { Range: "bytes=-5" }));
      expect(suffix.status).toBe(200);
      expect(header(suffix, "content-length")).toBe("0");
    });

    it("a malformed Range or another unit is ignored: 200 full", async () => {
      for (const value of ["bytes=abc", "bytes=", "bytes=--5", "bytes 0-10", "items=0-10", "bytes=0-10;x"]) {
        const response = await range(value);
        expect(response.status, value).toBe(200);
        expect(header(response, "content-range"), value).toBeUndefined();
        expect(response.body.equals(hello()), value).toBe(true);
      }
    });

    it("HEAD ignores Range: 200 with the full length", async () => {
      const response = await askFramed(suite.plain(), HEAD("/hello.txt", { Range: "bytes=0-9" }), true);
      expect(response.status).toBe(200);
      expect(header(response, "content-length")).toBe("1000");
      expect(header(response, "content-range")).toBeUndefined();
    });

    it("offsets beyond 4 GiB: known bytes at 4 GiB + 10 and at the end of a 5 GiB file", async () => {
      const first = BIG_OFFSET;
      const last = BIG_OFFSET + BIG_MARK.length - 1;
      const mark = await askFramed(suite.plain(), GET("/big.bin", { Range: `bytes=${first}-${last}` }));
      expect(mark.status).toBe(206);
      expect(header(mark, "content-range")).toBe(`bytes ${first}-${last}/${BIG_SIZE}`);
      expect(header(mark, "content-length")).toBe(String(BIG_MARK.length));
      expect(mark.body.equals(BIG_MARK)).toBe(true);
      const end = await askFramed(suite.plain(), GET("/big.bin", { Range: `bytes=-${BIG_END.length}` }));
      expect(header(end, "content-range")).toBe(`bytes ${BIG_SIZE - BIG_END.length}-${BIG_SIZE - 1}/${BIG_SIZE}`);
      expect(end.body.equals(BIG_END)).toBe(true);
      const head = await ask(suite.plain(), HEAD("/big.bin"), true);
      expect(header(head, "content-length")).toBe(String(BIG_SIZE));
    });

    it("If-Range with Last-Modified or the current ETag applies the range (Chromium seeks video this way); an older date, another or a weak tag gives 200 full", async () => {
      const lastModified = suite.fixture().lastModified("hello.txt");
      expectSingle(await range("bytes=0-9", { "If-Range": lastModified }), 0, 9);
      const etag = suite.fixture().etag("hello.txt");
      expectSingle(await range("bytes=0-9", { "If-Range": etag }), 0, 9);
      const others = [new Date(Date.parse(lastModified) - 3600_000).toUTCString(), `W/${etag}`, '"0-0"', "garbage"];
      for (const value of others) {
        const response = await range("bytes=0-9", { "If-Range": value });
        expect(response.status, value).toBe(200);
        expect(response.body.equals(hello()), value).toBe(true);
      }
    });

    it("If-Range compares the Last-Modified value, not the sub-second mtime", async () => {
      const response = await ask(
        suite.plain(),
        GET("/subsecond.txt", { Range: "bytes=0-7", "If-Range": suite.fixture().lastModified("subsecond.txt") }),
      );
      expect(response.status).toBe(206);
      expect(response.body.toString()).toBe("modified");
    });

    it("a range with a conditional: 304 wins over the range when If-None-Match matches", async () => {
      const response = await askFramed(
        suite.plain(),
        GET("/hello.txt", { Range: "bytes=0-9", "If-None-Match": suite.fixture().etag("hello.txt") }),
      );
      expect(response.status).toBe(304);
    });
  });
}
