import { describe, expect, it } from "vitest";
import { HIGH_WATER_MARK, WriteQueue, type WriteSink } from "../../../src/ports/write-queue.ts";

/** A sync sink (as Bun's socket.write) that takes at most `room` bytes per call. */
function syncSink(room: number) {
  const taken: number[] = [];
  const sink = {
    room,
    ended: 0,
    taken,
    write: (b: Uint8Array) => {
      const n = Math.min(b.length, sink.room);
      if (n > 0) taken.push(n);
      return n;
    },
    end: () => void sink.ended++,
    fail: () => {},
  };
  return sink;
}

describe("WriteQueue", () => {
  it("writes what the runtime takes at once and keeps the rest for flush()", () => {
    const sink = syncSink(10);
    const q = new WriteQueue(sink);
    const flushed: string[] = [];
    expect(q.write(new Uint8Array(25), () => flushed.push("a"))).toBe(true);
    expect(q.write(new Uint8Array(5), () => flushed.push("b"))).toBe(true);
    expect(sink.taken).toEqual([10]);
    q.flush();
    expect(sink.taken).toEqual([10, 10]);
    expect(flushed).toEqual([]);
    sink.room = 100;
    q.flush();
    expect(sink.taken).toEqual([10, 10, 5, 5]);
    expect(flushed).toEqual(["a", "b"]);
  });

  it("runs onFlushed at once for a chunk taken whole", () => {
    const q = new WriteQueue(syncSink(100));
    let flushed = false;
    q.write(new Uint8Array(50), () => (flushed = true));
    expect(flushed).toBe(true);
  });

  it("reports backpressure over the high-water mark and drains once below it", () => {
    const sink = syncSink(0);
    const q = new WriteQueue(sink);
    let drains = 0;
    q.onDrain(() => drains++);
    expect(q.write(new Uint8Array(HIGH_WATER_MARK - 1))).toBe(true);
    expect(q.write(new Uint8Array(2))).toBe(false);
    sink.room = 1;
    q.flush();
    expect(drains).toBe(0);
    sink.room = 2;
    q.flush();
    expect(drains).toBe(1);
    sink.room = 1e9;
    q.flush();
    expect(drains).toBe(1);
  });

  it("ends only after everything is written, and refuses writes after end()", () => {
    const sink = syncSink(0);
    const q = new WriteQueue(sink);
    q.write(new Uint8Array(10));
    q.end();
    expect(sink.ended).toBe(0);
    expect(q.write(new Uint8Array(1))).toBe(false);
    sink.room = 100;
    q.flush();
    expect(sink.ended).toBe(1);
  });

  it("ends at once when nothing is queued", () => {
    const sink = syncSink(0);
    new WriteQueue(sink).end();
    expect(sink.ended).toBe(1);
  });

  it("close() drops the queue: nothing more is written, no onFlushed, no end", () => {
    const sink = syncSink(0);
    const q = new WriteQueue(sink);
    let flushed = false;
    q.write(new Uint8Array(10), () => (flushed = true));
    q.end();
    q.close();
    sink.room = 100;
    q.flush();
    expect(sink.taken).toEqual([]);
    expect(flushed).toBe(false);
    expect(sink.ended).toBe(0);
    expect(q.write(new Uint8Array(1))).toBe(false);
  });

  it("reports backpressure when the runtime refuses (negative)", () => {
    const q = new WriteQueue({ write: () => -1, end: () => {}, fail: () => {} });
    expect(q.write(new Uint8Array(1))).toBe(false);
  });

  it("with an async sink, writes one chunk at a time in order, and fail() on a rejection", async () => {
    const writes: number[] = [];
    const order: string[] = [];
    let failed = 0;
    let ended = 0;
    const sink: WriteSink = {
      write: (b) => {
        writes.push(b.length);
        return Promise.resolve(Math.min(b.length, 4));
      },
      end: () => void ended++,
      fail: () => void failed++,
    };
    const q = new WriteQueue(sink);
    expect(q.write(new Uint8Array(6), () => order.push("a"))).toBe(true);
    q.write(new Uint8Array(3), () => order.push("b"));
    q.end();
    expect(writes).toEqual([6]);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(writes).toEqual([6, 2, 3]);
    expect(order).toEqual(["a", "b"]);
    expect(ended).toBe(1);
    const q2 = new WriteQueue({
      write: () => Promise.reject(new Error("reset")),
      end: () => {},
      fail: () => void failed++,
    });
    q2.write(new Uint8Array(1));
    await Promise.resolve();
    await Promise.resolve();
    expect(failed).toBe(1);
  });

  it("with an async sink, counts bytes in flight against the mark (drain after they are written)", async () => {
    let release: (n: number) => void = () => {};
    const q = new WriteQueue({
      write: (b) => new Promise<number>((r) => (release = () => r(b.length))),
      end: () => {},
      fail: () => {},
    });
    let drains = 0;
    q.onDrain(() => drains++);
    expect(q.write(new Uint8Array(HIGH_WATER_MARK))).toBe(false);
    release(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(drains).toBe(1);
  });
});
