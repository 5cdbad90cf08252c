import { describe, expect, it } from "vitest";
import { headersView } from "../../../src/fetch/headers-view.ts";
import { abortRequest, lazyRequest, requestUrl } from "../../../src/fetch/request.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import type { BodyRead, RequestBody } from "../../../src/http/request-body.ts";
import { requestFields } from "../../../src/http/request-fields.ts";

const FIELDS: Array<[string, string]> = [
  ["host", "example.test:8080"],
  ["content-type", "application/x-www-form-urlencoded"],
  ["x-b", "2"],
  ["x-a", "1"],
  ["cookie", "a=1"],
  ["x-a", "3"],
  ["set-cookie", "s=1"],
  ["set-cookie", "t=2"],
];

function head(over: Partial<RequestHead> = {}): RequestHead {
  return {
    method: "POST",
    target: "/path?q=1",
    version: "1.1",
    headers: FIELDS,
    fields: requestFields(FIELDS),
    host: "example.test:8080",
    body: { kind: "length", length: 7 },
    keepAlive: true,
    expectContinue: false,
    ...over,
  };
}

/** A body that hands out the given pieces, recording reads and a cancel. */
function body(pieces: string[]): RequestBody & { reads: number; cancelled: boolean } {
  const queue = pieces.map((p) => new TextEncoder().encode(p));
  const b = {
    length: null,
    reads: 0,
    cancelled: false,
    read: (): Promise<BodyRead> => {
      b.reads++;
      const bytes = queue.shift();
      return Promise.resolve(bytes === undefined ? { kind: "end" } : { kind: "data", bytes });
    },
    cancel: () => void (b.cancelled = true),
  };
  return b;
}

const request = (pieces: string[] | null, over: Partial<RequestHead> = {}): Request => {
  const h = head(over);
  return lazyRequest(h, requestUrl(h, "http", "localhost"), pieces === null ? null : body(pieces));
};

describe("headersView: a Headers over the parsed fields", () => {
  it("answers as a Headers built from the same fields does (Fetch §5.2: sorted, combined, Set-Cookie apart)", () => {
    const view = headersView(FIELDS);
    const real = new Headers(FIELDS);
    expect(view instanceof Headers).toBe(true);
    expect([...view]).toEqual([...real]);
    expect([...view.keys()]).toEqual([...real.keys()]);
    expect([...view.values()]).toEqual([...real.values()]);
    expect(view.get("X-A")).toBe(real.get("x-a"));
    expect(view.get("missing")).toBeNull();
    expect(view.has("Cookie")).toBe(true);
    expect(view.getSetCookie()).toEqual(["s=1", "t=2"]);
    const seen: string[] = [];
    view.forEach((value, name) => seen.push(`${name}=${value}`));
    expect(seen).toEqual([...real].map(([n, v]) => `${n}=${v}`));
    expect(new Headers(view).get("x-a")).toBe("1, 3");
  });

  it("a write turns it into a real Headers, and reads follow the write", () => {
    const view = headersView(FIELDS);
    view.set("x-a", "9");
    view.append("x-new", "n");
    view.delete("cookie");
    expect(view.get("x-a")).toBe("9");
    expect(view.get("x-new")).toBe("n");
    expect(view.has("cookie")).toBe(false);
    expect([...view.keys()]).not.toContain("cookie");
  });
});

describe("lazyRequest: a Request made from the parsed head", () => {
  it("is a Request with method, absolute URL and headers", () => {
    const r = request(["a=1&b=2"]);
    expect(r instanceof Request).toBe(true);
    expect(Object.prototype.toString.call(r)).toBe("[object Request]");
    expect(r.method).toBe("POST");
    expect(r.url).toBe("http://example.test:8080/path?q=1");
    expect(r.headers.get("x-a")).toBe("1, 3");
  });

  it("builds the URL from the Host, keeps an absolute-form target, and falls back without a Host", () => {
    expect(requestUrl(head({ target: "http://other.test/x" }), "http", "localhost")).toBe("http://other.test/x");
    expect(requestUrl(head({ host: null, target: "/x" }), "http", "localhost:8000")).toBe("http://localhost:8000/x");
    expect(requestUrl(head({ target: "*", method: "OPTIONS" }), "https", "h")).toBe("https://example.test:8080/");
  });

  it("reads its body once with text(), json(), arrayBuffer(), bytes(); a second read rejects", async () => {
    expect(await request(["a=1", "&b=2"]).text()).toBe("a=1&b=2");
    expect(await request(['{"k":', "[1,2]}"]).json()).toEqual({ k: [1, 2] });
    expect(new Uint8Array(await request(["ab", "c"]).arrayBuffer())).toEqual(new Uint8Array([97, 98, 99]));
    const r = request(["x"]);
    expect(r.bodyUsed).toBe(false);
    await r.text();
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(TypeError);
  });

  it("streams its body only as the consumer reads, and a cancel reaches the connection", async () => {
    const b = body(["one", "two", "three"]);
    const r = lazyRequest(head(), "http://h/", b);
    const reader = r.body!.getReader();
    await Promise.resolve();
    expect(b.reads).toBe(0);
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("one");
    expect(b.reads).toBe(1);
    await reader.cancel();
    expect(b.cancelled).toBe(true);
  });

  it("formData() of a URL-encoded body, clone(), and other Request members go through a real Request", async () => {
    const fd = await request(["a=1&b=two"]).formData();
    expect(fd.get("a")).toBe("1");
    expect(fd.get("b")).toBe("two");
    const r = request(['{"k":1}']);
    const copy = r.clone();
    expect(await copy.json()).toEqual({ k: 1 });
    expect(await r.json()).toEqual({ k: 1 });
    expect(request(null, { method: "GET", body: { kind: "none" } }).cache).toBe("default");
  });

  it("a GET has no body: body is null and text() is empty", async () => {
    const r = request(null, { method: "GET", body: { kind: "none" } });
    expect(r.body).toBeNull();
    expect(await r.text()).toBe("");
  });

  it("its signal aborts when the client goes away, made before or after", () => {
    const r = request(null);
    const early = r.signal;
    expect(early.aborted).toBe(false);
    abortRequest(r);
    expect(early.aborted).toBe(true);
    const late = request(null);
    abortRequest(late);
    expect(late.signal.aborted).toBe(true);
  });
});

describe("requestUrl: the URL a Request would have", () => {
  const url = (target: string, host: string | null): string =>
    requestUrl(head({ target, host }), "http", "localhost:8000");
  it("matches new URL() where the host or the path is not in canonical form", () => {
    for (
      const [target, host] of [
        ["/x/../inspect?a=1", "localhost"],
        ["/a/./b", "h"],
        ["/%2e%2e/c", "h"],
        ["/p", "LOCALHOST"],
        ["/p", "localhost:80"],
        ["/p", "[::1]:80"],
        ["/p?q=/../x", "h:8080"],
      ] as const
    ) {
      expect(url(target, host)).toBe(new URL(`http://${host}${target}`).href);
    }
  });
  it("keeps the common case as sent", () => {
    expect(url("/a/b?c=1", "example.test:8080")).toBe("http://example.test:8080/a/b?c=1");
  });
  it("takes the scheme from the connection, never from an absolute-form target (issue 22, finding 7)", () => {
    expect(requestUrl(head({ target: "https://evil.example/x?y=1" }), "http", "localhost")).toBe(
      "http://evil.example/x?y=1",
    );
    expect(requestUrl(head({ target: "http://evil.example/x" }), "https", "localhost")).toBe("https://evil.example/x");
    expect(requestUrl(head({ target: "HTTPS://Evil.Example?q" }), "http", "localhost")).toBe("http://evil.example/?q");
    expect(requestUrl(head({ target: "ftp://evil.example/x" }), "http", "localhost")).toBe("http://evil.example/x");
  });
  it("a trusted proxy's forwarded host wins over an absolute-form target's authority", () => {
    expect(requestUrl(head({ target: "https://evil.example/x" }), "https", "localhost", "shop.example")).toBe(
      "https://shop.example/x",
    );
    expect(requestUrl(head({ target: "/x" }), "https", "localhost", "shop.example")).toBe("https://shop.example/x");
  });
});
