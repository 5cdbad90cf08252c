import { describe, expect, it } from "vitest";
import { ERROR_CODE } from "../../../support/h2-test-client.ts";
import { blockedWide, bytes, pulled, wide } from "../responding.ts";
import { harness, sameBytes } from "../session-harness.ts";

describe("responses (RFC 9113 §8.3.2, §6.1)", () => {
  it("lower-cases field names and drops connection-specific ones (§8.2.2)", () => {
    const h = wide(() => ({
      status: 200,
      headers: [
        ["Content-Type", "text/plain"],
        ["Connection", "close"],
        ["Transfer-Encoding", "chunked"],
        [
          "Keep-Alive",
          "x",
        ],
        ["Upgrade", "h2c"],
        ["Proxy-Connection", "x"],
        ["X-Custom", "A"],
      ],
      body: bytes("ok"),
      close: true,
    }));
    h.client.request(1);
    h.pump();
    expect(h.client.response(1).headers).toEqual([
      ["date", "d"],
      ["content-type", "text/plain"],
      ["x-custom", "A"],
      ["content-length", "2"],
    ]);
    // close: true is HTTP/1.1's; the connection goes on.
    expect(h.client.serverGoaway).toBeNull();
  });

  it.each([
    ["HEAD", 200, true, "5"],
    ["204", 204, false, undefined],
    ["304", 304, false, undefined],
  ])("sends no body for %s, END_STREAM on HEADERS", (_name, status, isHead, length) => {
    const h = wide(() => ({ status, headers: [], body: bytes("hello") }), isHead);
    h.client.request(1);
    h.pump();
    const response = h.client.response(1);
    expect(response.status).toBe(status);
    expect(response.ended).toBe(true);
    expect(response.dataFrames).toEqual([]);
    expect(response.headers.find(([n]) => n === "content-length")?.[1]).toBe(length);
  });

  it("cancels a pulled body it will not send (HEAD)", () => {
    const body = pulled([bytes("x")], 1);
    const h = wide(() => ({ status: 200, headers: [], body }), true);
    h.client.request(1, { method: "HEAD" });
    h.pump();
    expect(body.cancelled).toBe(true);
    expect(h.client.response(1).headers).toContainEqual(["content-length", "1"]);
  });

  it("sends an empty body as HEADERS with END_STREAM", () => {
    const h = wide(() => ({ status: 200, headers: [], body: new Uint8Array(0) }));
    h.client.request(1);
    h.pump();
    expect(h.client.response(1)).toMatchObject({
      ended: true,
      dataFrames: [],
      headers: [["date", "d"], ["content-length", "0"]],
    });
  });

  it("cuts a large body into frames of the peer's MAX_FRAME_SIZE, END_STREAM on the last", () => {
    const body = new Uint8Array(100_000).map((_, i) => i % 251);
    const h = wide(() => ({ status: 200, headers: [], body }));
    h.client.request(1);
    h.pump();
    const response = h.client.response(1);
    expect(response.dataFrames).toEqual([16384, 16384, 16384, 16384, 16384, 16384, 1696]);
    expect(sameBytes(response.body, body)).toBe(true);
    expect(h.client.framesOf("DATA").filter((f) => f.endStream)).toHaveLength(1);
  });

  it("interleaves concurrent responses round-robin, one frame per stream per turn", () => {
    const h = blockedWide((id) => ({ status: 200, headers: [], body: new Uint8Array(3 * 16384).fill(id) }), [1, 3, 5]);
    const order = h.client.framesOf("DATA").map((f) => f.streamId);
    expect(order).toEqual([1, 3, 5, 1, 3, 5, 1, 3, 5]);
    for (const id of [1, 3, 5]) expect(h.client.response(id).body.every((b) => b === id)).toBe(true);
  });

  it("after a complete response to a request still arriving, resets it NO_ERROR (§8.1)", () => {
    const h = harness({ app: (s) => s.respond({ status: 413, headers: [], body: null }, [], false) });
    h.connect();
    h.client.headers(1, [[":method", "POST"], [":scheme", "https"], [":authority", "a"], [":path", "/"]], {
      endStream: false,
    });
    h.pump();
    expect(h.client.response(1)).toMatchObject({ status: 413, ended: true, reset: ERROR_CODE.NO_ERROR });
    // What the client had sent meanwhile is ignored.
    h.client.data(1, "x");
    h.pump();
    expect(h.client.framesOf("RST_STREAM")).toHaveLength(1);
  });

  it("writes only the first respond(); a later one's pulled body is cancelled", () => {
    const later = pulled([], null);
    const h = harness({
      app: (s) => {
        s.respond({ status: 204, headers: [], body: null }, [], false);
        s.respond({ status: 200, headers: [], body: later }, [], false);
      },
    });
    h.connect();
    h.client.request(1);
    h.pump();
    expect(h.client.response(1).status).toBe(204);
    expect(h.client.framesOf("HEADERS")).toHaveLength(1);
    expect(later.cancelled).toBe(true);
  });

  it("sends large response headers as HEADERS and CONTINUATION frames, back to back", () => {
    const h = blockedWide(() => ({ status: 200, headers: [["x-big", "v".repeat(40_000)]], body: bytes("b") }), [1, 3]);
    const kinds = h.client.frames.filter((f) => f.type === "HEADERS" || f.type === "CONTINUATION" || f.type === "DATA")
      .map((f) => `${f.type}:${f.streamId}`);
    expect(kinds).toEqual([
      "HEADERS:1",
      "CONTINUATION:1",
      "CONTINUATION:1",
      "HEADERS:3",
      "CONTINUATION:3",
      "CONTINUATION:3",
      "DATA:1",
      "DATA:3",
    ]);
    expect(h.client.response(3).headers).toContainEqual(["x-big", "v".repeat(40_000)]);
  });
});
