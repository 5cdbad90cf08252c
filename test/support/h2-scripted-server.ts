/**
 * A scripted HTTP/2 server on 127.0.0.1 (a port in 47000-47999) for testing the test tools
 * themselves (the raw client, the case runner): it sends its SETTINGS, acknowledges the client's
 * SETTINGS and PINGs, and hands every other frame to the script, which answers as it likes.
 */
import * as net from "node:net";
import type { Frame } from "../../src/http2/frame.ts";
import { FrameReader } from "../../src/http2/frame-reader.ts";
import { encodePing, encodeSettings, encodeSettingsAck } from "../../src/http2/frame-writer.ts";
import { freePortInRange } from "./h2-servers.ts";

/** Starts the server; `onFrame` gets each frame the client sends (after the SETTINGS and PING answers). */
export interface Scripted {
  readonly port: number;
  readonly frames: Frame[];
  close(): Promise<void>;
}

export function scriptedServer(onFrame: (frame: Frame, socket: net.Socket) => void): Promise<Scripted> {
  const frames: Frame[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    let preface = 24;
    const reader = new FrameReader((event) => {
      if ("kind" in event) return null;
      frames.push(event);
      if (event.type === "SETTINGS" && !event.ack) socket.write(encodeSettingsAck());
      if (event.type === "PING" && !event.ack) socket.write(encodePing(event.opaqueData, true));
      onFrame(event, socket);
      return null;
    });
    socket.write(encodeSettings([{ id: 0x3, value: 100 }]));
    socket.on("data", (chunk: Buffer) => {
      const skip = Math.min(preface, chunk.length);
      preface -= skip;
      if (chunk.length > skip) reader.feed(chunk.subarray(skip));
    });
  });
  return new Promise((resolve, reject) => {
    void freePortInRange().then((port) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () =>
        resolve({
          port,
          frames,
          close: () =>
            new Promise((done) => {
              for (const s of sockets) s.destroy();
              server.close(() => done());
            }),
        }));
    });
  });
}
