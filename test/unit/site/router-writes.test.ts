import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../../src/app.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import type { RequestBody } from "../../../src/http/request-body.ts";
import { requestFields } from "../../../src/http/request-fields.ts";
import type { HttpResponse } from "../../../src/http/response.ts";
import { site } from "../../../src/site/site.ts";
import { DEFAULT_SITE, type SiteOptions } from "../../../src/static/options.ts";
import { fakeCompressor, FakeFileSystem } from "../../support/fake-file-system.ts";
import { FakeClock } from "../../support/fake-ports.ts";

function head(method: string, target: string): RequestHead {
  const all: [string, string][] = [["host", "localhost"]];
  return {
    method,
    target,
    version: "1.1",
    headers: all,
    fields: requestFields(all),
    host: "localhost",
    body: { kind: "none" },
    keepAlive: true,
    expectContinue: false,
  };
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

function setUp(options: Partial<SiteOptions>) {
  const fs = new FakeFileSystem({ "/srv/a.txt": "old", "/srv/.b.txt.sundial-4242-0123456789abcdef.tmp": "partial" });
  const deps = { fs, clock: new FakeClock(1000), compressor: fakeCompressor };
  const app = site(deps, "/srv", { ...DEFAULT_SITE, cacheTtlMs: 60_000, ...options });
  const ask = (method: string, target: string, body: RequestBody | null = null): Promise<HttpResponse> =>
    Promise.resolve(app.handle(head(method, target), context(body)));
  return { app, ask };
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

  it("--upload: the site reads bodies, OPTIONS and 405 list PUT", async () => {
    const { app, ask } = setUp({ upload: true });
    expect(app.readsBodies).toBe(true);
    const options = await ask("OPTIONS", "/a.txt");
    expect([options.status, allow(options)]).toEqual([204, "GET, HEAD, OPTIONS, PUT"]);
    const post = await ask("POST", "/a.txt");
    expect([post.status, allow(post)]).toEqual([405, "GET, HEAD, OPTIONS, PUT"]);
    expect((await ask("DELETE", "/a.txt")).status).toBe(405);
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
