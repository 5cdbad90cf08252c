import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import { readServerFrames } from "../../support/websocket-frames.ts";
import { handshake } from "../../support/websocket-raw.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-app.mjs");

/**
 * Reads /flood as a slow client: nothing for pauseMs (the server's socket fills and the app must
 * stop at send() === -1), then everything, frame by frame; the binary messages' sizes and first
 * bytes (their order), until the text "done".
 */
function readFlood(port: number, pauseMs: number): Promise<{ bytes: number; inOrder: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(handshake("/flood")));
    socket.pause();
    setTimeout(() => socket.resume(), pauseMs);
    let pending: Buffer = Buffer.alloc(0);
    let headDone = false;
    let bytes = 0;
    let index = 0;
    let inOrder = true;
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!headDone) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        headDone = true;
        pending = pending.subarray(end + 4);
      }
      const { frames, rest } = readServerFrames(new Uint8Array(pending));
      pending = Buffer.from(rest);
      for (const frame of frames) {
        if (frame.opcode === 0x1) {
          socket.destroy();
          return resolve({ bytes, inOrder });
        }
        if (frame.payload[0] !== (index++ & 0xff)) inOrder = false;
        bytes += frame.payload.length;
      }
    });
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`closed after ${bytes} bytes`)));
  });
}

/**
 * WebSocket backpressure (issue 25): an app's send() loop against a client that reads nothing for
 * half a second, then everything. In the attack suite, with the machine to itself
 * (vitest.attack.config.ts).
 */
export function websocketBackpressureTests({ target }: SuiteContext): void {
  describe("WebSocket backpressure with the machine to itself", () => {
    let server: RunningSundial | undefined;
    beforeAll(async () => {
      server = await startSundial(target, ["--app", APP]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it(
      "backpressure: an app that waits for drain sends 32 MiB to a slow reader, whole and in order, its buffer bounded",
      async () => {
        const result = await readFlood(server!.port, 500);
        expect(result).toEqual({ bytes: 32 * 1024 * 1024, inOrder: true });
        const stats = (await (await fetch(`http://127.0.0.1:${server!.port}/flood-stats`)).json()) as
          & Record<
            "waits" | "firstWaitAt" | "drains" | "maxBuffered",
            number
          >
          & { dropped: boolean };
        expect(stats.dropped).toBe(false);
        // The client read nothing for half a second: send() said -1 before the app had sent it all,
        // and the app waited for drain each time.
        expect(stats.waits).toBeGreaterThan(0);
        expect(stats.firstWaitAt).toBeLessThan(32 * 1024 * 1024);
        expect(stats.drains).toBe(stats.waits);
        // What the app saw queued (getBufferedAmount) never passed a couple of its 64 KiB messages:
        // send() says -1 once the socket refuses more, and bytes the kernel took are not counted
        // (on Node they were, until the write's callback on the next tick: 25 MiB was seen).
        expect(stats.maxBuffered).toBeLessThan(1024 * 1024);
      },
      60_000,
    );
  });
}
