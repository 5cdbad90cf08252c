import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../../../src/app.ts";
import type { RequestHead } from "../../../../src/http/parser/request-head.ts";
import type { HttpResponse, PullBody } from "../../../../src/http/response.ts";
import { site } from "../../../../src/site/site.ts";
import { DEFAULT_SITE } from "../../../../src/static/options.ts";
import { fakeCompressor, FakeFileSystem } from "../../../support/fake-file-system.ts";
import { FakeClock } from "../../../support/fake-ports.ts";
import { requestHead } from "../../../support/request-head.ts";

function head(method: string, target: string): RequestHead {
  return requestHead(method, target);
}

const context: RequestContext = {
  client: { address: "127.0.0.1", port: 1 },
  forwarded: null,
  body: null,
  onGone: () => {},
};

function setUp() {
  const fs = new FakeFileSystem({ "/srv/d/a.txt": "a".repeat(100), "/srv/d/b.txt": "b".repeat(100) }, 10);
  const lines: string[] = [];
  const deps = {
    fs,
    clock: new FakeClock(1000),
    compressor: fakeCompressor,
    warn: (line: string) => void lines.push(line),
  };
  const app = site(deps, "/srv", { ...DEFAULT_SITE, archives: true });
  const ask = async (method: string, target: string): Promise<HttpResponse> =>
    await app.handle(head(method, target), context);
  return { fs, lines, ask };
}

function pulled(response: HttpResponse): PullBody {
  const body = response.body;
  if (body === null || body instanceof Uint8Array || body.kind !== "pull") throw new Error("not a pulled body");
  return body;
}

/** Reads the body to its end; `between` runs after the first `after` pieces. */
async function drain(body: PullBody, after: number, between: () => void): Promise<number> {
  let total = 0;
  for (let n = 0;; n++) {
    if (n === after) between();
    const piece = await body.read();
    if (piece.kind !== "data") return total;
    total += piece.bytes.length;
  }
}

describe("a file that changes while it is archived", () => {
  it.each(["tar", "zip"])("%s: one that shrank is one warning line with its path", async (format) => {
    const { fs, lines, ask } = setUp();
    const body = pulled(await ask("GET", `/d/?download=${format}`));
    // After a.txt's header and its first piece: it shrinks to 30 bytes.
    await drain(body, 3, () => fs.replaceFile("/srv/d/a.txt", "a".repeat(30)));
    expect(lines).toEqual([
      'sundial: warning: "/d/a.txt" changed while archived: listed at 100 bytes, it shrank to 30 bytes (a tar pads or cuts it to 100; a zip holds what was read)',
    ]);
    expect(fs.openReaders).toBe(0);
  });

  it.each(["tar", "zip"])("%s: one that grew is one warning line too", async (format) => {
    const { fs, lines, ask } = setUp();
    const body = pulled(await ask("GET", `/d/?download=${format}`));
    await drain(body, 3, () => fs.replaceFile("/srv/d/a.txt", "a".repeat(150)));
    expect(lines).toEqual([
      expect.stringMatching(
        /^sundial: warning: "\/d\/a\.txt" changed while archived: listed at 100 bytes, it grew to 150 bytes /,
      ),
    ]);
  });

  it("one gone before it was read is said too; files left alone are not", async () => {
    const { fs, lines, ask } = setUp();
    const body = pulled(await ask("GET", "/d/?download=tar"));
    // After a.txt's header, before its content is opened.
    await drain(body, 1, () => fs.replaceFile("/srv/d/a.txt", null));
    expect(lines).toEqual([
      expect.stringMatching(/"\/d\/a\.txt" changed while archived: listed at 100 bytes, it was gone when read/),
    ]);
    const again = setUp();
    await drain(pulled(await again.ask("GET", "/d/?download=tar.gz")), 0, () => {});
    expect(again.lines).toEqual([]);
  });
});

describe("HEAD ?download=", () => {
  it("answers GET's status and fields, with nothing read and nothing left open", async () => {
    const { fs, ask } = setUp();
    for (const format of ["tar", "tar.gz", "zip"]) {
      const get = await ask("GET", `/d/?download=${format}`);
      pulled(get).cancel();
      await new Promise((r) => setTimeout(r, 0));
      const readsBefore = fs.readsStarted;
      const headed = await ask("HEAD", `/d/?download=${format}`);
      expect([headed.status, headed.headers]).toEqual([get.status, get.headers]);
      const body = pulled(headed);
      body.cancel();
      await new Promise((r) => setTimeout(r, 0));
      expect(fs.readsStarted).toBe(readsBefore);
      expect(fs.openReaders).toBe(0);
    }
  });

  it("a folder without its slash, or a file, is answered as without the query, as GET is", async () => {
    const { ask } = setUp();
    expect((await ask("HEAD", "/d?download=zip")).status).toBe((await ask("GET", "/d?download=zip")).status);
    expect((await ask("HEAD", "/d/a.txt?download=zip")).status).toBe(200);
  });
});
