import { describe, expect, it } from "vitest";
import { frame } from "../../../src/connection/framing.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import type { HttpResponse } from "../../../src/http/response.ts";
import { requestFields } from "../../../src/http/request-fields.ts";

const head = (over: Partial<RequestHead> = {}): RequestHead => ({
  method: "GET",
  target: "/",
  version: "1.1",
  headers: [],
  fields: requestFields([]),
  host: "x",
  body: { kind: "none" },
  keepAlive: true,
  expectContinue: false,
  ...over,
} as RequestHead);
const bytes: HttpResponse = { status: 200, headers: [], body: new Uint8Array(3) };
const stream: HttpResponse = { status: 200, headers: [], body: { kind: "stream", start: () => () => {} } };
const calm = { bodyUnread: false, lastRequest: false, closing: false };

describe("frame: how a response is framed (RFC 9112 §6.3, §9.3)", () => {
  it("keeps an HTTP/1.1 connection open by default", () => {
    expect(frame(head(), bytes, calm)).toEqual({ keepAlive: true, omitBody: false, chunked: true });
  });
  it("closes after an unread body, the client's last request, during shutdown, or when the response asks", () => {
    expect(frame(head(), bytes, { ...calm, bodyUnread: true }).keepAlive).toBe(false);
    expect(frame(head(), bytes, { ...calm, lastRequest: true }).keepAlive).toBe(false);
    expect(frame(head(), bytes, { ...calm, closing: true }).keepAlive).toBe(false);
    expect(frame(head(), { ...bytes, close: true }, calm).keepAlive).toBe(false);
    expect(frame(head({ keepAlive: false }), bytes, calm).keepAlive).toBe(false);
  });
  it("a stream to HTTP/1.0 is delimited by the close; to 1.1 it is chunked", () => {
    expect(frame(head({ version: "1.0" }), stream, calm)).toEqual({
      keepAlive: false,
      omitBody: false,
      chunked: false,
    });
    expect(frame(head(), stream, calm)).toEqual({ keepAlive: true, omitBody: false, chunked: true });
  });
  it("HEAD, 1xx, 204 and 304 carry no body", () => {
    expect(frame(head({ method: "HEAD" }), bytes, calm).omitBody).toBe(true);
    for (const status of [100, 204, 304]) expect(frame(head(), { ...bytes, status }, calm).omitBody).toBe(true);
  });
});
