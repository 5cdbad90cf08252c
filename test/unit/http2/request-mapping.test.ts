import { describe, expect, it } from "vitest";
import type { HeaderField } from "../../../src/http2/hpack/decode-result.ts";
import { mapRequest } from "../../../src/http2/request-mapping.ts";

/** Fields from [name, value] pairs, as the decoder gives them. */
function fields(...pairs: Array<[string, string]>): HeaderField[] {
  return pairs.map(([name, value]) => ({ name, value, sensitive: false }));
}

const BASE: Array<[string, string]> = [
  [":method", "GET"],
  [":scheme", "https"],
  [":authority", "example.com"],
  [":path", "/a?b=1"],
];

function map(extra: Array<[string, string]> = [], endStream = true, base = BASE) {
  return mapRequest(fields(...base, ...extra), endStream);
}

describe("mapRequest: a request's fields to a RequestHead (RFC 9113 §8.3.1)", () => {
  it("maps the pseudo-headers to method, target and host, version 2.0", () => {
    const mapped = map([["user-agent", "t/1"], ["accept", "*/*"]]);
    expect(mapped.kind).toBe("request");
    if (mapped.kind !== "request") return;
    const head = mapped.head;
    expect(head).toMatchObject({
      method: "GET",
      target: "/a?b=1",
      version: "2.0",
      host: "example.com",
      keepAlive: true,
      expectContinue: false,
      body: { kind: "none" },
    });
    expect(head.headers).toEqual([["user-agent", "t/1"], ["accept", "*/*"]]);
    expect(head.fields.host).toBe("example.com");
    expect(head.fields["user-agent"]).toBe("t/1");
    expect(head.fields.accept).toBe("*/*");
  });

  it("takes the host from Host when there is no :authority", () => {
    const mapped = map([["host", "h.example:8443"]], true, [[":method", "GET"], [":scheme", "https"], [":path", "/"]]);
    expect(mapped.kind === "request" && mapped.head.host).toBe("h.example:8443");
  });

  it("accepts Host equal to :authority (case aside)", () => {
    expect(map([["host", "EXAMPLE.com"]]).kind).toBe("request");
  });

  it("joins cookie fields with '; ' at the first one's place (§8.2.3)", () => {
    const mapped = map([["cookie", "a=1"], ["x", "y"], ["cookie", "b=2"], ["cookie", "c=3"]]);
    expect(mapped.kind === "request" && mapped.head.headers).toEqual([["cookie", "a=1; b=2; c=3"], ["x", "y"]]);
  });

  it("frames the body: none with END_STREAM, a length with content-length, else undeclared", () => {
    expect(map([], true)).toMatchObject({ kind: "request", head: { body: { kind: "none" } } });
    const none = map([["content-length", "0"]], true);
    expect(none.kind === "request" && none.head.body).toEqual({ kind: "none" });
    // §8.1.1: END_STREAM with the HEADERS is a body of 0 octets, which a content-length of 5 contradicts.
    expect(map([["content-length", "5"]], true).kind).toBe("malformed");
    const length = map([["content-length", "5"]], false);
    expect(length.kind === "request" && length.head.body).toEqual({ kind: "length", length: 5 });
    const open = map([], false);
    expect(open.kind === "request" && open.head.body).toEqual({ kind: "chunked" });
  });

  it("accepts OPTIONS *, te: trailers, and an empty value", () => {
    const base: Array<[string, string]> = [[":method", "OPTIONS"], [":scheme", "http"], [":authority", "a"], [
      ":path",
      "*",
    ]];
    expect(map([["te", "trailers"], ["x-empty", ""]], true, base).kind).toBe("request");
  });

  it("gives a well-formed CONNECT apart (answered 501 by the session)", () => {
    const mapped = map([], true, [[":method", "CONNECT"], [":authority", "example.com:443"]]);
    expect(mapped.kind).toBe("connect");
    expect(mapped.kind === "connect" && mapped.head.target).toBe("example.com:443");
  });

  const MALFORMED: Array<[string, Array<[string, string]>, Array<[string, string]>?]> = [
    ["an unknown pseudo-header", [[":protocol", "websocket"]]],
    ["a response pseudo-header", [[":status", "200"]]],
    ["a pseudo-header after a regular field", [], [[":method", "GET"], [":scheme", "https"], ["x", "1"], [
      ":path",
      "/",
    ], [":authority", "a"]]],
    ["a duplicated :path", [], [...BASE, [":path", "/b"]]],
    ["a duplicated :method", [], [[":method", "GET"], ...BASE]],
    ["no :method", [], BASE.filter(([n]) => n !== ":method")],
    ["no :scheme", [], BASE.filter(([n]) => n !== ":scheme")],
    ["no :path", [], BASE.filter(([n]) => n !== ":path")],
    ["an empty :path", [], [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [":path", ""]]],
    ["a :path not starting with /", [], [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [
      ":path",
      "a/b",
    ]]],
    ["* for GET", [], [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [":path", "*"]]],
    ["a space in :path", [], [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [":path", "/a b"]]],
    ["an invalid method", [], [[":method", "G T"], [":scheme", "https"], [":authority", "a"], [":path", "/"]]],
    ["an invalid :scheme", [], [[":method", "GET"], [":scheme", "1x"], [":authority", "a"], [":path", "/"]]],
    ["https without :authority or Host", [], [[":method", "GET"], [":scheme", "https"], [":path", "/"]]],
    ["an empty :authority", [], [[":method", "GET"], [":scheme", "https"], [":authority", ""], [":path", "/"]]],
    ["userinfo in :authority", [], [[":method", "GET"], [":scheme", "https"], [":authority", "u@a"], [":path", "/"]]],
    ["Host unlike :authority", [["host", "other.example"]]],
    ["two Host fields", [["host", "example.com"], ["host", "example.com"]]],
    ["two content-length fields", [["content-length", "1"], ["content-length", "1"]]],
    ["a non-numeric content-length", [["content-length", "1x"]]],
    ["an uppercase field name", [["X-Up", "1"]]],
    ["a field name with a space", [["x y", "1"]]],
    ["an empty field name", [["", "1"]]],
    ["connection", [["connection", "keep-alive"]]],
    ["keep-alive", [["keep-alive", "timeout=5"]]],
    ["proxy-connection", [["proxy-connection", "close"]]],
    ["transfer-encoding", [["transfer-encoding", "chunked"]]],
    ["upgrade", [["upgrade", "h2c"]]],
    ["te other than trailers", [["te", "trailers, deflate"]]],
    ["a NUL in a value", [["x", "a\u0000b"]]],
    ["a CR in a value", [["x", "a\rb"]]],
    ["a LF in a value", [["x", "a\nb"]]],
    ["a leading space in a value", [["x", " a"]]],
    ["a trailing tab in a value", [["x", "a\t"]]],
    ["CONNECT with :path", [], [[":method", "CONNECT"], [":authority", "a:443"], [":path", "/"]]],
    ["CONNECT without :authority", [], [[":method", "CONNECT"]]],
  ];

  for (const [name, extra, base] of MALFORMED) {
    it(`refuses as malformed (§8.1.1): ${name}`, () => {
      expect(map(extra, true, base ?? BASE).kind).toBe("malformed");
    });
  }
});
