import { describe, expect, it } from "vitest";
import { multipartByteranges } from "../../../src/static/multipart.ts";
import type { ByteRange } from "../../../src/static/ranges.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The body a plan describes, with each range filled from `file`. */
function render(pieces: ReadonlyArray<Uint8Array | ByteRange>, file: Uint8Array): string {
  return pieces.map((
    p,
  ) => (p instanceof Uint8Array ? decoder.decode(p) : decoder.decode(file.subarray(p.start, p.end))))
    .join("");
}

describe("multipartByteranges", () => {
  const file = encoder.encode("0123456789abcdefghijklmnopqrstuvwxyz");
  const size = file.length;

  it("lays out two parts and the closing delimiter (RFC 9110 §14.6)", () => {
    const plan = multipartByteranges([{ start: 0, end: 3 }, { start: 10, end: 12 }], size, "text/plain", "BOUND");
    expect(plan.contentType).toBe("multipart/byteranges; boundary=BOUND");
    const body = render(plan.pieces, file);
    expect(body).toBe(
      "--BOUND\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-2/36\r\n\r\n012\r\n" +
        "--BOUND\r\nContent-Type: text/plain\r\nContent-Range: bytes 10-11/36\r\n\r\nab\r\n" +
        "--BOUND--\r\n",
    );
    expect(plan.length).toBe(encoder.encode(body).length);
  });

  it("alternates bytes and ranges", () => {
    const ranges = [{ start: 0, end: 1 }, { start: 5, end: 6 }, { start: 30, end: 36 }];
    const plan = multipartByteranges(ranges, size, "application/octet-stream", "b");
    expect(plan.pieces).toHaveLength(7);
    plan.pieces.forEach((piece, i) => {
      if (i % 2 === 0) expect(piece).toBeInstanceOf(Uint8Array);
      else expect(piece).toEqual(ranges[(i - 1) / 2]);
    });
    expect(decoder.decode(plan.pieces[2] as Uint8Array)).toBe(
      "\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 5-5/36\r\n\r\n",
    );
    expect(decoder.decode(plan.pieces[6] as Uint8Array)).toBe("\r\n--b--\r\n");
  });

  it("keeps the given order", () => {
    const plan = multipartByteranges([{ start: 20, end: 22 }, { start: 0, end: 2 }], size, "text/plain", "x");
    const body = render(plan.pieces, file);
    expect(body.indexOf("bytes 20-21/36")).toBeLessThan(body.indexOf("bytes 0-1/36"));
    expect(body).toContain("\r\n\r\nkl\r\n--x\r\n");
  });

  it("counts the exact length, with ranges far beyond 4 GiB", () => {
    const big = 6 * 1024 ** 3;
    const ranges = [{ start: 0, end: 10 }, { start: 5 * 1024 ** 3, end: big }];
    const plan = multipartByteranges(ranges, big, "video/mp4", "B");
    const fixed = plan.pieces.filter((p): p is Uint8Array => p instanceof Uint8Array)
      .reduce((sum, p) => sum + p.length, 0);
    expect(plan.length).toBe(fixed + 10 + 1024 ** 3);
    expect(decoder.decode(plan.pieces[2] as Uint8Array)).toContain(
      "Content-Range: bytes 5368709120-6442450943/6442450944\r\n",
    );
  });

  it("leaves out Content-Type when the type is unknown", () => {
    const plan = multipartByteranges([{ start: 0, end: 1 }, { start: 2, end: 3 }], size, "", "B");
    expect(render(plan.pieces, file)).toBe(
      "--B\r\nContent-Range: bytes 0-0/36\r\n\r\n0\r\n--B\r\nContent-Range: bytes 2-2/36\r\n\r\n2\r\n--B--\r\n",
    );
  });

  it("a single part still has the full layout", () => {
    const plan = multipartByteranges([{ start: 35, end: 36 }], size, "text/plain", "B");
    expect(plan.pieces).toHaveLength(3);
    expect(render(plan.pieces, file)).toBe(
      "--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 35-35/36\r\n\r\nz\r\n--B--\r\n",
    );
    expect(plan.length).toBe(render(plan.pieces, file).length);
  });
});
