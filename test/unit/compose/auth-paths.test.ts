import { describe, expect, it } from "vitest";
import { canonicalAuthPath, pathGuard } from "../../../src/compose/auth-paths.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import { requestHead } from "../../support/request-head.ts";

function head(target: string, method = "GET"): RequestHead {
  return requestHead(method, target);
}

describe("canonicalAuthPath", () => {
  it.each([
    ["/private/", "/private"],
    ["/private", "/private"],
    ["//private//", "/private"],
    ["/%70rivate/", "/private"],
    ["/a/./b/../c/", "/a/c"],
    ["/", "/"],
  ])("%s is %s", (text, canonical) => {
    expect(canonicalAuthPath(text)).toBe(canonical);
  });

  it.each(["private/", "", "/../x", "/a%2fb", "/a?x", "/a\\b", "/%zz"])("%j is refused", (text) => {
    expect(canonicalAuthPath(text)).toBe(null);
  });
});

describe("pathGuard: a request judged on its path as the static handler resolves it", () => {
  const guards = pathGuard(["/private", "/a/b"], "");

  it.each([
    "/private",
    "/private/",
    "/private/x.txt",
    "/%70rivate/x.txt",
    "//private/x.txt",
    "/./private/x",
    "/pub/../private/x",
    "/pub/%2e%2e/private/x",
    "/PRIVATE/x",
    "/a/b/c",
    "http://host/private/x?y=1",
    "/private?x",
  ])("%s needs the password", (target) => {
    expect(guards(head(target))).toBe(true);
  });

  it.each(["/", "/privateer", "/private.txt", "/private/../x", "/pub/x", "/a", "/a/bc", "*"])(
    "%s does not",
    (target) => {
      expect(guards(head(target, target === "*" ? "OPTIONS" : "GET"))).toBe(false);
    },
  );

  it("a path the site would refuse (400) is guarded: an unsure answer never skips the password", () => {
    for (const target of ["/../private/x", "/private%2fx", "/%zz", "/x%00"]) expect(guards(head(target))).toBe(true);
  });

  it("an archive of a folder above a guarded path is guarded (it would hold it); below or beside it is not", () => {
    expect(guards(head("/?download=zip"))).toBe(true);
    expect(guards(head("/a/?download=tar&x=1"))).toBe(true);
    expect(guards(head("/A/?download=tar"))).toBe(true);
    expect(guards(head("/pub/?download=zip"))).toBe(false);
    expect(guards(head("/?downloaded=zip"))).toBe(false);
  });

  it("under --base-path, with the prefix carried or already removed by the proxy", () => {
    const based = pathGuard(["/private"], "/files");
    expect(based(head("/files/private/x"))).toBe(true);
    expect(based(head("/private/x"))).toBe(true);
    expect(based(head("/files/x"))).toBe(false);
    expect(based(head("/files"))).toBe(false);
  });
});
