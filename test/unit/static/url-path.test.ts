import { describe, expect, it } from "vitest";
import { encodeSegment, parseTarget, resolveUrlPath } from "../../../src/static/url-path.ts";

const bad = { kind: "refused", status: 400 };

describe("parseTarget", () => {
  it("origin-form without a query", () => {
    expect(parseTarget("/a/b", "GET")).toEqual({ kind: "target", form: "origin", rawPath: "/a/b", query: null });
  });
  it("origin-form keeps the query, split at the first '?'", () => {
    expect(parseTarget("/a%20b?x=1&y=?z", "GET")).toEqual({
      kind: "target",
      form: "origin",
      rawPath: "/a%20b",
      query: "x=1&y=?z",
    });
    expect(parseTarget("/?", "GET")).toEqual({ kind: "target", form: "origin", rawPath: "/", query: "" });
  });
  it("absolute-form with a path and query: the authority is dropped", () => {
    expect(parseTarget("http://example.com:8080/a/b?q=1", "GET")).toEqual({
      kind: "target",
      form: "absolute",
      rawPath: "/a/b",
      query: "q=1",
    });
    expect(parseTarget("HTTPS://example.com/x", "HEAD")).toEqual({
      kind: "target",
      form: "absolute",
      rawPath: "/x",
      query: null,
    });
  });
  it("absolute-form without a path means '/'", () => {
    expect(parseTarget("http://example.com", "GET")).toEqual({
      kind: "target",
      form: "absolute",
      rawPath: "/",
      query: null,
    });
    expect(parseTarget("http://example.com:1234", "GET")).toEqual({
      kind: "target",
      form: "absolute",
      rawPath: "/",
      query: null,
    });
    expect(parseTarget("http://hypnotoad.org?hail=all", "GET")).toEqual({
      kind: "target",
      form: "absolute",
      rawPath: "/",
      query: "hail=all",
    });
  });
  it("absolute-form with userinfo is refused (RFC 9110 §4.2.4)", () => {
    expect(parseTarget("http://user:pw@example.com/", "GET")).toMatchObject(bad);
    expect(parseTarget("http://a%12:b!&*$@hypnotoad.org:1234/toto", "GET")).toMatchObject(bad);
  });
  it("an '@' in the path of an absolute-form target is not userinfo", () => {
    expect(parseTarget("http://example.com/a@b", "GET")).toEqual({
      kind: "target",
      form: "absolute",
      rawPath: "/a@b",
      query: null,
    });
  });
  it("absolute-form without an authority is refused", () => {
    expect(parseTarget("http:///a", "GET")).toMatchObject(bad);
  });
  it("asterisk-form only with OPTIONS (RFC 9112 §3.2.4)", () => {
    expect(parseTarget("*", "OPTIONS")).toEqual({ kind: "target", form: "asterisk", rawPath: "*", query: null });
    expect(parseTarget("*", "GET")).toMatchObject(bad);
    expect(parseTarget("*", "M-SEARCH")).toMatchObject(bad);
  });
  it("authority-form with CONNECT (RFC 9112 §3.2.3)", () => {
    expect(parseTarget("example.com:443", "CONNECT")).toEqual({
      kind: "target",
      form: "authority",
      rawPath: "example.com:443",
      query: null,
    });
    expect(parseTarget("example.com", "CONNECT")).toMatchObject(bad);
    expect(parseTarget("/path", "CONNECT")).toMatchObject(bad);
    expect(parseTarget("user@example.com:443", "CONNECT")).toMatchObject(bad);
  });
  it("anything else is not a target", () => {
    expect(parseTarget("a/b", "GET")).toMatchObject(bad);
    expect(parseTarget("example.com:443", "GET")).toMatchObject(bad);
    expect(parseTarget("", "GET")).toMatchObject(bad);
  });
});

describe("resolveUrlPath", () => {
  const path = (raw: string): unknown => resolveUrlPath(raw);
  const ok = (segments: string[], trailingSlash: boolean): unknown => ({ kind: "path", segments, trailingSlash });

  it("resolves plain paths", () => {
    expect(path("/")).toEqual(ok([], true));
    expect(path("/a/b")).toEqual(ok(["a", "b"], false));
    expect(path("/a/b/")).toEqual(ok(["a", "b"], true));
    expect(path("/index.html")).toEqual(ok(["index.html"], false));
  });
  it("drops empty segments", () => {
    expect(path("//a///b")).toEqual(ok(["a", "b"], false));
    expect(path("//")).toEqual(ok([], true));
  });
  it("resolves dot-segments (RFC 3986 §5.2.4)", () => {
    expect(path("/a/./b")).toEqual(ok(["a", "b"], false));
    expect(path("/a/../b")).toEqual(ok(["b"], false));
    expect(path("/a/b/..")).toEqual(ok(["a"], true));
    expect(path("/a/.")).toEqual(ok(["a"], true));
    expect(path("/a/..")).toEqual(ok([], true));
    expect(path("/.")).toEqual(ok([], true));
    expect(path("//dir///..////")).toEqual(ok([], true));
  });
  it("refuses to climb above the root", () => {
    expect(path("/..")).toMatchObject(bad);
    expect(path("/../")).toMatchObject(bad);
    expect(path("/a/../../b")).toMatchObject(bad);
    expect(path("/../etc/passwd")).toMatchObject(bad);
  });
  it("treats percent-encoded dots as dot-segments, decoded once", () => {
    expect(path("/a/%2e%2e/b")).toEqual(ok(["b"], false));
    expect(path("/a/%2E%2E/b")).toEqual(ok(["b"], false));
    expect(path("/a/.%2e/b")).toEqual(ok(["b"], false));
    expect(path("/a/%2e/b")).toEqual(ok(["a", "b"], false));
    expect(path("/%2e%2e")).toMatchObject(bad);
    expect(path("/%2e%2e/%2e%2e/etc/passwd")).toMatchObject(bad);
    // Decoded once only: %252e%252e is the literal name "%2e%2e".
    expect(path("/%252e%252e")).toEqual(ok(["%2e%2e"], false));
  });
  it("refuses an encoded slash inside a segment", () => {
    expect(path("/a%2fb")).toMatchObject(bad);
    expect(path("/a%2Fb")).toMatchObject(bad);
    expect(path("/..%2f..%2fetc")).toMatchObject(bad);
  });
  it("refuses NUL and backslash, encoded or not", () => {
    expect(path("/a%00b")).toMatchObject(bad);
    expect(path("/a%5cb")).toMatchObject(bad);
    expect(path("/..%5c..%5cetc")).toMatchObject(bad);
    expect(path("/a\\b")).toMatchObject(bad);
    expect(path("/a\0b")).toMatchObject(bad);
  });
  it("refuses bad percent-encoding", () => {
    expect(path("/%zz")).toMatchObject(bad);
    expect(path("/%4")).toMatchObject(bad);
    expect(path("/a%")).toMatchObject(bad);
    expect(path("/%g0")).toMatchObject(bad);
  });
  it("refuses invalid UTF-8", () => {
    expect(path("/%ff")).toMatchObject(bad);
    expect(path("/%C3")).toMatchObject(bad);
    expect(path("/%C0%AF")).toMatchObject(bad); // overlong "/"
    expect(path("/%ED%A0%80")).toMatchObject(bad); // surrogate
  });
  it("decodes UTF-8", () => {
    expect(path("/caf%C3%A9/%E2%82%AC")).toEqual(ok(["café", "€"], false));
    expect(path("/a%20b/")).toEqual(ok(["a b"], true));
    expect(path("/%F0%9F%98%80")).toEqual(ok(["😀"], false));
  });
  it("keeps other reserved characters, decoded", () => {
    expect(path("/a;b=c/%3F%23")).toEqual(ok(["a;b=c", "?#"], false));
  });
  it("reports errors as refused, with status 400 and the INVALID_PATH code", () => {
    expect(path("/..")).toEqual({ kind: "refused", status: 400, code: "INVALID_PATH", message: expect.any(String) });
  });
});

describe("encodeSegment", () => {
  it("leaves unreserved characters alone", () => {
    expect(encodeSegment("abc-XYZ_0.9~")).toBe("abc-XYZ_0.9~");
  });
  it("percent-encodes space, slash, '?', '#', '%' and non-ASCII as UTF-8", () => {
    expect(encodeSegment("a b/c?d#e%f")).toBe("a%20b%2Fc%3Fd%23e%25f");
    expect(encodeSegment("café")).toBe("caf%C3%A9");
    expect(encodeSegment("😀")).toBe("%F0%9F%98%80");
  });
  it("also encodes the characters encodeURIComponent leaves (!'()*)", () => {
    expect(encodeSegment("!'()*")).toBe("%21%27%28%29%2A");
  });
  it("round-trips through resolveUrlPath", () => {
    for (const name of ["a b", "café", "100%", "x?y#z", "it's (1)*", "..."]) {
      expect(resolveUrlPath(`/${encodeSegment(name)}`)).toEqual({
        kind: "path",
        segments: [name],
        trailingSlash: false,
      });
    }
  });
});
