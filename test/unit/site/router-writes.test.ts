import { describe, expect, it } from "vitest";
import type { App, RequestContext } from "../../../src/app.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import type { RequestBody } from "../../../src/http/request-body.ts";
import type { HttpResponse } from "../../../src/http/response.ts";
import { site } from "../../../src/site/site.ts";
import { DEFAULT_SITE, type SiteOptions } from "../../../src/static/options.ts";
import { fakeCompressor, FakeFileSystem } from "../../support/fake-file-system.ts";
import { FakeClock } from "../../support/fake-ports.ts";
import { requestHead } from "../../support/request-head.ts";

function head(method: string, target: string, fields: [string, string][] = []): RequestHead {
  return requestHead(method, target, fields);
}

function bodyOf(text: string): RequestBody {
  let sent = false;
  return {
    length: text.length,
    read: async () => {
      if (sent) return { kind: "end" };
      sent = true;
      return { kind: "data", bytes: new TextEncoder().encode(text) };
    },
    cancel: () => {},
  };
}

function context(body: RequestBody | null = null): RequestContext {
  return { client: { address: "127.0.0.1", port: 1 }, forwarded: null, body, onGone: () => {} };
}

function setUp(options: Partial<SiteOptions>, app?: App) {
  const fs = new FakeFileSystem({ "/srv/a.txt": "old", "/srv/.b.txt.sundial-4242-0123456789abcdef.tmp": "partial" });
  const deps = { fs, clock: new FakeClock(1000), compressor: fakeCompressor };
  const served = site(deps, "/srv", { ...DEFAULT_SITE, cacheTtlMs: 60_000, ...options }, app);
  const ask = (
    method: string,
    target: string,
    body: RequestBody | null = null,
    fields: [string, string][] = [],
  ): Promise<HttpResponse> => Promise.resolve(served.handle(head(method, target, fields), context(body)));
  return { app: served, ask, fs };
}

const allow = (r: HttpResponse): string | undefined => r.headers.find(([n]) => n === "Allow")?.[1];

async function text(response: HttpResponse): Promise<string> {
  const body = response.body;
  if (body === null) return "";
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error(`unexpected body ${JSON.stringify(body).slice(0, 80)}`);
}

describe("the site with writes", () => {
  it("off by default: PUT and DELETE 405 with Allow: GET, HEAD; bodies not read", async () => {
    const { app, ask } = setUp({});
    expect(app.readsBodies).toBe(false);
    const put = await ask("PUT", "/a.txt", bodyOf("new"));
    expect([put.status, allow(put)]).toEqual([405, "GET, HEAD"]);
    expect((await ask("DELETE", "/a.txt")).status).toBe(405);
  });

  it("--upload: the site reads bodies, OPTIONS and 405 list POST and PUT; a POST that is no form is 415", async () => {
    const { app, ask } = setUp({ upload: true });
    expect(app.readsBodies).toBe(true);
    const options = await ask("OPTIONS", "/a.txt");
    expect([options.status, allow(options)]).toEqual([204, "GET, HEAD, OPTIONS, POST, PUT"]);
    const remove = await ask("DELETE", "/a.txt");
    expect([remove.status, allow(remove)]).toEqual([405, "GET, HEAD, OPTIONS, POST, PUT"]);
    expect((await ask("POST", "/", bodyOf("x"), [["content-type", "text/plain"]])).status).toBe(415);
  });

  it("--allow-delete alone: POST stays 405, Allow without it", async () => {
    const { ask } = setUp({ allowDelete: true });
    const post = await ask("POST", "/", bodyOf("x"));
    expect([post.status, allow(post)]).toEqual([405, "GET, HEAD, OPTIONS, DELETE"]);
  });

  it("beside an app, --upload takes only an upload form's POST; other POSTs are the app's", async () => {
    const app: App = { handle: () => ({ status: 299, headers: [], body: null }), headers: [] };
    const { ask, fs } = setUp({ upload: true }, app);
    expect((await ask("POST", "/api", bodyOf("{}"), [["content-type", "application/json"]])).status).toBe(299);
    const form = '--b\r\nContent-Disposition: form-data; name="file"; filename="n.txt"\r\n\r\nnew\r\n--b--\r\n';
    const stored = await ask("POST", "/", bodyOf(form), [["content-type", "multipart/form-data; boundary=b"]]);
    expect(stored.status).toBe(201);
    expect(fs.text("/srv/n.txt")).toBe("new");
  });

  it("a GET after a PUT or DELETE sees the change, however long the cache trusts its entries", async () => {
    const { ask } = setUp({ upload: true, allowDelete: true });
    expect(await text(await ask("GET", "/a.txt"))).toBe("old");
    expect((await ask("PUT", "/a.txt", bodyOf("new"))).status).toBe(204);
    expect(await text(await ask("GET", "/a.txt"))).toBe("new");
    expect(await text(await ask("GET", "/%61.txt"))).toBe("new");
    expect((await ask("DELETE", "/a.txt")).status).toBe(204);
    expect((await ask("GET", "/a.txt")).status).toBe(404);
  });

  it("an upload's temporary file is never served, even with --dotfiles", async () => {
    const { ask } = setUp({ upload: true, dotfiles: true });
    expect((await ask("GET", "/.b.txt.sundial-4242-0123456789abcdef.tmp")).status).toBe(404);
  });
});
