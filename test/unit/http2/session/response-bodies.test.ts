import { describe, expect, it } from "vitest";
import type { StreamSink } from "../../../../src/http/response.ts";
import { FakeFileSystem } from "../../../support/fake-file-system.ts";
import { ERROR_CODE, SETTING, text } from "../../../support/h2-test-client.ts";
import { bytes, file, pulled, wide } from "../responding.ts";
import { harness, sameBytes } from "../session-harness.ts";

describe("response bodies of every kind (§6.1)", () => {
  it("streams a file range, a buffer at a time, and closes the file", async () => {
    const content = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    const fs = new FakeFileSystem({ "/f": content }, 8192);
    const h = wide(() => ({ status: 206, headers: [], body: file(fs, "/f", 1000, 150_000) }));
    h.client.request(1);
    await h.settle(200);
    const response = h.client.response(1);
    expect(response.status).toBe(206);
    expect(response.headers).toContainEqual(["content-length", "149000"]);
    expect(sameBytes(response.body, content.subarray(1000, 150_000))).toBe(true);
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
