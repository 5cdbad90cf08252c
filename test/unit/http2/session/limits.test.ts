import { describe, expect, it } from "vitest";
import type { PullBody } from "../../../../src/http/response.ts";
import { ERROR_CODE, FLAG, SETTING } from "../../../support/h2-test-client.ts";
import { WRITE_BATCH } from "../../../../src/http2/send-scheduler.ts";
import { harness, okText } from "../session-harness.ts";

const GET: Array<[string, string]> = [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [":path", "/"]];
const POST: Array<[string, string]> = [[":method", "POST"], [":scheme", "https"], [":authority", "a"], [":path", "/"]];

describe("limits against attack-shaped input", () => {
  it("refuses a stream past MAX_CONCURRENT_STREAMS with REFUSED_STREAM (§5.1.2)", () => {
    const h = harness({ options: { maxConcurrentStreams: 3 } });
    h.connect();
    for (const id of [1, 3, 5, 7]) h.client.headers(id, POST, { endStream: false });
    h.pump();
    expect(h.client.resets()).toEqual(new Map([[7, ERROR_CODE.REFUSED_STREAM]]));
    expect(h.requests.map((s) => s.id)).toEqual([1, 3, 5]);
    // A stream that closes frees its place; its handler's slot is freed when it answers.
    h.client.rst(1);
    h.client.headers(9, POST, { endStream: false });
    h.pump();
    expect(h.client.resets().size).toBe(1);
    expect(h.requests.map((s) => s.id)).toEqual([1, 3, 5]);
    h.requests[0]!.respond(okText("x"), [], false);
    expect(h.requests.map((s) => s.id)).toEqual([1, 3, 5, 9]);
  });

  it("Rapid Reset with handlers that never answer: 100 run, the rest queue, past 4x the queue GOAWAY ENHANCE_YOUR_CALM", () => {
    const h = harness();
    h.connect();
    let gone = 0;
    let id = 1;
    for (let round = 0; round < 10 && h.client.serverGoaway === null; round++) {
      for (let i = 0; i < 100; i++, id += 2) {
        h.client.headers(id, GET);
        h.client.rst(id);
      }
      h.pump();
      for (const stream of h.requests) stream.onGone(() => gone++);
    }
    expect(h.requests).toHaveLength(100);
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
    expect(h.client.serverGoaway?.lastStreamId).toBe(2 * 501 - 1);
    expect(h.link.ended).toBe(true);
    expect(h.logs.some((l) => l.includes("requests waiting for a handler"))).toBe(true);
    expect(gone).toBeGreaterThanOrEqual(100);
  });

  it("runs a queued request once a handler answers, and skips those reset while waiting", () => {
    const h = harness({ options: { maxConcurrentStreams: 2 } });
    h.connect();
    h.client.headers(1, GET);
    h.client.headers(3, GET);
    h.pump();
    h.client.rst(1); // its handler still runs: the slot stays taken
    h.client.headers(5, GET);
    h.client.rst(5);
    h.client.headers(7, GET);
    h.pump();
    expect(h.requests.map((s) => s.id)).toEqual([1, 3]);
    expect(h.session.streamsInFlight).toBe(3);
    h.requests[0]!.respond(okText("late"), [], false); // stream 1 was reset: nothing is sent
    h.pump();
    expect(h.requests.map((s) => s.id)).toEqual([1, 3, 7]);
    expect(h.client.framesOf("HEADERS")).toHaveLength(0);
    expect(h.session.streamsInFlight).toBe(2);
  });

  it("Rapid Reset with handlers that answer: past 1000 resets at once, GOAWAY ENHANCE_YOUR_CALM", () => {
    const h = harness({ app: (s) => s.respond(okText("x"), [], false) });
    h.connect();
    let id = 1;
    const burst = (n: number) => {
      for (let i = 0; i < n; i++, id += 2) {
        h.client.headers(id, POST, { endStream: false });
        h.client.rst(id);
      }
      h.pump();
    };
    for (let i = 0; i < 9; i++) burst(100);
    h.clock.advance(10_000); // 330 tokens back
    for (let i = 0; i < 4; i++) burst(100);
    expect(h.client.serverGoaway).toBeNull();
    burst(100);
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
    expect(h.logs.some((l) => l.includes("CVE-2023-44487"))).toBe(true);
  });

  it("MadeYouReset: stream errors the peer provokes spend the same tokens", () => {
    // Handlers that answer at once with a body that never comes: the streams stay open, no handler waits.
    const never: PullBody = { kind: "pull", length: null, read: () => new Promise(() => {}), cancel: () => {} };
    const h = harness({ app: (s) => s.respond({ status: 200, headers: [], body: never }, [], false) });
    h.connect();
    let id = 1;
    for (let round = 0; round < 12 && h.client.serverGoaway === null; round++) {
      for (let i = 0; i < 100; i++, id += 2) {
        h.client.headers(id, GET);
        h.client.windowUpdate(id, 2 ** 31 - 1); // past 2^31-1: FLOW_CONTROL_ERROR on the stream
      }
      h.pump();
    }
    expect(h.client.framesOf("RST_STREAM").length).toBe(1000);
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
  });

  it("opens at most 2x the concurrency limit of new streams in one read", () => {
    const h = harness({ options: { maxConcurrentStreams: 5 }, app: (s) => s.respond(okText("x"), [], false) });
    h.connect();
    for (let i = 0; i < 10; i++) h.client.headers(1 + 2 * i, GET);
    h.pump();
    expect(h.client.serverGoaway).toBeNull();
    for (let i = 10; i < 21; i++) h.client.headers(1 + 2 * i, GET);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
  });

  it("CONTINUATION flood: a 9th CONTINUATION is GOAWAY ENHANCE_YOUR_CALM (CVE-2024-27316)", () => {
    const h = harness();
    h.connect();
    const block = h.client.block([...GET, ["x-a", "b"]]);
    h.client.headersFrame(1, block.subarray(0, 1), FLAG.END_STREAM);
    for (let i = 0; i < 9; i++) h.client.continuation(1, new Uint8Array(0), false);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
    expect(h.logs.some((l) => l.includes("CVE-2024-27316"))).toBe(true);
  });

  it("a field block past 64 KiB compressed is GOAWAY ENHANCE_YOUR_CALM", () => {
    const h = harness();
    h.connect();
    h.client.headersFrame(1, new Uint8Array(16000), FLAG.END_STREAM);
    for (let i = 0; i < 4; i++) h.client.continuation(1, new Uint8Array(16000), i === 3);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
  });

  it("PING flood without reading: past 1000 unwritten acknowledgements, GOAWAY ENHANCE_YOUR_CALM and the connection cut", () => {
    const h = harness({ highWaterMark: 4096 });
    h.connect();
    h.reading = false;
    // The first flush comes with 1000 waiting: the link takes one write of WRITE_BATCH bytes (964
    // acknowledgements of 17 bytes) and says false (its mark is 4096); 1000 more may wait.
    const written = Math.min(1000, Math.floor(WRITE_BATCH / 17));
    for (let i = 0; i < written + 1000; i++) h.client.ping();
    h.pump();
    expect(h.link.destroyed).toBe(false);
    h.client.ping();
    h.pump();
    // The peer reads nothing: no lingering close (it would read more of the flood), no queue flushed.
    expect([h.link.destroyed, h.link.ended]).toEqual([true, false]);
    expect(h.logs.join("\n")).toContain("more than 1000 SETTINGS and PING acknowledgements");
    h.reading = true;
    h.pump();
    // The fake link still holds what was written before the cut: the GOAWAY went last, as a best effort.
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
  });

  it("SETTINGS flood without reading: the same bound", () => {
    const h = harness({ highWaterMark: 4096 });
    h.connect();
    h.reading = false;
    // The first flush comes with 1000 waiting: one write of them all (9,000 bytes), then 1000 more may wait.
    const written = Math.min(1000, Math.floor(WRITE_BATCH / 9));
    for (let i = 0; i < written + 1000; i++) h.client.settings([{ id: SETTING.ENABLE_PUSH, value: 0 }]);
    h.pump();
    expect(h.link.destroyed).toBe(false);
    h.client.settings([{ id: SETTING.ENABLE_PUSH, value: 0 }]);
    h.pump();
    expect([h.link.destroyed, h.link.ended]).toEqual([true, false]);
    h.reading = true;
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
  });

  it("writes the acknowledgements of a peer that reads (no flood)", () => {
    const h = harness({ highWaterMark: 4096 });
    h.connect();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 900; i++) h.client.ping();
      h.pump();
    }
    expect(h.client.framesOf("PING")).toHaveLength(4500);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("the frames of one read leave in writes of at most WRITE_BATCH bytes, not one write each", () => {
    const h = harness({ app: (s) => s.respond(okText("x"), [], false) });
    h.connect();
    const before = h.link.writes;
    for (let i = 0; i < 900; i++) h.client.ping();
    for (let id = 1; id <= 199; id += 2) h.client.request(id);
    h.pump();
    expect(h.client.framesOf("PING")).toHaveLength(900);
    for (let id = 1; id <= 199; id += 2) expect(h.client.response(id).ended).toBe(true);
    // 900 x 17 bytes of acknowledgements and 100 small responses: a handful of writes, not 1,100.
    const bytes = h.link.written;
    expect(h.link.writes - before).toBeLessThanOrEqual(Math.ceil(bytes / WRITE_BATCH) + 2);
  });

  it("zero window hold: data waiting 30 s with no window closes the connection", () => {
    const h = harness({ app: (s) => s.respond(okText("held"), [], false) });
    h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 0 }]);
    h.client.request(1);
    h.pump();
    expect(h.client.response(1).status).toBe(200);
    h.clock.advance(29_000);
    h.pump();
    expect(h.client.serverGoaway).toBeNull();
    h.clock.advance(1_000);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it("zero window: the watch starts again when the stream sends, and stops when nothing waits", () => {
    const h = harness({ app: (s) => s.respond(okText("0123456789"), [], false) });
    h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 0 }]);
    h.client.request(1);
    h.pump();
    h.clock.advance(20_000);
    h.client.windowUpdate(1, 4);
    h.pump();
    expect(h.client.response(1).body.length).toBe(4);
    h.clock.advance(20_000);
    h.pump();
    expect(h.client.serverGoaway).toBeNull();
    h.client.windowUpdate(1, 6);
    h.pump();
    expect(h.client.response(1).ended).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
    h.clock.advance(60_000);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("zero connection window: the same, when the connection's window is the one at zero", () => {
    const h = harness({ app: (s) => s.respond({ status: 200, headers: [], body: new Uint8Array(70_000) }, [], false) });
    h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 1 << 20 }]);
    h.client.request(1);
    h.pump();
    expect(h.client.response(1).body.length).toBe(65535);
    h.clock.advance(30_000);
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.ENHANCE_YOUR_CALM);
  });
});
