import { describe, expect, it } from "vitest";
import { ERROR_CODE, text } from "../../../support/h2-test-client.ts";
import { harness } from "../session-harness.ts";

const POST: Array<[string, string]> = [[":method", "POST"], [":scheme", "https"], [":authority", "a"], [
  ":path",
  "/up",
]];

describe("requests (RFC 9113 §8.1, §8.3)", () => {
  it("gives the app a head with cookies joined and fields filled", () => {
    const h = harness();
    h.connect();
    h.client.request(1, {
      method: "GET",
      path: "/p",
      authority: "example.com:8443",
      headers: [["cookie", "a=1"], ["accept-encoding", "gzip"], ["cookie", "b=2"]],
    });
    h.pump();
    const head = h.requests[0]!.head;
    expect(head.host).toBe("example.com:8443");
    expect(head.fields.host).toBe("example.com:8443");
    expect(head.fields["accept-encoding"]).toBe("gzip");
    expect(head.headers).toEqual([["cookie", "a=1; b=2"], ["accept-encoding", "gzip"]]);
  });

  it("resets a malformed request with PROTOCOL_ERROR and never runs the app (§8.1.1)", () => {
    const h = harness();
    h.connect();
    h.client.request(1, { headers: [["connection", "keep-alive"]] });
    h.client.request(3, { headers: [["te", "gzip"]] });
    h.client.headers(5, [[":method", "GET"], [":path", "/"]]);
    h.pump();
    expect(h.client.resets()).toEqual(
      new Map([[1, ERROR_CODE.PROTOCOL_ERROR], [3, ERROR_CODE.PROTOCOL_ERROR], [5, ERROR_CODE.PROTOCOL_ERROR]]),
    );
    expect(h.requests).toHaveLength(0);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("answers CONNECT through the connection's refusal: 501 (§8.5)", () => {
    const h = harness();
    h.connect();
    h.client.headers(1, [[":method", "CONNECT"], [":authority", "example.com:443"]], { endStream: false });
    h.pump();
    expect(h.refusals.map(([s, status]) => [s.id, status, s.head.method])).toEqual([[1, 501, "CONNECT"]]);
    expect(h.requests).toHaveLength(0);
    expect(h.client.response(1).status).toBe(501);
    // The tunnel's DATA the client sends meanwhile is discarded; after the response the stream is reset NO_ERROR (§8.1).
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.NO_ERROR);
  });

  it("answers 431 to a field list over 100 fields, with HPACK still in step (§10.5.1)", () => {
    const h = harness({ app: (s) => s.respond({ status: 204, headers: [], body: null }, [], false) });
    h.connect();
    const many: Array<[string, string]> = Array.from({ length: 101 }, (_, i) => [`x-f${i}`, "v"]);
    h.client.request(1, { headers: many });
    h.client.request(3, { headers: [["x-f7", "v"]] });
    h.pump();
    expect(h.refusals.map(([s, status]) => [s.id, status, s.head.method])).toEqual([[1, 431, ""]]);
    expect(h.client.response(1).status).toBe(431);
    expect(h.client.response(3).status).toBe(204);
    expect(h.requests[0]!.head.headers).toEqual([["x-f7", "v"]]);
  });

  it("answers 431 to a field list over 64 KiB counted with 32 per field (a header list bomb)", () => {
    const h = harness();
    h.connect();
    // Each repeat of an indexed field is one byte on the wire and 32 + 4000 + 6 bytes of list.
    const big = "v".repeat(4000);
    h.client.request(1, { headers: Array.from({ length: 17 }, () => ["x-bomb", big] as [string, string]) });
    h.pump();
    expect(h.refusals.map(([, status]) => status)).toEqual([431]);
    expect(h.client.serverGoaway).toBeNull();
  });
});

describe("request bodies (§8.1, §6.9)", () => {
  it("hands the body over as read, and gives each read back to the peer's windows", async () => {
    const h = harness({ options: { initialWindowSize: 65535, connectionWindowSize: 65535 } });
    h.connect();
    h.client.headers(1, [...POST, ["content-length", "70000"]], { endStream: false });
    const chunk = new Uint8Array(16384).fill(1);
    for (let i = 0; i < 3; i++) h.client.data(1, chunk);
    h.client.data(1, new Uint8Array(65535 - 3 * 16384).fill(1));
    h.pump();
    const body = h.requests[0]!.body!;
    expect(body.length).toBe(70000);
    // The windows are spent: no update until the app reads.
    expect(h.client.framesOf("WINDOW_UPDATE").filter((f) => f.streamId === 1)).toHaveLength(0);
    let got = 0;
    for (let i = 0; i < 4; i++) {
      const read = await body.read();
      if (read.kind === "data") got += read.bytes.length;
    }
    h.pump();
    expect(got).toBe(65535);
    // Credit goes back by quarters of the window: three reads of 16,384 each earned theirs.
    const updates = h.client.framesOf("WINDOW_UPDATE");
    const credited = (id: number) => updates.filter((f) => f.streamId === id).reduce((n, f) => n + f.increment, 0);
    expect(credited(1)).toBe(3 * 16384);
    expect(credited(0)).toBe(3 * 16384);
    h.client.body(1, new Uint8Array(70000 - 65535).fill(2), true);
    h.pump();
    const last = await body.read();
    expect(last.kind === "data" && last.bytes.length).toBe(70000 - 65535);
    expect(await body.read()).toEqual({ kind: "end" });
  });

  it("copies into the reader's buffer, a piece at a time", async () => {
    const h = harness();
    h.connect();
    h.client.request(1, { method: "POST", body: "abcdefghij" });
    h.pump();
    const body = h.requests[0]!.body!;
    const into = new Uint8Array(4);
    const parts: string[] = [];
    for (let read = await body.read(into); read.kind === "data"; read = await body.read(into)) {
      parts.push(text(read.bytes));
    }
    expect(parts).toEqual(["abcd", "efgh", "ij"]);
  });

  it("waits for DATA that has not come yet", async () => {
    const h = harness();
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.pump();
    const pending = h.requests[0]!.body!.read();
    h.client.data(1, "late", { endStream: true });
    h.pump();
    const read = await pending;
    expect(read.kind === "data" && text(read.bytes)).toBe("late");
  });

  it("credits padding back without waiting for a read (§6.9.1)", () => {
    const h = harness({ options: { initialWindowSize: 65535, connectionWindowSize: 65535 } });
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    // 100 frames of one byte and 255 of padding: 25,600 bytes of window, a quarter's worth and more.
    for (let i = 0; i < 100; i++) h.client.data(1, "x", { padding: 255 });
    h.pump();
    const updates = h.client.framesOf("WINDOW_UPDATE");
    const credited = (id: number) => updates.filter((f) => f.streamId === id).reduce((n, f) => n + f.increment, 0);
    expect(credited(1)).toBeGreaterThanOrEqual(16384);
    expect(credited(1)).toBeLessThanOrEqual(100 * 255);
    expect(credited(0)).toBe(credited(1));
    expect(h.client.resets().size).toBe(0);
  });

  it.each([
    ["more DATA than its content-length", "5", ["123456"]],
    ["less DATA than its content-length", "5", ["1234"]],
  ])("resets a request with %s (§8.1.1: PROTOCOL_ERROR)", async (_name, length, pieces) => {
    const h = harness();
    h.connect();
    h.client.headers(1, [...POST, ["content-length", length]], { endStream: false });
    for (const piece of pieces) h.client.data(1, piece, { endStream: true });
    h.pump();
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.PROTOCOL_ERROR);
    const read = await h.requests[0]!.body!.read();
    expect(read).toEqual({ kind: "failed", error: null });
  });

  it("fails the read with 413 past maxBodyBytes, declared or not", async () => {
    const h = harness({ options: { maxBodyBytes: 10 } });
    h.connect();
    h.client.headers(1, [...POST, ["content-length", "11"]], { endStream: false });
    h.client.headers(3, POST, { endStream: false });
    h.client.data(3, "0123456789");
    h.client.data(3, "a");
    h.pump();
    for (const stream of h.requests) {
      const read = await stream.body!.read();
      expect(read.kind === "failed" && read.error?.status).toBe(413);
    }
    expect(h.client.resets().size).toBe(0);
  });

  it("discards a cancelled body, crediting only the connection", async () => {
    const h = harness({ options: { initialWindowSize: 65535, connectionWindowSize: 65535 } });
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.client.body(1, new Uint8Array(40000));
    h.pump();
    h.requests[0]!.body!.cancel();
    h.client.body(1, new Uint8Array(20000));
    h.pump();
    const updates = h.client.framesOf("WINDOW_UPDATE").filter((f) => f.increment < 1 << 20);
    expect(updates.filter((f) => f.streamId === 1)).toHaveLength(0);
    // The 40,000 queued at the cancel at once; of the 20,000 after it, frame by frame, the first quarter's worth.
    expect(updates.filter((f) => f.streamId === 0).reduce((n, f) => n + f.increment, 0)).toBe(40000 + 16384);
  });

  it("refuses DATA over the stream's window (FLOW_CONTROL_ERROR on the stream)", () => {
    const h = harness({ options: { initialWindowSize: 65535, connectionWindowSize: 1 << 20 } });
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    for (let i = 0; i < 4; i++) h.client.data(1, new Uint8Array(16384));
    h.pump();
    expect(h.client.resets().get(1)).toBe(ERROR_CODE.FLOW_CONTROL_ERROR);
    expect(h.client.serverGoaway).toBeNull();
  });

  it("refuses DATA over the connection's window (FLOW_CONTROL_ERROR on the connection)", () => {
    const h = harness({ options: { initialWindowSize: 1 << 20, connectionWindowSize: 65535 } });
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    for (let i = 0; i < 4; i++) h.client.data(1, new Uint8Array(16384));
    h.pump();
    expect(h.client.serverGoaway?.errorCode).toBe(ERROR_CODE.FLOW_CONTROL_ERROR);
  });

  it("fails a waiting read and calls onGone when the peer resets the stream", async () => {
    const h = harness();
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.pump();
    const stream = h.requests[0]!;
    const gone: string[] = [];
    stream.onGone(() => gone.push("gone"));
    const pending = stream.body!.read();
    h.client.rst(1, "CANCEL");
    h.pump();
    expect(await pending).toEqual({ kind: "failed", error: null });
    expect(gone).toEqual(["gone"]);
    stream.onGone(() => gone.push("late"));
    expect(gone).toEqual(["gone", "late"]);
  });
});

describe("credit while the link is full", () => {
  it("adds WINDOW_UPDATE increments up while they wait: one frame per stream", async () => {
    const h = harness({ highWaterMark: 0, options: { initialWindowSize: 65535, connectionWindowSize: 65535 } });
    h.connect();
    h.client.headers(1, POST, { endStream: false });
    h.client.body(1, new Uint8Array(65535));
    h.pump();
    h.reading = false;
    h.client.ping(); // its ACK fills the link
    h.pump();
    const body = h.requests[0]!.body!;
    const into = new Uint8Array(1000);
    let got = 0;
    while (got < 65535) {
      const read = await body.read(into);
      if (read.kind !== "data") break;
      got += read.bytes.length;
    }
    const before = h.client.framesOf("WINDOW_UPDATE").length;
    h.reading = true;
    h.pump();
    const updates = h.client.framesOf("WINDOW_UPDATE").slice(before);
    expect(updates.map((f) => f.streamId).sort()).toEqual([0, 1]);
    // Under a quarter of the window may stay owed (the peer still has three quarters).
    expect(updates[0]!.increment).toBe(updates[1]!.increment);
    expect(updates[0]!.increment).toBeGreaterThan(65535 * 3 / 4);
  });
});
