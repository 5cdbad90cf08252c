import { describe, expect, it } from "vitest";
import { WEBSOCKET_DEFAULTS, type WebSocketLimits } from "../../../src/websocket/options.ts";
import { type SessionEvents, type SessionLink, WebSocketSession } from "../../../src/websocket/session.ts";
import { FakeClock } from "../../support/fake-ports.ts";
import { clientFrame, closeBody, closeOf, readServerFrames, type ServerFrame } from "../../support/websocket-frames.ts";
import { concat } from "./reading.ts";

/** A link whose socket takes highWaterMark bytes before write() says false; flush() empties it. */
class FakeLink implements SessionLink {
  readonly written: Uint8Array[] = [];
  pending: Array<() => void> = [];
  queued = 0;
  ended: "no" | "end" | "linger" = "no";
  destroyed = false;
  counts: Array<[string, number]> = [];
  constructor(private readonly highWaterMark = 1 << 20) {}
  write(bytes: Uint8Array, onFlushed: () => void): boolean {
    this.written.push(bytes.slice());
    this.queued += bytes.length;
    this.pending.push(onFlushed);
    return this.queued <= this.highWaterMark;
  }
  end(linger: boolean): void {
    this.ended = linger ? "linger" : "end";
  }
  destroy(): void {
    this.destroyed = true;
  }
  counted(direction: "in" | "out", bytes: number): void {
    this.counts.push([direction, bytes]);
  }
  flush(): void {
    this.queued = 0;
    for (const fn of this.pending.splice(0)) fn();
  }
  frames(): ServerFrame[] {
    return readServerFrames(concat(this.written)).frames;
  }
}

function setup(limits: Partial<WebSocketLimits> = {}, highWaterMark?: number) {
  const clock = new FakeClock(1000);
  const link = new FakeLink(highWaterMark);
  const log: string[] = [];
  const errors: string[] = [];
  const events: SessionEvents = {
    open: () => log.push("open"),
    message: (m) => log.push(m.kind === "text" ? `text:${m.text}` : `binary:${m.data.length}`),
    ping: (d) => log.push(`ping:${d.length}`),
    pong: (d) => log.push(`pong:${d.length}`),
    drain: () => log.push("drain"),
    close: (code, reason) => log.push(`close:${code}:${reason}`),
  };
  const session = new WebSocketSession(
    link,
    clock,
    { ...WEBSOCKET_DEFAULTS, ...limits },
    () => events,
    (e) => errors.push(e),
  );
  return { clock, link, log, errors, session };
}

describe("WebSocketSession", () => {
  it("opens, reads what came with the handshake, answers pings, echoes a close", () => {
    const { link, log, session } = setup();
    session.start(concat([clientFrame(0x1, "hi"), clientFrame(0x9, "p")]));
    expect(session.readyState).toBe(1);
    session.feed(clientFrame(0x8, closeBody(1000, "done")));
    expect(log).toEqual(["open", "text:hi", "ping:1", "close:1000:done"]);
    const frames = link.frames();
    expect(frames.map((f) => f.opcode)).toEqual([0xa, 0x8]);
    expect(frames.every((f) => !f.masked)).toBe(true);
    expect(closeOf(frames[1]!).code).toBe(1000);
    expect(link.ended).toBe("end");
    expect(session.readyState).toBe(3);
  });

  it("echoes a close without a code with an empty one, telling the app 1005", () => {
    const { link, log, session } = setup();
    session.start(clientFrame(0x8, ""));
    expect(log).toEqual(["open", "close:1005:"]);
    expect(link.frames()[0]!.payload.length).toBe(0);
  });

  it("fails the connection on a protocol error: close 1002, input lingered on, app told", () => {
    const { link, log, session } = setup();
    session.start(clientFrame(0x1, "x", { masked: false }));
    expect(closeOf(link.frames()[0]!).code).toBe(1002);
    expect(link.ended).toBe("linger");
    expect(log).toEqual(["open", "close:1002:client frame not masked"]);
  });

  it("a close the app begins waits for the client's, then ends; or cuts it at the close timeout", () => {
    const a = setup();
    a.session.start(new Uint8Array(0));
    a.session.close(4000, "bye");
    expect(a.session.readyState).toBe(2);
    expect(a.session.sendText("late")).toBe(0);
    a.session.feed(clientFrame(0x1, "dropped"));
    a.session.feed(clientFrame(0x8, closeBody(4000)));
    expect(a.log).toEqual(["open", "close:4000:"]);
    expect(a.link.ended).toBe("end");

    const b = setup({ closeTimeoutMs: 500 });
    b.session.start(new Uint8Array(0));
    b.session.close(1000);
    b.clock.advance(499);
    expect(b.link.destroyed).toBe(false);
    b.clock.advance(1);
    expect(b.link.destroyed).toBe(true);
    expect(b.log).toEqual(["open", "close:1006:"]);
  });

  it("send returns bytes, -1 under backpressure (then drain), 0 over the limit or closed", () => {
    const { link, log, session } = setup({ backpressureLimit: 300 }, 100);
    session.start(new Uint8Array(0));
    expect(session.sendText("a".repeat(50))).toBe(50);
    expect(session.sendBinary(new Uint8Array(200))).toBe(-1);
    expect(session.bufferedAmount).toBe(52 + 204);
    expect(session.sendBinary(new Uint8Array(100))).toBe(-1);
    // 358 bytes queued, over the limit of 300: dropped.
    expect(session.sendBinary(new Uint8Array(1))).toBe(0);
    link.flush();
    session.drained();
    expect(session.bufferedAmount).toBe(0);
    expect(log).toEqual(["open", "drain"]);
    expect(session.sendText("ok")).toBe(2);
  });

  it("does not drop while the socket still takes bytes, however many await their flush", () => {
    const { session } = setup({ backpressureLimit: 100 });
    session.start(new Uint8Array(0));
    expect(session.sendBinary(new Uint8Array(200))).toBe(200);
    expect(session.sendBinary(new Uint8Array(200))).toBe(200);
    expect(session.bufferedAmount).toBe(408);
  });

  it("closes with 1008 over the backpressure limit when told to", () => {
    const { link, session } = setup({ backpressureLimit: 10, closeOnBackpressureLimit: true }, 0);
    session.start(new Uint8Array(0));
    session.sendBinary(new Uint8Array(20));
    expect(session.sendBinary(new Uint8Array(1))).toBe(0);
    expect(closeOf(link.frames().at(-1)!).code).toBe(1008);
  });

  it("pings a quiet client at half the idle timeout and closes it at the whole (1001)", () => {
    const { clock, link, session } = setup({ idleTimeoutMs: 1000 });
    session.start(new Uint8Array(0));
    clock.advance(499);
    expect(link.frames()).toEqual([]);
    clock.advance(1);
    expect(link.frames().map((f) => f.opcode)).toEqual([0x9]);
    // A pong is input: the connection lives on.
    session.feed(clientFrame(0xa, ""));
    clock.advance(999);
    expect(link.frames().map((f) => f.opcode)).toEqual([0x9, 0x9]);
    clock.advance(500);
    const frames = link.frames();
    expect(frames.map((f) => f.opcode)).toEqual([0x9, 0x9, 0x8]);
    expect(closeOf(frames[2]!)).toEqual({ code: 1001, reason: "idle timeout" });
  });

  it("without sendPings, only closes at the idle timeout", () => {
    const { clock, link, session } = setup({ idleTimeoutMs: 1000, sendPings: false });
    session.start(new Uint8Array(0));
    clock.advance(999);
    expect(link.frames()).toEqual([]);
    clock.advance(1);
    expect(link.frames().map((f) => f.opcode)).toEqual([0x8]);
  });

  it("half-close or the socket gone: 1006 once; a throwing handler is logged and the session goes on", () => {
    const { log, session, errors } = setup();
    session.start(new Uint8Array(0));
    session.inputEnded();
    session.gone();
    expect(log).toEqual(["open", "close:1006:"]);

    const clock = new FakeClock();
    const link = new FakeLink();
    const logged: string[] = [];
    const s = new WebSocketSession(link, clock, WEBSOCKET_DEFAULTS, () => ({
      open() {},
      message() {
        throw new Error("boom");
      },
      ping() {},
      pong() {},
      drain() {},
      close() {},
    }), (e) => logged.push(e));
    s.start(concat([clientFrame(0x1, "a"), clientFrame(0x1, "b")]));
    expect(logged.length).toBe(2);
    expect(s.readyState).toBe(1);
    expect(errors).toEqual([]);
  });

  it("counts messages in and out", () => {
    const { link, session } = setup();
    session.start(clientFrame(0x1, "héllo"));
    session.sendBinary(new Uint8Array(3));
    expect(link.counts).toEqual([["in", 6], ["out", 3]]);
  });
});
