/**
 * The raw HTTP/2 client (test/support/h2-raw.ts) against a scripted server of our own on
 * 127.0.0.1 (a port in 47000-47999): what the conformance and attack parts rely on it to see
 * (a response across HEADERS, CONTINUATION and DATA; RST_STREAM and GOAWAY with their codes; the
 * close, seen at once; a silent server, seen at the timeout; a server breaking the frame rules),
 * and what it answers by itself (SETTINGS and PING acknowledged, windows given back).
 */
import * as net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Frame, FRAME_TYPE } from "../../src/http2/frame.ts";
import {
  encodeContinuation,
  encodeData,
  encodeFrame,
  encodeGoaway,
  encodePing,
  encodeRstStream,
} from "../../src/http2/frame-writer.ts";
import { HpackEncoder } from "../../src/http2/hpack/encoder.ts";
import { H2Client } from "../support/h2-raw.ts";
import { type Scripted, scriptedServer } from "../support/h2-scripted-server.ts";
import { until } from "../support/wait.ts";

const encoder = (): HpackEncoder => new HpackEncoder({ huffman: "never" });
let current: Scripted | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function connect(onFrame: (frame: Frame, socket: net.Socket) => void): Promise<H2Client> {
  current = await scriptedServer(onFrame);
  return H2Client.open({ host: "127.0.0.1", port: current.port, tls: false });
}

describe("the raw HTTP/2 client", () => {
  it("collects a response across HEADERS, CONTINUATION and two DATA frames, giving back the windows", async () => {
    const client = await connect((frame, socket) => {
      if (frame.type !== "HEADERS") return;
      const block = encoder().encode([{ name: ":status", value: "200" }, { name: "x-long", value: "v".repeat(50) }]);
      socket.write(encodeFrame(FRAME_TYPE.HEADERS, 0, frame.streamId, block.subarray(0, 10)));
      socket.write(encodeContinuation(frame.streamId, block.subarray(10), true));
      socket.write(encodeData(frame.streamId, new TextEncoder().encode("hello, "), false));
      socket.write(encodeData(frame.streamId, new TextEncoder().encode("world"), true));
    });
    const response = await client.get("/", 2000);
    expect(response).toMatchObject({ status: 200, end: "end-stream", headers: [["x-long", "v".repeat(50)]] });
    expect(response.body.toString()).toBe("hello, world");
    expect(await client.ping()).toBe(true);
    const updates = current!.frames.filter((f) => f.type === "WINDOW_UPDATE");
    expect(updates.map((f) => [f.streamId, f.type === "WINDOW_UPDATE" && f.increment])).toEqual([[0, 7], [1, 7], [
      0,
      5,
    ]]);
    client.destroy();
  });

  it("sees a RST_STREAM's code, and a GOAWAY's code and last stream, then the close", async () => {
    const client = await connect((frame, socket) => {
      if (frame.type !== "HEADERS") return;
      if (frame.streamId === 1) socket.write(encodeRstStream(1, "REFUSED_STREAM"));
      else socket.end(encodeGoaway(1, "ENHANCE_YOUR_CALM", new TextEncoder().encode("calm")));
    });
    expect(await client.get("/", 2000)).toMatchObject({ status: null, end: "rst", code: "REFUSED_STREAM" });
    expect(await client.streamRefusal(1, 100)).toEqual({ by: "rst", code: "REFUSED_STREAM" });
    const id = client.request("/");
    expect(await client.goaway(2000)).toEqual({ kind: "goaway", code: "ENHANCE_YOUR_CALM", lastStreamId: 1 });
    expect((await client.response(id, 2000)).end).toBe("goaway");
    expect(await client.waitClosed(2000)).toBe(true);
  });

  it("sees the close at once, without waiting out the timeout", async () => {
    const client = await connect((frame, socket) => {
      if (frame.type === "HEADERS") socket.destroy();
    });
    const began = performance.now();
    const from = client.events.length;
    client.request("/");
    expect(await client.goaway(10_000, from)).toEqual({ kind: "closed" });
    expect(await client.waitFrame("DATA", 1, 10_000)).toBeNull();
    expect(performance.now() - began).toBeLessThan(2000);
  });

  it("gives up on a silent server at the timeout", async () => {
    const client = await connect(() => {});
    const began = performance.now();
    expect((await client.get("/", 300)).end).toBe("timeout");
    expect(performance.now() - began).toBeGreaterThanOrEqual(290);
    expect(await client.goaway(100)).toEqual({ kind: "timeout" });
    client.destroy();
  });

  it("answers the server's PING and records a frame over our SETTINGS_MAX_FRAME_SIZE as a violation", async () => {
    const client = await connect((frame, socket) => {
      if (frame.type !== "HEADERS") return;
      socket.write(encodePing(new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2]), false));
      socket.write(encodeData(1, new Uint8Array(2 ** 14 + 1), true));
    });
    client.request("/");
    const violation = await client.waitFor((e) => e.kind === "violation" && e.reason, 2000);
    expect(violation).toContain("FRAME_SIZE_ERROR");
    await until(() => current!.frames.some((f) => f.type === "PING" && f.ack), 2000);
    const ack = current!.frames.find((f) => f.type === "PING" && f.ack);
    expect(ack?.type === "PING" && [...ack.opaqueData]).toEqual([9, 8, 7, 6, 5, 4, 3, 2]);
    client.destroy();
  });
});
