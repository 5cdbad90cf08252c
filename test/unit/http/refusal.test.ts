import { describe, expect, it } from "vitest";
import { refusalBytes } from "../../../src/http/refusal.ts";
import { SERVER_HEADER } from "../../../src/version.ts";
import { latin1Text } from "../../support/fake-ports.ts";

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function split(bytes: Uint8Array): { head: string; body: string } {
  const text = latin1Text(bytes);
  const end = text.indexOf("\r\n\r\n") + 4;
  return { head: text.slice(0, end), body: text.slice(end) };
}

describe("refusalBytes (connection/refusal.ts)", () => {
  it("an error page with Connection: close, the date, the common headers and its exact length, in one buffer", () => {
    const { head, body } = split(
      refusalBytes(408, T0, `Server: ${SERVER_HEADER}\r\nX-Content-Type-Options: nosniff\r\n`),
    );
    expect(
      head.startsWith(
        `HTTP/1.1 408 Request Timeout\r\nDate: Fri, 02 Jan 2026 03:04:05 GMT\r\nServer: ${SERVER_HEADER}\r\n`,
      ),
    ).toBe(true);
    expect(head).toContain("\r\nConnection: close\r\n");
    expect(head).toContain("\r\nX-Content-Type-Options: nosniff\r\n");
    expect(head).toContain(`\r\nContent-Length: ${body.length}\r\n`);
    expect(body).toContain("<h1>408 Request Timeout</h1>");
  });

  it("closes even after a status that would not close by itself, and carries extra fields", () => {
    const { head } = split(refusalBytes(503, T0, "", [["Retry-After", "1"]]));
    expect(head.startsWith("HTTP/1.1 503 Service Unavailable\r\n")).toBe(true);
    expect(head).toContain("\r\nRetry-After: 1\r\n");
    expect(head).toContain("\r\nConnection: close\r\n");
  });
});
