import { describe, expect, it } from "vitest";
import type { FileBody, HttpResponse, PullBody, PullRead, StreamSink } from "../../../../src/http/response.ts";
import { FakeFileSystem } from "../../../support/fake-file-system.ts";
import { ERROR_CODE, SETTING, text } from "../../../support/h2-test-client.ts";
import { type Harness, harness } from "../session-harness.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** A session whose peer opened its windows wide, answering each request with respond(stream). */
function wide(respond: (id: number) => HttpResponse, isHead = false): Harness {
  const h = harness({ app: (s) => s.respond(respond(s.id), [["date", "d"]], isHead) });
  h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 2 ** 31 - 1 }]);
  h.client.windowUpdate(0, 2 ** 31 - 1 - 65535);
  h.pump();
  return h;
}

/**
 * Requests on a wide-open session whose link takes one write at a time (write() says false each
 * time, the client reads at each pump): the responses are all given while the link is full, so
 * what goes out after shows the scheduler's order.
 */
function blockedWide(respond: (id: number) => HttpResponse, ids: number[]): Harness {
  const h = harness({ highWaterMark: 0 });
  h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 2 ** 31 - 1 }]);
  h.client.windowUpdate(0, 2 ** 31 - 1 - 65535);
  for (const id of ids) h.client.request(id);
  h.pump();
  h.reading = false;
  h.client.ping(); // its ACK fills the link
  h.pump();
  for (const stream of h.requests) stream.respond(respond(stream.id), [], false);
  h.reading = true;
  h.pump();
  return h;
}

function file(fs: FakeFileSystem, path: string, start: number, end: number): FileBody {
  return { kind: "file", open: () => fs.open(path), start, end };
}

/** A pulled body giving the pieces, then the end (or a failure). */
function pulled(pieces: Uint8Array[], length: number | null, fail?: string): PullBody & { cancelled: boolean } {
  const queue = [...pieces];
  const body = {
    kind: "pull" as const,
    length,
    cancelled: false,
    read: async (): Promise<PullRead> => {
      await Promise.resolve();
      const next = queue.shift();
      if (next !== undefined) return { kind: "data", bytes: next };
      return fail === undefined ? { kind: "end" } : { kind: "failed", error: new Error(fail) };
    },
    cancel: () => (body.cancelled = true),
  };
  return body;
}

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
    expect(response.body).toEqual(body);
    expect(h.client.framesOf("DATA").filter((f) => f.endStream)).toHaveLength(1);
  });

  it("streams a file range, a buffer at a time, and closes the file", async () => {
    const content = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    const fs = new FakeFileSystem({ "/f": content }, 8192);
    const h = wide(() => ({ status: 206, headers: [], body: file(fs, "/f", 1000, 150_000) }));
    h.client.request(1);
    await h.settle(200);
    const response = h.client.response(1);
    expect(response.status).toBe(206);
    expect(response.headers).toContainEqual(["content-length", "149000"]);
    expect(response.body).toEqual(content.subarray(1000, 150_000));
    expect(response.ended).toBe(true);
    expect(fs.openReaders).toBe(0);
  });

  it("sends parts in order: bytes and file ranges (multipart/byteranges)", async () => {
    const fs = new FakeFileSystem({ "/f": "0123456789abcdefghij" });
    const pieces = [
      bytes("--a\r\n"),
      file(fs, "/f", 2, 5),
      bytes("\r\n--a\r\n"),
      file(fs, "/f", 10, 20),
      bytes("--a--"),
    ];
    const h = wide(() => ({ status: 206, headers: [], body: { kind: "parts", pieces, length: 5 + 3 + 7 + 10 + 5 } }));
    h.client.request(1);
    await h.settle();
    expect(text(h.client.response(1).body)).toBe("--a\r\n234\r\n--a\r\nabcdefghij--a--");
    expect(h.client.response(1).ended).toBe(true);
    expect(fs.openReaders).toBe(0);
  });

  it("resets the stream (INTERNAL_ERROR) when the file is gone or shorter than its range", async () => {
    const fs = new FakeFileSystem({ "/f": "short" });
    const h = wide((id) => ({ status: 200, headers: [], body: file(fs, id === 1 ? "/missing" : "/f", 0, 100) }));
    h.client.request(1);
    h.client.request(3);
    await h.settle();
    expect(h.client.resets()).toEqual(new Map([[1, ERROR_CODE.INTERNAL_ERROR], [3, ERROR_CODE.INTERNAL_ERROR]]));
    expect(text(h.client.response(3).body)).toBe("short");
    expect(fs.openReaders).toBe(0);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("pulls a body piece by piece, with or without a length", async () => {
    const h = wide((id) => ({
      status: 200,
      headers: [],
      body: pulled([bytes("ab"), new Uint8Array(0), bytes("cd")], id === 1 ? 4 : null),
    }));
    h.client.request(1);
    h.client.request(3);
    await h.settle();
    for (const id of [1, 3]) {
      expect(text(h.client.response(id).body)).toBe("abcd");
      expect(h.client.response(id).ended).toBe(true);
    }
    expect(h.client.response(1).headers).toContainEqual(["content-length", "4"]);
    expect(h.client.response(3).headers.some(([n]) => n === "content-length")).toBe(false);
  });

  it.each([
    ["longer than its length", pulled([bytes("abc")], 2)],
    ["shorter than its length", pulled([bytes("a")], 2)],
    ["failing", pulled([bytes("a")], null, "boom")],
  ])("resets a pulled body %s (INTERNAL_ERROR), and logs why", async (_name, body) => {
    const h = wide(() => ({ status: 200, headers: [], body }));
    h.client.request(1);
    await h.settle();
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.INTERNAL_ERROR);
    expect(h.client.response(1).ended).toBe(false);
    expect(h.logs.some((l) => l.includes("stream 1 reset"))).toBe(true);
  });

  it("streams an event stream until it ends; past its queue, pieces are dropped", async () => {
    let sink: StreamSink | null = null;
    let stopped = false;
    const h = harness({
      options: { maxStreamBodyQueue: 10 },
      app: (s) =>
        s.respond(
          {
            status: 200,
            headers: [],
            body: {
              kind: "stream",
              start: (given) => {
                sink = given;
                return () => (stopped = true);
              },
            },
          },
          [],
          false,
        ),
    });
    h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 0 }]);
    h.client.request(1);
    h.pump();
    expect(sink!.write(bytes("data: 1\n\n"))).toBe(true);
    expect(sink!.write(bytes("data: 2\n\n"))).toBe(false);
    h.client.windowUpdate(1, 1000);
    h.pump();
    expect(sink!.write(bytes("data: 3\n\n"))).toBe(true);
    h.pump();
    sink!.end();
    h.pump();
    expect(text(h.client.response(1).body)).toBe("data: 1\n\ndata: 3\n\n");
    expect(h.client.response(1).ended).toBe(true);
    expect(stopped).toBe(true);
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

describe("a response's producer stops when its stream goes", () => {
  it("closes a file whose read is on its way when the peer resets the stream", async () => {
    const fs = new FakeFileSystem({ "/f": new Uint8Array(100_000) });
    const h = wide(() => ({ status: 200, headers: [], body: file(fs, "/f", 0, 100_000) }));
    const release = fs.holdReads();
    h.client.request(1);
    await h.settle(3);
    expect(fs.openReaders).toBe(1);
    h.client.rst(1);
    h.pump();
    release();
    await h.settle(3);
    expect(fs.openReaders).toBe(0);
    expect(h.client.response(1).body.length).toBe(0);
  });

  it("cancels a pulled body and stops an event stream when the peer resets their streams", async () => {
    const body = pulled([bytes("a")], null);
    body.read = () => new Promise(() => {});
    let stopped = false;
    const h = wide((id) => ({
      status: 200,
      headers: [],
      body: id === 1 ? body : { kind: "stream", start: () => () => (stopped = true) },
    }));
    h.client.request(1);
    h.client.request(3);
    h.pump();
    h.client.rst(1);
    h.client.rst(3);
    h.pump();
    expect(body.cancelled).toBe(true);
    expect(stopped).toBe(true);
  });
});
