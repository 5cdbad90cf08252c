import { describe, expect, it } from "vitest";
import { ERROR_CODE, FLAG, FRAME_TYPE } from "../../../support/h2-test-client.ts";
import { rawFrame } from "../reading.ts";
import { harness, okText } from "../session-harness.ts";

const GET: Array<[string, string]> = [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [":path", "/"]];
const POST: Array<[string, string]> = [[":method", "POST"], [":scheme", "https"], [":authority", "a"], [":path", "/"]];

function answered() {
  return harness({ app: (s) => s.respond(okText("ok"), [], false) });
}

describe("stream states (RFC 9113 §5.1)", () => {
  describe("idle", () => {
    it.each([
      ["DATA", () => rawFrame(FRAME_TYPE.DATA, 0, 1, [1])],
      ["RST_STREAM", () => rawFrame(FRAME_TYPE.RST_STREAM, 0, 1, [0, 0, 0, 8])],
      ["WINDOW_UPDATE", () => rawFrame(FRAME_TYPE.WINDOW_UPDATE, 0, 1, [0, 0, 0, 1])],
      ["CONTINUATION", () => rawFrame(FRAME_TYPE.CONTINUATION, FLAG.END_HEADERS, 1, [0x82])],
    ])("%s on an idle stream is a connection PROTOCOL_ERROR", (_name, frame) => {
      const h = harness();
      h.connect();
      h.client.raw(frame());
      h.pump();
      expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.PROTOCOL_ERROR);
    });

    it("refuses HEADERS on an even stream (§5.1.1)", () => {
      const h = harness();
      h.connect();
      h.client.headers(2, GET);
      h.pump();
      expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.PROTOCOL_ERROR);
    });

    it("refuses a stream identifier below one already used (§5.1.1)", () => {
      const h = answered();
      h.connect();
      h.client.headers(5, GET);
      h.client.headers(3, GET);
      h.pump();
      expect(h.client.serverGoaway).toMatchObject({ errorCode: ERROR_CODE.PROTOCOL_ERROR, lastStreamId: 5 });
    });

    it("accepts identifiers that skip some (the skipped ones are closed)", () => {
      const h = answered();
      h.connect();
      h.client.headers(1, GET);
      h.client.headers(7, GET);
      h.pump();
      expect(h.client.response(7).status).toBe(200);
      expect(h.client.serverGoaway).toBeNull();
    });
  });

  describe("half-closed (remote)", () => {
    it("answers DATA after END_STREAM with STREAM_CLOSED", () => {
      const h = harness();
      h.connect();
      h.client.headers(1, GET);
      h.client.data(1, "x");
      h.pump();
      expect(h.client.resets().get(1)).toBe(ERROR_CODE.STREAM_CLOSED);
      expect(h.client.serverGoaway).toBeNull();
    });

    it("answers HEADERS after END_STREAM with STREAM_CLOSED", () => {
      const h = harness();
      h.connect();
      h.client.headers(1, GET);
      h.client.headers(1, [["x-trailer", "1"]]);
      h.pump();
      expect(h.client.resets().get(1)).toBe(ERROR_CODE.STREAM_CLOSED);
    });

    it("takes WINDOW_UPDATE, PRIORITY and RST_STREAM", () => {
      const h = harness();
      h.connect();
      h.client.headers(1, GET);
      h.client.windowUpdate(1, 10);
      h.client.priority(1, { exclusive: false, dependency: 0, weight: 16 });
      h.pump();
      expect(h.client.resets().size).toBe(0);
      let gone = false;
      h.requests[0]!.onGone(() => (gone = true));
      h.client.rst(1);
      h.pump();
      expect(gone).toBe(true);
      expect(h.client.resets().size).toBe(0);
    });
  });

  describe("closed", () => {
    it("answers DATA on a stream closed both ways with STREAM_CLOSED, HEADERS with a connection error", () => {
      const h = answered();
      h.connect();
      h.client.headers(1, GET);
      h.client.headers(3, GET);
      h.pump();
      expect(h.client.response(1).ended).toBe(true);
      h.client.data(1, "x");
      h.pump();
      expect(h.client.resets().get(1)).toBe(ERROR_CODE.STREAM_CLOSED);
      // Once reset by us, stream 1's frames are ignored (§5.1); stream 3 is closed.
      h.client.data(1, "y");
      h.pump();
      expect(h.client.framesOf("RST_STREAM")).toHaveLength(1);
      h.client.headers(3, GET);
      h.pump();
      expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.STREAM_CLOSED);
    });

    it("ignores WINDOW_UPDATE, RST_STREAM and PRIORITY on a closed stream", () => {
      const h = answered();
      h.connect();
      h.client.headers(1, GET);
      h.pump();
      h.client.windowUpdate(1, 100);
      h.client.rst(1);
      h.client.priority(1, { exclusive: false, dependency: 0, weight: 16 });
      h.pump();
      expect(h.client.resets().size).toBe(0);
      expect(h.client.serverGoaway).toBeNull();
    });

    it("answers DATA and HEADERS after the peer's RST_STREAM with STREAM_CLOSED", () => {
      const h = harness();
      h.connect();
      h.client.headers(1, POST, { endStream: false });
      h.client.headers(3, POST, { endStream: false });
      h.client.rst(1);
      h.client.rst(3);
      h.client.data(1, "x");
      h.pump();
      expect(h.client.resets().get(1)).toBe(ERROR_CODE.STREAM_CLOSED);
      h.client.headers(3, [["x", "1"]]);
      h.pump();
      expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.STREAM_CLOSED);
    });

    it("ignores DATA and HEADERS on a stream it reset, and keeps HPACK in step (§5.1)", () => {
      const h = harness({ app: (s) => s.respond(okText("ok"), [], false) });
      h.connect();
      // Malformed (uppercase name): reset with PROTOCOL_ERROR.
      h.client.headers(1, [...POST, ["X-Up", "1"]], { endStream: false });
      h.pump();
      expect(h.client.resets().get(1)).toBe(ERROR_CODE.PROTOCOL_ERROR);
      h.client.data(1, "late data");
      // A block that adds to the dynamic table, then one that refers to it.
      h.client.headers(1, [["x-new-field", "v1"]]);
      h.client.headers(3, [...GET, ["x-new-field", "v1"]]);
      h.pump();
      expect(h.client.resets().size).toBe(1);
      expect(h.client.serverGoaway).toBeNull();
      expect(h.requests.map((s) => s.head.headers)).toEqual([[["x-new-field", "v1"]]]);
      expect(h.client.response(3).status).toBe(200);
    });
  });

  it("accepts trailers (a second HEADERS with END_STREAM) and ignores them", async () => {
    const h = harness();
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.client.data(1, "abc");
    h.client.headers(1, [["x-checksum", "1"]]);
    h.pump();
    const body = h.requests[0]!.body!;
    expect(await body.read()).toMatchObject({ kind: "data" });
    expect(await body.read()).toEqual({ kind: "end" });
    expect(h.client.resets().size).toBe(0);
  });

  it.each([
    ["a pseudo-header", [[":path", "/"]]],
    ["an uppercase name", [["X-A", "1"]]],
    ["a connection-specific field", [["connection", "close"]]],
  ] as Array<[string, Array<[string, string]>]>)("resets trailers with %s (§8.1.1)", (_name, trailers) => {
    const h = harness();
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.client.headers(1, trailers);
    h.pump();
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.PROTOCOL_ERROR);
  });

  it("resets a second HEADERS without END_STREAM (§8.1)", () => {
    const h = harness();
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.client.headers(1, [["x", "1"]], { endStream: false });
    h.pump();
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.PROTOCOL_ERROR);
  });

  describe("field blocks over CONTINUATION (§6.10)", () => {
    it("joins HEADERS and CONTINUATION frames", () => {
      const h = answered();
      h.connect();
      const block = h.client.block([...GET, ["x-long", "v".repeat(100)]]);
      h.client.headersFrame(1, block.subarray(0, 5), FLAG.END_STREAM);
      h.client.continuation(1, block.subarray(5, 20), false);
      h.client.continuation(1, block.subarray(20), true);
      h.pump();
      expect(h.requests[0]!.head.headers).toEqual([["x-long", "v".repeat(100)]]);
      expect(h.client.response(1).status).toBe(200);
    });

    it("refuses a frame between HEADERS and its CONTINUATION", () => {
      const h = harness();
      h.connect();
      const block = h.client.block(GET);
      h.client.headersFrame(1, block.subarray(0, 2), FLAG.END_STREAM);
      h.client.ping();
      h.pump();
      expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.PROTOCOL_ERROR);
    });

    it("refuses a CONTINUATION of another stream", () => {
      const h = harness();
      h.connect();
      const block = h.client.block(GET);
      h.client.headersFrame(1, block.subarray(0, 2), FLAG.END_STREAM);
      h.client.continuation(3, block.subarray(2), true);
      h.pump();
      expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.PROTOCOL_ERROR);
    });
  });

  it("fails the connection on a block HPACK cannot decode (§4.3: COMPRESSION_ERROR)", () => {
    const h = harness();
    h.connect();
    h.client.headersFrame(1, Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), FLAG.END_HEADERS | FLAG.END_STREAM);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.COMPRESSION_ERROR);
  });

  it("resets a stream error the reader finds (PRIORITY of the wrong size: FRAME_SIZE_ERROR)", () => {
    const h = harness();
    h.connect();
    h.client.raw(rawFrame(FRAME_TYPE.PRIORITY, 0, 1, [0, 0, 0, 0]));
    h.pump();
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.FRAME_SIZE_ERROR);
    expect(h.client.serverGoaway).toBeNull();
  });
});
