import { describe, expect, it } from "vitest";
import { HandlerPool } from "../../../src/http2/handler-pool.ts";
import type { Http2Stream } from "../../../src/http2/session.ts";
import { type Harness, harness, okText } from "./session-harness.ts";

const GET: Array<[string, string]> = [[":method", "GET"], [":scheme", "https"], [":authority", "a"], [":path", "/"]];

/** A session on the shared pool whose handlers wait to be answered by the test. */
function connection(pool: HandlerPool): Harness {
  const h = harness({ pool });
  h.connect();
  return h;
}

function ids(h: Harness): number[] {
  return h.requests.map((s) => s.id);
}

function open(h: Harness, ...streams: number[]): void {
  for (const id of streams) h.client.headers(id, GET);
  h.pump();
}

function answer(stream: Http2Stream | undefined): void {
  stream!.respond(okText("x"), [], false);
}

describe("HandlerPool: the slots the server's connections share", () => {
  it("hands slots out while free, then to waiters in the order they came, one a turn", () => {
    const pool = new HandlerPool(2);
    expect([pool.take(), pool.take(), pool.take()]).toEqual([true, true, false]);
    const got: string[] = [];
    const a = () => (got.push("a"), true);
    const b = () => (got.push("b"), true);
    pool.wait(a);
    pool.wait(b);
    pool.wait(a); // waiting already: once
    // A newcomer does not pass those waiting.
    pool.release();
    expect(got).toEqual(["a"]);
    expect(pool.take()).toBe(false);
    pool.release();
    expect(got).toEqual(["a", "b"]);
    expect(pool.inUse).toBe(2);
  });

  it("a waiter that no longer wants the slot passes it on; one that left is skipped", () => {
    const pool = new HandlerPool(1);
    expect(pool.take()).toBe(true);
    const got: string[] = [];
    const done = () => (got.push("done"), false);
    const gone = () => (got.push("gone"), true);
    const last = () => (got.push("last"), true);
    pool.wait(done);
    pool.wait(gone);
    pool.wait(last);
    pool.leave(gone);
    pool.release();
    expect(got).toEqual(["done", "last"]);
    expect(pool.inUse).toBe(1);
  });

  it("a slot given back while one is handed out (a handler that answers at once) goes on in the same loop", () => {
    const pool = new HandlerPool(1);
    expect(pool.take()).toBe(true);
    const got: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      pool.wait(() => {
        got.push(i);
        pool.release();
        return true;
      });
    }
    pool.release();
    expect(got).toHaveLength(5_000);
    expect(pool.inUse).toBe(0);
  });
});

describe("sessions on one pool (RFC 9113 §5.1.2 per connection, a bound across them)", () => {
  it("each connection runs one handler of its own; further ones take pool slots or wait", () => {
    const pool = new HandlerPool(2);
    const a = connection(pool);
    const b = connection(pool);
    open(a, 1, 3, 5, 7);
    expect(ids(a)).toEqual([1, 3, 5]);
    expect(pool.inUse).toBe(2);
    open(b, 1, 3);
    // b's first runs in its own slot; its second waits for the pool.
    expect(ids(b)).toEqual([1]);
    answer(a.requests[1]);
    // The freed slot goes to a connection waiting, in the order they came: a (7) waited first.
    expect(ids(a)).toEqual([1, 3, 5, 7]);
    expect(ids(b)).toEqual([1]);
    answer(a.requests[2]);
    expect(ids(b)).toEqual([1, 3]);
    expect(pool.inUse).toBe(2);
  });

  it("a connection's own slot, freed, is used before the pool's", () => {
    const pool = new HandlerPool(1);
    const a = connection(pool);
    open(a, 1, 3, 5);
    expect(ids(a)).toEqual([1, 3]);
    answer(a.requests[0]);
    expect(ids(a)).toEqual([1, 3, 5]);
    expect(pool.inUse).toBe(1);
    answer(a.requests[1]);
    answer(a.requests[2]);
    expect(pool.inUse).toBe(0);
  });

  it("a stream reset while its handler runs gives its slot back at once (the handler runs on, counted by its connection)", () => {
    const pool = new HandlerPool(1);
    const a = connection(pool);
    const b = connection(pool);
    open(a, 1, 3);
    open(b, 1, 3);
    expect([ids(a), ids(b), pool.inUse]).toEqual([[1, 3], [1], 1]);
    a.client.rst(3);
    a.pump();
    expect(ids(b)).toEqual([1, 3]);
    // The reset stream's handler answering later frees nothing more.
    answer(a.requests[1]);
    expect(pool.inUse).toBe(1);
  });

  it("a connection that ends gives back its slots and waits for none", () => {
    const pool = new HandlerPool(1);
    const a = connection(pool);
    const b = connection(pool);
    open(a, 1, 3, 5);
    open(b, 1, 3);
    expect(pool.inUse).toBe(1);
    a.session.gone();
    // a's pooled handler's slot went to b; a's queued request never runs.
    expect(ids(b)).toEqual([1, 3]);
    expect(ids(a)).toEqual([1, 3]);
    answer(b.requests[1]);
    expect(pool.inUse).toBe(0);
  });
});
