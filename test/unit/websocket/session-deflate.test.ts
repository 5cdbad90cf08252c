/**
 * permessage-deflate in the session (RFC 7692 §6, §7.2): compressed messages inflated in turn,
 * held to maxPayloadLength while they inflate, compressed ones sent with RSV1, order kept both
 * ways. The raw streams are the node:zlib ones of the adapters; the client's side is node:zlib's
 * own one-shot functions, another path to the same format.
 */
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { nodeRawDeflate, nodeRawInflate } from "../../../runtime-adapters/shared-node/raw-deflate.ts";
import type { RawInflateStream } from "../../../src/ports/compress.ts";
import { MessageDeflate } from "../../../src/websocket/deflate.ts";
import type { DeflateParams } from "../../../src/websocket/deflate-params.ts";
import { WEBSOCKET_DEFAULTS, type WebSocketLimits } from "../../../src/websocket/options.ts";
import { type SessionEvents, type SessionLink, WebSocketSession } from "../../../src/websocket/session.ts";
import { FakeClock } from "../../support/fake-ports.ts";
import { clientFrame, closeBody, closeOf, readServerFrames, type ServerFrame } from "../../support/websocket-frames.ts";
import { concat } from "./reading.ts";

class Link implements SessionLink {
  readonly written: Uint8Array[] = [];
  ended: "no" | "end" | "linger" = "no";
  paused = 0;
  resumed = 0;
  write(bytes: Uint8Array, onFlushed: () => void): boolean {
    this.written.push(bytes.slice());
    onFlushed();
    return true;
  }
  end(linger: boolean): void {
    this.ended = linger ? "linger" : "end";
  }
  destroy(): void {}
  pause(): void {
    this.paused++;
  }
  resume(): void {
    this.resumed++;
  }
  frames(): ServerFrame[] {
    return readServerFrames(concat(this.written)).frames;
  }
}

const KEEP: DeflateParams = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  compress: true,
};

/** Bytes the inflater produced, over every session set up since. */
let inflatedBytes = 0;

/** The node:zlib inflater, counting what it hands out. */
function countingInflate(windowBits: number): RawInflateStream {
  const stream = nodeRawInflate(windowBits);
  return {
    inflate: (data, onOutput) =>
      stream.inflate(data, (piece) => {
        inflatedBytes += piece.length;
        return onOutput(piece);
      }),
    close: () => stream.close(),
  };
}

function setup(limits: Partial<WebSocketLimits> = {}, params: DeflateParams = KEEP) {
  const link = new Link();
  const log: string[] = [];
  const events: SessionEvents = {
    open: () => {},
    message: (m) => log.push(m.kind === "text" ? `text:${m.text}` : `binary:${m.data.length}`),
    ping: () => log.push("ping"),
    pong: () => {},
    drain: () => {},
    close: (code) => log.push(`close:${code}`),
  };
  const deflate = new MessageDeflate({ rawDeflate: nodeRawDeflate, rawInflate: countingInflate }, params);
  const session = new WebSocketSession(
    link,
    new FakeClock(1000),
    { ...WEBSOCKET_DEFAULTS, ...limits },
    () => events,
    (e) => log.push(`error:${e}`),
    deflate,
  );
  session.start(new Uint8Array(0));
  return { link, log, session };
}

/** A message as a client compresses it (§7.2.1): raw deflate, sync flush, the 00 00 ff ff removed. */
function compressed(data: Uint8Array | string): Uint8Array {
  const out = zlib.deflateRawSync(typeof data === "string" ? Buffer.from(data) : data, {
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
  });
  return new Uint8Array(out.subarray(0, out.length - 4));
}

function inflated(frame: ServerFrame): Buffer {
  return zlib.inflateRawSync(Buffer.concat([frame.payload, Buffer.from([0, 0, 0xff, 0xff])]), {
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe("WebSocketSession with permessage-deflate", () => {
  it("inflates a compressed message (RSV1 on its first frame), keeping order with what follows it", async () => {
    const { link, log, session } = setup();
    const body = compressed("compressed ".repeat(50));
    session.feed(concat([
      clientFrame(0x1, body.subarray(0, 10), { rsv: 4, fin: false }),
      clientFrame(0x0, body.subarray(10)),
      clientFrame(0x1, "plain after it"),
      clientFrame(0x9, "p"),
      clientFrame(0x8, closeBody(1000)),
    ]));
    expect(link.paused).toBe(1);
    await until(() => log.includes("close:1000"));
    expect(log).toEqual([`text:${"compressed ".repeat(50)}`, "text:plain after it", "ping", "close:1000"]);
    expect(link.resumed).toBe(1);
    expect(link.frames().map((f) => f.opcode)).toEqual([0xa, 0x8]);
    expect(link.ended).toBe("end");
  });

  it("a compressed binary message, and an empty one (§7.2.3.6)", async () => {
    const { log, session } = setup();
    session.feed(clientFrame(0x2, compressed(new Uint8Array(70_000).fill(3)), { rsv: 4 }));
    session.feed(clientFrame(0x1, new Uint8Array([0x00]), { rsv: 4 }));
    await until(() => log.length === 2);
    expect(log).toEqual(["binary:70000", "text:"]);
  });

  it("a message that inflates past maxPayloadLength: 1009, inflating stops there (one 16 KiB piece past it)", async () => {
    const { link, log, session } = setup({ maxPayloadLength: 64 * 1024 });
    inflatedBytes = 0;
    const bomb = compressed(new Uint8Array(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    session.feed(clientFrame(0x2, bomb, { rsv: 4 }));
    session.feed(clientFrame(0x1, "never seen"));
    await until(() => link.ended !== "no");
    expect(log).toEqual(["close:1009"]);
    expect(closeOf(link.frames()[0]!).code).toBe(1009);
    expect(link.ended).toBe("linger");
    expect(inflatedBytes).toBeGreaterThan(64 * 1024);
    expect(inflatedBytes).toBeLessThanOrEqual(64 * 1024 + 16 * 1024);
  });

  it("compressed text that is not UTF-8, or data that is not DEFLATE: 1007", async () => {
    for (const payload of [compressed(new Uint8Array([0x68, 0xc3, 0x28])), new Uint8Array([0xff, 0xff])]) {
      const { link, log, session } = setup();
      session.feed(clientFrame(0x1, payload, { rsv: 4 }));
      await until(() => link.ended !== "no");
      expect(log).toEqual(["close:1007"]);
    }
  });

  it("RSV1 on a continuation or a control frame, and RSV2/RSV3: 1002 (§6.1)", () => {
    for (
      const frames of [
        [clientFrame(0x1, "a", { fin: false }), clientFrame(0x0, "b", { rsv: 4 })],
        [clientFrame(0x9, "", { rsv: 4 })],
        [clientFrame(0x1, "a", { rsv: 2 })],
        [clientFrame(0x1, "a", { rsv: 1 })],
      ]
    ) {
      const { link, log, session } = setup();
      session.feed(concat(frames));
      expect(log).toEqual(["close:1002"]);
      expect(link.ended).toBe("linger");
    }
  });

  it("sends compressed with RSV1 when asked and from 1 KiB by default, in the order sent, the close last", async () => {
    const { link, session } = setup();
    expect(session.sendText("small", true)).toBe(5);
    session.sendText("tiny");
    session.sendBinary(new Uint8Array(4096).fill(9));
    session.sendText("big ".repeat(300), false);
    session.close(1000, "bye");
    await until(() => link.frames().length === 5);
    const frames = link.frames();
    expect(frames.map((f) => [f.opcode, f.rsv1])).toEqual([[1, true], [1, false], [2, true], [1, false], [8, false]]);
    expect(inflated(frames[0]!).toString()).toBe("small");
    expect(inflated(frames[2]!)).toEqual(Buffer.alloc(4096, 9));
  });

  it("context takeover: a repeated message compresses smaller the second time; without it, the same", async () => {
    const sizes = async (params: DeflateParams): Promise<number[]> => {
      const { link, session } = setup({}, params);
      const text = "the same sentence, over and over again";
      session.sendText(text, true);
      session.sendText(text, true);
      await until(() => link.frames().length === 2);
      return link.frames().map((f) => f.payload.length);
    };
    const [first, second] = await sizes(KEEP);
    expect(second).toBeLessThan(first!);
    const [a, b] = await sizes({ ...KEEP, serverNoContextTakeover: true });
    expect(b).toBe(a);
  });
});
