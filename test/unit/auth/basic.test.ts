import { describe, expect, it } from "vitest";
import { challenge, parseBasic } from "../../../src/auth/basic.ts";

const utf8Base64 = (text: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe("parseBasic (RFC 7617 §2)", () => {
  it("reads the RFC's example: Aladdin / open sesame", () => {
    expect(parseBasic("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).toEqual({ user: "Aladdin", password: "open sesame" });
  });

  it("the scheme is case-insensitive; the password may hold colons; UTF-8 (§2.1)", () => {
    expect(parseBasic(`bAsIc ${utf8Base64("a:b:c")}`)).toEqual({ user: "a", password: "b:c" });
    // RFC 7617 §2.1's example: user "test", password "123£".
    expect(parseBasic("Basic dGVzdDoxMjPCow==")).toEqual({ user: "test", password: "123£" });
    expect(parseBasic(`Basic ${utf8Base64("jürgen:пароль")}`)).toEqual({ user: "jürgen", password: "пароль" });
  });

  it("base64 without its padding is read too (WHATWG forgiving-base64, as atob reads it everywhere)", () => {
    expect(parseBasic("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ")).toEqual({ user: "Aladdin", password: "open sesame" });
  });

  it.each([
    ["Bearer abc", "another scheme"],
    ["Basic", "no credentials"],
    ["Basic !!!", "not token68"],
    ["Basic QWxhZGRpbg==", "no colon"],
    [`Basic ${btoa("a:\xff\xfe")}`, "not UTF-8"],
    [`Basic ${utf8Base64("a:b\x00c")}`, "a control character"],
  ])("%j is not credentials (%s)", (value) => {
    expect(parseBasic(value)).toBe(null);
  });
});

describe("challenge", () => {
  it('names the realm and charset="UTF-8" (RFC 7617 §2, §2.1)', () => {
    expect(challenge("sundial")).toBe('Basic realm="sundial", charset="UTF-8"');
    expect(challenge('a"b')).toBe('Basic realm="a\\"b", charset="UTF-8"');
  });
});
