import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type MultipartEvent, MultipartReader } from "../../../../src/http/multipart/reader.ts";

const LIMITS = { headerBytes: 8 * 1024, parts: 1000 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The parts read from `body` pushed in these pieces: headers and content of each, or the failure. */
function read(body: Uint8Array, cuts: number[] = [], boundary = "XyZ", limits = LIMITS) {
  const reader = new MultipartReader(boundary, limits);
  const parts: Array<{ headers: ReadonlyArray<readonly [string, string]>; content: number[] }> = [];
  let ended = false;
  let held = 0;
  const apply = (events: MultipartEvent[]): void => {
    for (const event of events) {
      if (event.kind === "part") parts.push({ headers: event.headers, content: [] });
      if (event.kind === "data") parts.at(-1)!.content.push(...event.bytes);
      if (event.kind === "end") ended = true;
    }
  };
  const points = [0, ...[...new Set(cuts)].filter((c) => c > 0 && c < body.length).sort((a, b) => a - b), body.length];
  for (let i = 0; i + 1 < points.length; i++) {
    const piece = body.slice(points[i], points[i + 1]);
    const result = reader.push(piece);
    if (!Array.isArray(result)) return { failure: result.reason, parts, ended };
    // What the reader keeps between pieces: never more than the delimiter or a header block.
    held = Math.max(held, (reader as unknown as { held: Uint8Array }).held.length);
    apply(result);
  }
  const end = reader.finish();
  return { failure: end?.reason ?? null, parts, ended, held };
}

function text(s: string): Uint8Array {
  return encoder.encode(s);
}

const FORM =
  '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n' +
  "hello\r\n--XyZ\r\n" + 'Content-Disposition: form-data; name="folder"\r\n\r\nnew\r\n--XyZ--\r\n';

describe("MultipartReader", () => {
  it("reads the parts of a form: headers in lower case, content exact", () => {
    const { failure, parts, ended } = read(text(FORM));
    expect(failure).toBeNull();
    expect(ended).toBe(true);
    expect(parts.map((p) => [p.headers, decoder.decode(new Uint8Array(p.content))])).toEqual([
      [[["content-disposition", 'form-data; name="file"; filename="a.txt"'], ["content-type", "text/plain"]], "hello"],
      [[["content-disposition", 'form-data; name="folder"']], "new"],
    ]);
  });

  it("gives the same parts however the body is cut, holding back no more than a delimiter or header block", () => {
    const bodies = fc.tuple(
      fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 0, maxLength: 4 }),
      fc.constantFrom("XyZ", "b", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "x".repeat(70)),
    );
    fc.assert(
      fc.property(bodies, fc.array(fc.nat(2000), { maxLength: 30 }), ([contents, boundary], cuts) => {
        // Content that could be mistaken for a delimiter's start: CR, LF and dashes everywhere.
        const spiced = contents.map((c) => c.map((b) => [13, 10, 45, b][b % 4]!));
        let body = "preamble\r\n";
        const chunks: Uint8Array[] = [];
        for (const content of spiced) {
          chunks.push(text(`${body}--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\n`), content);
          body = "\r\n";
        }
        chunks.push(text(`${body}--${boundary}--\r\nepilogue`));
        const whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) whole.set(c, at), at += c.length;
        const result = read(whole, cuts, boundary);
        expect(result.failure).toBeNull();
        expect(result.parts.map((p) => p.content)).toEqual(spiced.map((c) => [...c]));
        expect(result.held).toBeLessThanOrEqual(200);
      }),
      { numRuns: 300 },
    );
  });

  it("splits every byte of a form the same as whole", () => {
    const whole = read(text(FORM));
    const cuts = Array.from({ length: FORM.length }, (_, i) => i);
    expect(read(text(FORM), cuts)).toMatchObject({ failure: null, parts: whole.parts, ended: true });
  });

  it("ignores the preamble and the epilogue, takes transport padding after a boundary", () => {
    const body = "This is a preamble.\r\n--XyZ  \t\r\n\r\nbody\r\n--XyZ-- \r\nthe epilogue, even --XyZ again";
    const { failure, parts } = read(text(body));
    expect(failure).toBeNull();
    expect(parts).toEqual([{ headers: [], content: [...text("body")] }]);
  });

  const malformed: Array<[string, string]> = [
    ["no close delimiter", '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nbody'],
    ["a body cut in the headers", "--XyZ\r\nContent-Disposition: form-da"],
    ["no boundary at all", "just text"],
    ["an empty body", ""],
    ["no CRLF after the boundary", "--XyZ Content-Disposition: x\r\n\r\n\r\n--XyZ--"],
    ["a boundary run into text", "--XyZabc\r\n\r\nx\r\n--XyZ--"],
    ["a boundary inside a part's headers", "--XyZ\r\nContent-Disposition: form-data\r\n--XyZ\r\n\r\nx\r\n--XyZ--"],
    ["a header line without a colon", "--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--"],
    ["a folded header line", "--XyZ\r\nA: b\r\n c\r\n\r\nx\r\n--XyZ--"],
    ["a bare LF in a header", "--XyZ\r\nA: b\nC: d\r\n\r\nx\r\n--XyZ--"],
    ["padding before the closing dashes", "--XyZ\r\n\r\nx\r\n--XyZ --"],
    ["a single dash after the boundary", "--XyZ\r\n\r\nx\r\n--XyZ-x"],
  ];
  for (const [what, body] of malformed) {
    it(`refuses ${what} (malformed)`, () => {
      expect(read(text(body)).failure).toBe("malformed");
      expect(read(text(body), Array.from({ length: body.length }, (_, i) => i)).failure).toBe("malformed");
    });
  }

  it("refuses header bytes that are not UTF-8", () => {
    const body = new Uint8Array([...text("--XyZ\r\nA: "), 0xff, ...text("\r\n\r\nx\r\n--XyZ--")]);
    expect(read(body).failure).toBe("malformed");
  });

  it("bounds a part's header block and the number of parts (too-large)", () => {
    const big = `--XyZ\r\nA: ${"a".repeat(9000)}\r\n\r\nx\r\n--XyZ--`;
    expect(read(text(big)).failure).toBe("too-large");
    // Never finding the end of the headers: refused once past the bound, not held on to.
    const endless = new MultipartReader("XyZ", LIMITS);
    expect(endless.push(text("--XyZ\r\nA: "))).toEqual([]);
    let result: ReturnType<MultipartReader["push"]> = [];
    for (let i = 0; i < 20 && Array.isArray(result); i++) result = endless.push(text("a".repeat(1000)));
    expect(result).toMatchObject({ reason: "too-large" });
    const parts = "--XyZ\r\n\r\nx\r\n".repeat(4) + "--XyZ--";
    expect(read(text(parts), [], "XyZ", { headerBytes: 100, parts: 3 }).failure).toBe("too-large");
    expect(read(text(parts), [], "XyZ", { headerBytes: 100, parts: 4 }).failure).toBeNull();
  });

  it("a failure sticks: later pieces fail the same way", () => {
    const reader = new MultipartReader("XyZ", LIMITS);
    expect(reader.push(text("--XyZ!"))).toMatchObject({ reason: "malformed" });
    expect(reader.push(text("\r\n\r\nx\r\n--XyZ--"))).toMatchObject({ reason: "malformed" });
    expect(reader.finish()).toMatchObject({ reason: "malformed" });
  });
});
