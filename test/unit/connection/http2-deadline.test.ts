import { describe, expect, it } from "vitest";
import type { Handler, RequestContext } from "../../../src/app.ts";
import type { Exchange } from "../../../src/connection/observer.ts";
import type { HttpResponse, PullRead } from "../../../src/http/response.ts";
import { ERROR_CODE, text } from "../../support/h2-test-client.ts";
import { connectH2 } from "./http2-harness.ts";

const LIMIT = 5_000;

/** An app's answer the test gives when it wants (or never). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A pulled body whose reads the test answers one by one; it counts cancels. */
function pulled(): { response: HttpResponse; reads: Array<(read: PullRead) => void>; cancelled: () => number } {
  const reads: Array<(read: PullRead) => void> = [];
  let cancels = 0;
  const response: HttpResponse = {
    status: 200,
    headers: [["Content-Type", "text/plain"]],
    body: {
      kind: "pull",
      length: null,
      read: () => new Promise<PullRead>((resolve) => reads.push(resolve)),
      cancel: () => void cancels++,
    },
  };
  return { response, reads, cancelled: () => cancels };
}

const piece = (s: string): PullRead => ({ kind: "data", bytes: new TextEncoder().encode(s) });

/** /slow asks `answer`; every other path goes to the site (its /time answers at once). */
function withSlow(answer: (context: RequestContext) => Promise<HttpResponse>): (router: Handler) => Handler {
  return (router) => (head, context) => (head.target === "/slow" ? answer(context) : router(head, context));
}

describe("HTTP/2 streams: the response deadline (--response-timeout)", () => {
  it("an app that never answers gets a 503 with Retry-After at the deadline, its signal aborted, a log line", async () => {
    let aborted = 0;
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT },
      handle: withSlow((context) => {
        context.onGone(() => aborted++);
        return new Promise(() => {});
      }),
    });
    const id = h.get("/slow");
    await h.settle();
    h.clock.advance(LIMIT - 1);
    h.pump();
    expect(h.response(id).status).toBeNull();
    expect(aborted).toBe(0);
    h.clock.advance(1);
    h.pump();
    const response = h.response(id);
    expect([response.status, response.ended, aborted]).toEqual([503, true, 1]);
    expect(response.headers).toContainEqual(["retry-after", "1"]);
    expect(text(response.body)).toContain("503 Service Unavailable");
    expect(h.errors).toEqual(["sundial: 503 for GET /slow: the app did not answer within --response-timeout"]);
  });

  it("the deadline is per stream: the connection's other streams are answered and stay open", async () => {
    const h = connectH2({ limits: { responseTimeoutMs: LIMIT }, handle: withSlow(() => new Promise(() => {})) });
    const slow = h.get("/slow");
    h.clock.advance(LIMIT / 2);
    const late = h.get("/slow");
    const time = h.get("/time");
    await h.settle();
    expect(h.response(time).status).toBe(200);
    h.clock.advance(LIMIT / 2);
    h.pump();
    expect([h.response(slow).status, h.response(late).status]).toEqual([503, null]);
    h.clock.advance(LIMIT / 2);
    h.pump();
    expect(h.response(late).status).toBe(503);
    expect(h.conn.ended || h.conn.destroyed).toBe(false);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("a late answer is dropped: its pulled body is cancelled and nothing more goes out on the stream", async () => {
    const answer = deferred<HttpResponse>();
    const h = connectH2({ limits: { responseTimeoutMs: LIMIT }, handle: withSlow(() => answer.promise) });
    const id = h.get("/slow");
    h.clock.advance(LIMIT);
    h.pump();
    const frames = h.client.frames.length;
    const late = pulled();
    answer.resolve(late.response);
    await h.settle();
    expect(late.cancelled()).toBe(1);
    expect(late.reads).toHaveLength(0);
    expect(h.response(id).status).toBe(503);
    expect(h.client.frames.slice(frames).filter((f) => "streamId" in f && f.streamId === id)).toEqual([]);
  });

  it("an app that answers in time is not stood in for, and the deadline leaves no timer behind", async () => {
    const answer = deferred<HttpResponse>();
    const h = connectH2({ limits: { responseTimeoutMs: LIMIT }, handle: withSlow(() => answer.promise) });
    const timersBefore = h.clock.pendingTimers;
    const id = h.get("/slow");
    h.clock.advance(LIMIT - 1);
    answer.resolve({ status: 200, headers: [], body: new TextEncoder().encode("in time\n") });
    await h.settle();
    expect(h.clock.pendingTimers).toBe(timersBefore);
    h.clock.advance(LIMIT);
    h.pump();
    expect([h.response(id).status, text(h.response(id).body)]).toEqual([200, "in time\n"]);
    expect(h.errors).toEqual([]);
  });

  it("a stream the client resets before the deadline: no 503, its signal aborted once, no timer left", async () => {
    let aborted = 0;
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT },
      handle: withSlow((context) => {
        context.onGone(() => aborted++);
        return new Promise(() => {});
      }),
    });
    const timersBefore = h.clock.pendingTimers;
    const id = h.get("/slow");
    await h.settle();
    h.client.rst(id);
    h.pump();
    expect(aborted).toBe(1);
    expect(h.clock.pendingTimers).toBe(timersBefore);
    h.clock.advance(LIMIT);
    h.pump();
    expect([h.response(id).status, aborted]).toEqual([null, 1]);
    expect(h.errors).toEqual([]);
  });

  it("0 turns it off: an app may take as long as it likes", async () => {
    const answer = deferred<HttpResponse>();
    const h = connectH2({ limits: { responseTimeoutMs: 0 }, handle: withSlow(() => answer.promise) });
    const id = h.get("/slow");
    h.clock.advance(3_600_000);
    answer.resolve({ status: 204, headers: [], body: null });
    await h.settle();
    expect(h.response(id).status).toBe(204);
  });

  it("a handler that rejects is a 500 and a log line, as on HTTP/1.1", async () => {
    const h = connectH2({ handle: withSlow(() => Promise.reject(new Error("boom"))) });
    const id = h.get("/slow");
    await h.settle();
    expect(h.response(id).status).toBe(500);
    expect(h.errors[0]).toMatch(/^sundial: 500 for GET \/slow: Error: boom/);
  });

  it("the stand-in is what the log and metrics see: status 503, the error page's bytes", async () => {
    const exchanges: Exchange[] = [];
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT },
      handle: withSlow(() => new Promise(() => {})),
      observer: { exchange: (e) => void exchanges.push(e) },
    });
    const id = h.get("/slow");
    h.clock.advance(LIMIT);
    h.pump();
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ status: 503, bodyBytes: h.response(id).body.length, connectionRequests: 1 });
    expect(exchanges[0]!.endedMs - exchanges[0]!.startedMs).toBe(LIMIT);
  });
});

describe("HTTP/2 streams: the response deadline on a pulled body", () => {
  it("a producer that stalls past it between pieces: the stream is reset, the producer cancelled, its signal aborted", async () => {
    const body = pulled();
    let aborted = 0;
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT },
      handle: withSlow((context) => {
        context.onGone(() => aborted++);
        return Promise.resolve(body.response);
      }),
    });
    const id = h.get("/slow");
    await h.settle();
    body.reads.shift()!(piece("first "));
    await h.settle();
    expect(text(h.response(id).body)).toBe("first ");
    h.clock.advance(LIMIT - 1);
    h.pump();
    expect(h.response(id).reset).toBeNull();
    h.clock.advance(1);
    await h.settle();
    expect(h.response(id).reset).toBe(ERROR_CODE.INTERNAL_ERROR);
    expect([body.cancelled(), aborted]).toEqual([1, 1]);
    expect(h.errors.join("\n")).toContain("GET /slow: the streamed response stalled past --response-timeout");
    expect(h.client.serverGoaway).toBeNull();
  });

  it("a producer that keeps giving pieces within it is never cut, however long the whole body takes", async () => {
    const body = pulled();
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT },
      handle: withSlow(() => Promise.resolve(body.response)),
    });
    const id = h.get("/slow");
    await h.settle();
    for (let i = 0; i < 10; i++) {
      h.clock.advance(LIMIT - 1);
      body.reads.shift()!(piece(`${i}`));
      await h.settle();
    }
    body.reads.shift()!({ kind: "end" });
    await h.settle();
    expect([h.response(id).ended, h.response(id).reset, text(h.response(id).body)]).toEqual([true, null, "0123456789"]);
  });
});

describe("HTTP/2 streams: the response deadline waits while the app reads the client's body", () => {
  it("a body that comes slowly, read by the app, does not make its answer late", async () => {
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT, bodyTimeoutMs: LIMIT * 3 },
      readsBodies: true,
      handle: withSlow(async (context) => {
        let n = 0;
        for (;;) {
          const read = await context.body!.read();
          if (read.kind !== "data") break;
          n += read.bytes.length;
        }
        return { status: 200, headers: [], body: new TextEncoder().encode(`read ${n}\n`) };
      }),
    });
    h.client.request(1, { method: "POST", path: "/slow", scheme: "http", endStream: false });
    h.pump();
    for (let i = 0; i < 4; i++) {
      h.clock.advance(LIMIT * 2);
      h.client.data(1, "abc");
      h.pump();
      await h.settle();
    }
    h.clock.advance(LIMIT * 2);
    h.client.data(1, "", { endStream: true });
    await h.settle();
    expect([h.response(1).status, text(h.response(1).body)]).toEqual([200, "read 12\n"]);
  });

  it("an app that stops reading and does not answer is stood in for at the deadline after its last read", async () => {
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT, bodyTimeoutMs: LIMIT * 4 },
      readsBodies: true,
      handle: withSlow(async (context) => {
        await context.body!.read();
        return new Promise(() => {});
      }),
    });
    h.client.request(1, { method: "POST", path: "/slow", scheme: "http", endStream: false });
    h.pump();
    h.clock.advance(LIMIT * 3);
    h.client.data(1, "abc");
    await h.settle();
    expect(h.response(1).status).toBeNull();
    h.clock.advance(LIMIT);
    await h.settle();
    expect(h.response(1).status).toBe(503);
  });
});

describe("HTTP/2 streams: a request body that stops coming (--body-timeout between its pieces)", () => {
  it("the app's waiting read fails with 408, the client gets a 408 in its place, its signal aborts", async () => {
    const BODY = 3_000;
    let aborted = 0;
    let readFailure: unknown = null;
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT * 10, bodyTimeoutMs: BODY },
      readsBodies: true,
      handle: withSlow(async (context) => {
        context.onGone(() => aborted++);
        for (;;) {
          const read = await context.body!.read();
          if (read.kind === "failed") {
            readFailure = read.error;
            return new Promise(() => {});
          }
          if (read.kind === "end") return { status: 200, headers: [], body: null };
        }
      }),
    });
    h.client.request(1, { method: "POST", path: "/slow", scheme: "http", endStream: false });
    h.client.data(1, "abc");
    await h.settle();
    h.clock.advance(BODY - 1);
    await h.settle();
    expect(h.response(1).status).toBeNull();
    h.clock.advance(1);
    await h.settle();
    expect(readFailure).toMatchObject({ status: 408 });
    expect([h.response(1).status, aborted]).toEqual([408, 1]);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("a body that keeps coming within it is read whole, however long it takes in all", async () => {
    const BODY = 3_000;
    const h = connectH2({
      limits: { responseTimeoutMs: LIMIT, bodyTimeoutMs: BODY },
      readsBodies: true,
      handle: withSlow(async (context) => {
        let n = 0;
        for (let read = await context.body!.read(); read.kind === "data"; read = await context.body!.read()) {
          n += read.bytes.length;
        }
        return { status: 200, headers: [], body: new TextEncoder().encode(`read ${n}\n`) };
      }),
    });
    h.client.request(1, { method: "POST", path: "/slow", scheme: "http", endStream: false });
    for (let i = 0; i < 10; i++) {
      h.clock.advance(BODY - 1);
      h.client.data(1, "ab");
      await h.settle();
    }
    h.client.data(1, "", { endStream: true });
    await h.settle();
    expect([h.response(1).status, text(h.response(1).body)]).toEqual([200, "read 20\n"]);
  });
});
