import { describe, expect, it } from "vitest";
import type { HttpResponse, PullBody, StreamSink } from "../../../../src/http/response.ts";
import { ERROR_CODE, SETTING, text } from "../../../support/h2-test-client.ts";
import { harness, okText, sameBytes } from "../session-harness.ts";

const POST: Array<[string, string]> = [[":method", "POST"], [":scheme", "https"], [":authority", "a"], [":path", "/"]];

function pullForever(): PullBody & { cancelled: boolean } {
  const body = {
    kind: "pull" as const,
    length: null,
    cancelled: false,
    read: () => new Promise<never>(() => {}),
    cancel: () => (body.cancelled = true),
  };
  return body;
}

describe("the session's end", () => {
  it("shutdown: GOAWAY NO_ERROR with the last stream id, in-flight streams finish, new ones are ignored, then the end", () => {
    const h = harness();
    h.connect();
    h.client.request(1);
    h.client.request(3);
    h.pump();
    h.session.shutdown();
    h.pump();
    expect(h.client.serverGoaway).toMatchObject({ errorCode: ERROR_CODE.NO_ERROR, lastStreamId: 3 });
    expect(h.link.ended).toBe(false);
    h.client.request(5);
    h.pump();
    expect(h.requests.map((s) => s.id)).toEqual([1, 3]);
    h.requests[0]!.respond(okText("one"), [], false);
    h.pump();
    expect(h.link.ended).toBe(false);
    expect(h.closed).toBe(false);
    h.requests[1]!.respond(okText("three"), [], false);
    h.pump();
    expect(text(h.client.response(3).body)).toBe("three");
    expect(h.link.ended).toBe(true);
    expect(h.closed).toBe(true);
    expect(h.link.writesAfterEnd).toBe(0);
  });

  it("shutdown with nothing in flight ends at once", () => {
    const h = harness();
    h.connect();
    h.session.shutdown();
    h.pump();
    expect(h.client.serverGoaway).toMatchObject({ errorCode: ERROR_CODE.NO_ERROR, lastStreamId: 0 });
    expect(h.link.ended).toBe(true);
    expect(h.closed).toBe(true);
  });

  it("shutdown ends an event stream after what it queued", () => {
    let sink: StreamSink | null = null;
    let stopped = false;
    const body: HttpResponse["body"] = {
      kind: "stream",
      start: (s) => {
        sink = s;
        return () => (stopped = true);
      },
    };
    const h = harness({ app: (s) => s.respond({ status: 200, headers: [], body }, [], false) });
    h.connect();
    h.client.request(1);
    h.pump();
    sink!.write(new TextEncoder().encode("data: a\n\n"));
    h.session.shutdown();
    h.pump();
    expect(stopped).toBe(true);
    expect(h.client.response(1)).toMatchObject({ ended: true });
    expect(text(h.client.response(1).body)).toBe("data: a\n\n");
    expect(h.link.ended).toBe(true);
  });

  it("a GOAWAY from the peer: no new streams, in-flight ones finish, then the end", () => {
    const h = harness();
    h.connect();
    h.client.request(1);
    h.client.goaway(0, "NO_ERROR");
    h.client.request(3);
    h.pump();
    expect(h.requests.map((s) => s.id)).toEqual([1]);
    expect(h.link.ended).toBe(false);
    h.requests[0]!.respond(okText("x"), [], false);
    h.pump();
    expect(h.client.response(1).ended).toBe(true);
    expect(h.link.ended).toBe(true);
    expect(h.closed).toBe(true);
    // §6.8: GOAWAY before the close, naming the last stream taken.
    expect(h.client.serverGoaway).toMatchObject({ errorCode: ERROR_CODE.NO_ERROR, lastStreamId: 1 });
  });

  it("gone(): every stream is told, reads fail, producers stop, nothing more is written", async () => {
    const pulled = pullForever();
    const h = harness({
      app: (s) => {
        if (s.id === 3) s.respond({ status: 200, headers: [], body: pulled }, [], false);
      },
    });
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.client.request(3);
    h.pump();
    const gone: number[] = [];
    for (const stream of h.requests) stream.onGone(() => gone.push(stream.id));
    const read = h.requests[0]!.body!.read();
    const written = h.link.written;
    h.session.gone();
    expect(gone.sort()).toEqual([1, 3]);
    expect(await read).toEqual({ kind: "failed", error: null });
    expect(pulled.cancelled).toBe(true);
    expect(h.closed).toBe(true);
    h.requests[0]!.respond(okText("late"), [], false);
    h.session.feed(new Uint8Array(9));
    h.session.drained();
    expect(h.link.written).toBe(written);
    expect(h.link.ended).toBe(false);
  });

  it("inputEnded(): requests still arriving are abandoned, whole ones answered, then the end", () => {
    const h = harness();
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.client.request(3);
    h.pump();
    const gone: number[] = [];
    for (const stream of h.requests) stream.onGone(() => gone.push(stream.id));
    h.session.inputEnded();
    expect(gone).toEqual([1]);
    expect(h.link.ended).toBe(false);
    h.requests[1]!.respond(okText("x"), [], false);
    h.pump();
    expect(h.client.response(3).ended).toBe(true);
    expect(h.link.ended).toBe(true);
  });

  it("a connection error: GOAWAY with the last stream id, every stream told, the link ended", () => {
    const h = harness();
    h.connect();
    h.client.request(1);
    h.client.request(5);
    h.pump();
    let gone = 0;
    for (const stream of h.requests) stream.onGone(() => gone++);
    h.client.windowUpdate(0, 2 ** 31 - 1); // past 2^31-1
    h.pump();
    expect(h.client.serverGoaway).toMatchObject({ errorCode: ERROR_CODE.FLOW_CONTROL_ERROR, lastStreamId: 5 });
    expect(text(h.client.serverGoaway!.debugData)).toContain("2^31-1");
    expect(gone).toBe(2);
    expect(h.link.ended).toBe(true);
    expect(h.closed).toBe(true);
    h.client.request(7);
    h.pump();
    expect(h.requests).toHaveLength(2);
  });

  it("a bug in a turn of work is a GOAWAY INTERNAL_ERROR and a log line, never thrown", () => {
    const h = harness({
      app: (s) => s.respond({ status: 200, headers: null as unknown as [], body: null }, [], false),
    });
    h.connect();
    expect(() => {
      h.client.request(1);
      h.pump();
    }).not.toThrow();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.INTERNAL_ERROR);
    expect(h.logs.some((l) => l.startsWith("HTTP/2 internal error"))).toBe(true);
  });

  it("a connection's request handler that throws: the stream is reset INTERNAL_ERROR, the connection goes on", () => {
    const h = harness({
      app: (s) => {
        if (s.id === 1) throw new Error("wiring bug");
        s.respond(okText("ok"), [], false);
      },
    });
    h.connect();
    h.client.request(1);
    h.client.request(3);
    h.pump();
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.INTERNAL_ERROR);
    expect(h.client.response(3).status).toBe(200);
    expect(h.session.streamsInFlight).toBe(0);
  });

  it("keeps writing under backpressure: stops when the link is full, goes on at drained()", () => {
    const body = new Uint8Array(200_000).fill(9);
    const h = harness({ highWaterMark: 20_000, app: (s) => s.respond({ status: 200, headers: [], body }, [], false) });
    h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 1 << 20 }]);
    h.client.windowUpdate(0, 1 << 20);
    h.reading = false;
    h.client.request(1);
    h.pump();
    expect(h.link.queued).toBeLessThanOrEqual(20_000 + 16_384 + 200);
    h.reading = true;
    h.pump();
    expect(sameBytes(h.client.response(1).body, body)).toBe(true);
  });
});

describe("after GOAWAY", () => {
  it("ignores a new stream's HEADERS and DATA sent before the peer saw our GOAWAY (§6.8)", () => {
    const h = harness();
    h.connect();
    h.client.request(1);
    h.pump();
    h.session.shutdown();
    h.client.headers(3, POST, { endStream: false });
    h.client.data(3, "x", { endStream: true });
    h.pump();
    expect(h.requests.map((s) => s.id)).toEqual([1]);
    expect(h.client.resets().size).toBe(0);
    expect(h.client.framesOf("GOAWAY")).toHaveLength(1);
  });

  it("never names a higher last stream in a later GOAWAY", () => {
    const h = harness();
    h.connect();
    h.client.request(1);
    h.pump();
    h.session.shutdown();
    h.client.request(3);
    h.client.windowUpdate(0, 2 ** 31 - 1); // a connection error
    h.pump();
    expect(h.client.framesOf("GOAWAY").map((f) => [f.errorCode, f.lastStreamId])).toEqual([
      [ERROR_CODE.NO_ERROR, 1],
      [ERROR_CODE.FLOW_CONTROL_ERROR, 1],
    ]);
  });
});

describe("what the connection reads of the session", () => {
  it("counts open streams apart from handlers in flight (a response still being sent is open)", () => {
    const h = harness({ app: (s) => s.respond(okText("held by a zero window"), [], false) });
    h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 0 }]);
    expect(h.session.openStreams).toBe(0);
    h.client.request(1);
    h.pump();
    expect(h.session.streamsInFlight).toBe(0);
    expect(h.session.openStreams).toBe(1);
    h.client.windowUpdate(1, 100);
    h.pump();
    expect(h.session.openStreams).toBe(0);
  });
});
