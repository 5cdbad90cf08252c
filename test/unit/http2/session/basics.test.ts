import { describe, expect, it } from "vitest";
import { ERROR_CODE, FLAG, FRAME_TYPE, SETTING, text } from "../../../support/h2-test-client.ts";
import { rawFrame } from "../reading.ts";
import { harness, okText } from "../session-harness.ts";

describe("Http2Session: the start and one request", () => {
  it("sends its SETTINGS and raises the connection window first (§3.4, §6.9.2)", () => {
    const h = harness();
    h.connect();
    const [settings, update] = h.client.frames;
    expect(settings?.type).toBe("SETTINGS");
    if (settings?.type !== "SETTINGS") return;
    expect(settings.ack).toBe(false);
    expect(settings.settings).toEqual([
      { id: SETTING.MAX_CONCURRENT_STREAMS, value: 100 },
      { id: SETTING.INITIAL_WINDOW_SIZE, value: 1 << 20 },
      { id: SETTING.MAX_HEADER_LIST_SIZE, value: 65536 },
    ]);
    expect(update).toMatchObject({ type: "WINDOW_UPDATE", streamId: 0, increment: (2 << 20) - 65535 });
    // The client's SETTINGS acknowledged.
    expect(h.client.framesOf("SETTINGS").filter((f) => f.ack)).toHaveLength(1);
    expect(h.session.settingsReceived).toBe(true);
  });

  it("hands a GET to the app and sends its response", () => {
    const h = harness({
      app: (stream) => stream.respond(okText("hello"), [["date", "today"], ["server", "sundial"]], false),
    });
    h.connect();
    h.client.request(1, { path: "/x?y", headers: [["user-agent", "t"]] });
    h.pump();
    expect(h.requests).toHaveLength(1);
    const head = h.requests[0]!.head;
    expect(head).toMatchObject({ method: "GET", target: "/x?y", version: "2.0", host: "localhost" });
    expect(h.requests[0]!.body).toBeNull();
    const response = h.client.response(1);
    expect(response.status).toBe(200);
    expect(response.headers).toEqual([
      ["date", "today"],
      ["server", "sundial"],
      ["content-type", "text/plain"],
      ["content-length", "5"],
    ]);
    expect(text(response.body)).toBe("hello");
    expect(response.ended).toBe(true);
    expect(h.session.streamsInFlight).toBe(0);
  });
});

describe("Http2Session: connection-level frames", () => {
  it("refuses a first frame other than SETTINGS (§3.4)", () => {
    const h = harness();
    h.client.raw(new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    h.client.ping();
    h.pump();
    expect(h.client.serverGoaway).toMatchObject({ errorCode: ERROR_CODE.PROTOCOL_ERROR, lastStreamId: 0 });
    expect(h.link.ended).toBe(true);
    expect(h.closed).toBe(true);
    expect(h.session.settingsReceived).toBe(false);
    expect(h.logs.some((l) => l.includes("PROTOCOL_ERROR"))).toBe(true);
  });

  it("answers PING with PING ACK and the same data (§6.7), ignores a PING ACK", () => {
    const h = harness();
    h.connect();
    h.client.ping(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    h.client.ping(new Uint8Array(8), true);
    h.pump();
    const pings = h.client.framesOf("PING");
    expect(pings).toHaveLength(1);
    expect(pings[0]!.ack).toBe(true);
    expect([...pings[0]!.opaqueData]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("acknowledges each SETTINGS, and ignores unknown settings and frame types (§5.5, §6.5.2)", () => {
    const h = harness();
    h.connect([{ id: 0x99, value: 7 }]);
    h.client.settings([{ id: SETTING.ENABLE_PUSH, value: 0 }]);
    h.client.raw(Uint8Array.from([0, 0, 3, 0xfa, 0, 0, 0, 0, 0, 1, 2, 3]));
    h.pump();
    expect(h.client.framesOf("SETTINGS").filter((f) => f.ack)).toHaveLength(2);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("reads frames up to its announced MAX_FRAME_SIZE only once the peer acknowledged it (§4.2, §6.5.3)", () => {
    const h = harness({ options: { maxFrameSize: 32768 }, client: { autoAck: false } });
    h.connect();
    const settings = h.client.framesOf("SETTINGS")[0]!;
    expect(settings.settings).toContainEqual({ id: SETTING.MAX_FRAME_SIZE, value: 32768 });
    // Before the ACK a 20,000-byte frame is over the 16,384 in force.
    const big = () => h.client.raw(rawFrame(0xfa, 0, 0, new Uint8Array(20_000)));
    const h2 = harness({ options: { maxFrameSize: 32768 }, client: { autoAck: false } });
    h2.connect();
    h2.client.raw(rawFrame(0xfa, 0, 0, new Uint8Array(20_000)));
    h2.pump();
    expect(h2.client.serverGoaway?.errorCode).toBe(ERROR_CODE.FRAME_SIZE_ERROR);
    // After it, the same frame is read (an unknown type: ignored).
    h.client.settingsAck();
    big();
    h.pump();
    expect(h.client.serverGoaway).toBeNull();
  });

  it("applies the peer's MAX_FRAME_SIZE to the DATA it sends", () => {
    const body = new Uint8Array(40_000).fill(7);
    const h = harness({ app: (s) => s.respond({ status: 200, headers: [], body }, [], false) });
    h.connect([
      { id: SETTING.MAX_FRAME_SIZE, value: 20_000 },
      { id: SETTING.INITIAL_WINDOW_SIZE, value: 1 << 20 },
    ]);
    h.client.windowUpdate(0, 1 << 20);
    h.client.request(1);
    h.pump();
    expect(h.client.response(1).dataFrames).toEqual([20_000, 20_000]);
    expect(h.client.response(1).ended).toBe(true);
  });

  it("ignores PRIORITY frames (§5.3.2), on any stream", () => {
    const h = harness();
    h.connect();
    h.client.priority(3, { exclusive: false, dependency: 0, weight: 16 });
    h.client.priority(8, { exclusive: true, dependency: 1, weight: 256 });
    h.pump();
    expect(h.client.serverGoaway).toBeNull();
    expect(h.client.frames.filter((f) => f.type === "RST_STREAM")).toHaveLength(0);
  });

  it("resets a stream PRIORITY makes depend on itself (RFC 7540 §5.3.1)", () => {
    const h = harness();
    h.connect();
    h.client.priority(3, { exclusive: false, dependency: 3, weight: 16 });
    h.client.headers(5, GET, { priority: { exclusive: false, dependency: 5, weight: 1 } });
    h.pump();
    expect(h.client.resets()).toEqual(new Map([[3, ERROR_CODE.PROTOCOL_ERROR], [5, ERROR_CODE.PROTOCOL_ERROR]]));
    expect(h.requests).toHaveLength(0);
  });

  it("refuses PUSH_PROMISE from a client (§8.4)", () => {
    const h = harness();
    h.connect();
    h.client.raw(rawFrame(FRAME_TYPE.PUSH_PROMISE, FLAG.END_HEADERS, 1, [0, 0, 0, 2, 0x82]));
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.PROTOCOL_ERROR);
  });

  it("grows the connection's send window by WINDOW_UPDATE, and fails past 2^31-1 (§6.9.1)", () => {
    const h = harness();
    h.connect();
    h.client.windowUpdate(0, 2 ** 31 - 1 - 65535);
    h.pump();
    expect(h.client.serverGoaway).toBeNull();
    h.client.windowUpdate(0, 1);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.FLOW_CONTROL_ERROR);
  });

  it("refuses a SETTINGS_INITIAL_WINDOW_SIZE that takes a stream's window past 2^31-1 (§6.9.2)", () => {
    const h = harness();
    h.connect();
    h.client.request(1);
    h.client.windowUpdate(1, 2 ** 31 - 1 - 65535);
    h.pump();
    h.client.settings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 65536 }]);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.FLOW_CONTROL_ERROR);
  });
});

const GET: Array<[string, string]> = [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [":path", "/"]];

describe("the peer's SETTINGS_HEADER_TABLE_SIZE (§6.5.2)", () => {
  it("bounds the encoder's table: 0 means a size update to 0 first, then nothing indexed", () => {
    const h = harness({ app: (s) => s.respond(okText("x", [["X-Repeated", "same value"]]), [], false) });
    h.connect([{ id: SETTING.HEADER_TABLE_SIZE, value: 0 }]);
    h.client.request(1);
    h.client.request(3);
    h.pump();
    const [first, second] = h.client.framesOf("HEADERS");
    expect(first!.fragment[0]).toBe(0x20); // §6.3 of RFC 7541: a dynamic table size update to 0
    expect(second!.fragment.length).toBe(first!.fragment.length - 1);
    expect(h.client.response(3).headers).toContainEqual(["x-repeated", "same value"]);
  });

  it("indexes repeated fields with the default table", () => {
    const h = harness({ app: (s) => s.respond(okText("x", [["X-Repeated", "same value"]]), [], false) });
    h.connect();
    h.client.request(1);
    h.client.request(3);
    h.pump();
    const [first, second] = h.client.framesOf("HEADERS");
    expect(second!.fragment.length).toBeLessThan(first!.fragment.length - 5);
  });
});
