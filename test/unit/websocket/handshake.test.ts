import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../src/http/limits.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import { RequestParser } from "../../../src/http/parser/request-parser.ts";
import { acceptValue, checkHandshake, switchingHead, wrongVersion } from "../../../src/websocket/handshake.ts";

function head(lines: string[], requestLine = "GET /chat HTTP/1.1"): RequestHead {
  const parser = new RequestParser(DEFAULT_LIMITS);
  parser.feed(new TextEncoder().encode([requestLine, "Host: example.com", ...lines, "", ""].join("\r\n")));
  const result = parser.next();
  if (result.kind !== "request") throw new Error(`not a request: ${result.kind}`);
  return result.head;
}

const VALID = [
  "Upgrade: websocket",
  "Connection: Upgrade",
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
  "Sec-WebSocket-Version: 13",
];
const without = (name: string): string[] => VALID.filter((l) => !l.startsWith(name));

describe("the opening handshake (RFC 6455 §4.2.1)", () => {
  it("accepts the RFC's example, with §1.3's accept value", async () => {
    const check = checkHandshake(head(VALID));
    expect(check).toEqual({ kind: "valid", key: "dGhlIHNhbXBsZSBub25jZQ==" });
    expect(await acceptValue("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("takes tokens case-insensitively, in lists", () => {
    const lines = ["Upgrade: foo, WebSocket", "Connection: keep-alive, upgrade", ...VALID.slice(2)];
    expect(checkHandshake(head(lines)).kind).toBe("valid");
  });

  it.each([
    ["no Upgrade", without("Upgrade")],
    ["no Connection: Upgrade", without("Connection")],
    ["no key", without("Sec-WebSocket-Key")],
    ["a key of 15 bytes", [...without("Sec-WebSocket-Key"), "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ="]],
    ["two keys", [...VALID, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]],
  ])("%s: not a handshake", (_name, lines) => {
    expect(checkHandshake(head(lines)).kind).toBe("invalid");
  });

  it("a POST, HTTP/1.0 and a request with a body are not handshakes", () => {
    expect(checkHandshake(head(VALID, "POST /chat HTTP/1.1")).kind).toBe("invalid");
    expect(checkHandshake(head(VALID, "GET /chat HTTP/1.0")).kind).toBe("invalid");
    expect(checkHandshake(head([...VALID, "Content-Length: 0"])).kind).toBe("valid");
  });

  it("another version, or none, is §4.4's 426 naming 13", () => {
    expect(checkHandshake(head([...without("Sec-WebSocket-Version"), "Sec-WebSocket-Version: 8"]))).toEqual({
      kind: "wrong-version",
    });
    expect(checkHandshake(head(without("Sec-WebSocket-Version"))).kind).toBe("wrong-version");
    const refusal = wrongVersion();
    expect(refusal.status).toBe(426);
    expect(refusal.headers).toContainEqual(["Sec-WebSocket-Version", "13"]);
    expect(refusal.close).toBe(true);
  });

  it("writes the 101 with the app's fields, not those the server sets", () => {
    const text = new TextDecoder().decode(
      switchingHead("ACCEPT", [["Sec-WebSocket-Protocol", "chat"], ["Connection", "close"]], "DATE", "Server: s\r\n"),
    );
    expect(text).toBe(
      "HTTP/1.1 101 Switching Protocols\r\nDate: DATE\r\nServer: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: ACCEPT\r\nSec-WebSocket-Protocol: chat\r\n\r\n",
    );
  });
});
