/**
 * A WebSocket client over a raw TCP socket, for the protocol cases a real client would never
 * send (unmasked frames, bad UTF-8, reserved codes): it writes the handshake and any bytes the
 * test gives, and reads the server's head and frames (websocket-frames.ts) as they come.
 */
import * as net from "node:net";
import { readServerFrames, type ServerFrame } from "./websocket-frames.ts";

export const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
export const ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/** A handshake request for path, with fields replaced or added (a null value drops a field). */
export function handshake(path: string, fields: Record<string, string | null> = {}): string {
  const all: Record<string, string | null> = {
    Host: "t",
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": KEY,
    "Sec-WebSocket-Version": "13",
    ...fields,
  };
  const lines = Object.entries(all).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v}\r\n`);
  return `GET ${path} HTTP/1.1\r\n${lines.join("")}\r\n`;
}

export class RawWebSocket {
  private buffer = Buffer.alloc(0);
  private head: string | null = null;
  private waiters: Array<() => void> = [];
  ended = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.takeHead();
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  /** Connects and sends `request` (the handshake, and any bytes after it in the same write). */
  static connect(port: number, request: string | Uint8Array): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.write(typeof request === "string" ? Buffer.from(request, "latin1") : request);
        resolve(new RawWebSocket(socket));
      });
      socket.once("error", reject);
    });
  }

  /** The response head (through the empty line), once it came. */
  async responseHead(ms = 5000): Promise<string> {
    await this.until(() => this.head !== null || this.ended, ms);
    if (this.head === null) throw new Error(`no response head; got ${this.buffer.toString("latin1")}`);
    return this.head;
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Frames received so far (after the head). */
  frames(): ServerFrame[] {
    return readServerFrames(new Uint8Array(this.buffer)).frames;
  }

  /** Waits until `count` frames came (or the connection closed); returns every frame so far. */
  async waitFrames(count: number, ms = 5000): Promise<ServerFrame[]> {
    await this.until(() => this.frames().length >= count || this.ended, ms);
    return this.frames();
  }

  /** Waits for the server to close the TCP connection; true if it did within ms. */
  async waitClosed(ms = 5000): Promise<boolean> {
    await this.until(() => this.ended, ms);
    return this.ended;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private takeHead(): void {
    if (this.head !== null) return;
    const end = this.buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    this.head = this.buffer.subarray(0, end + 4).toString("latin1");
    this.buffer = this.buffer.subarray(end + 4);
  }

  private wake(): void {
    for (const fn of this.waiters.splice(0)) fn();
  }

  private async until(check: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
