import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import type { Writable } from "node:stream";
import { hasResponses, type ParsedResponse, parseResponses } from "./http-response-parser.ts";
import { sleep } from "./wait.ts";

/**
 * Load for the memory bounds of issue 24 (the attack suite's upload-archive-memory part and
 * bench/attacks/memory-bounds.ts): a server's peak RSS while it stores a large PUT or sends a
 * large archive, from a client that never holds the body whole.
 */

const MIB = 1024 * 1024;

function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? "0");
}

/**
 * The server's peak resident memory over a stretch of time: VmRSS sampled every 50 ms and the
 * kernel's own high-water mark (VmHWM, reset at the start through /proc/PID/clear_refs, which
 * root or the process's owner may write), so a peak between two samples is not missed.
 */
export class RssPeak {
  readonly baselineMiB: number;
  private peakKiB: number;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly pid: number) {
    try {
      fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      // Not allowed here: the samples alone say the peak.
    }
    this.peakKiB = statusKiB(pid, "VmRSS");
    this.baselineMiB = this.peakKiB / 1024;
    this.timer = setInterval(() => this.sample(), 50);
  }

  private sample(): void {
    try {
      this.peakKiB = Math.max(this.peakKiB, statusKiB(this.pid, "VmRSS"), statusKiB(this.pid, "VmHWM"));
    } catch {
      // The server is gone: the caller's checks say so.
    }
  }

  /** Stops sampling: the peak in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peakKiB / 1024;
  }
}

/** What the server has read so far, from files and sockets alike (/proc/PID/io rchar), in bytes. */
export function bytesRead(pid: number): number {
  const io = fs.readFileSync(`/proc/${pid}/io`, "utf8");
  return Number(/rchar:\s+(\d+)/.exec(io)?.[1] ?? "0");
}

/** Small requests first, so the baseline is the server warmed up (code compiled, buffers made). */
export async function warmUp(port: number, paths: readonly string[]): Promise<void> {
  for (let round = 0; round < 5; round++) {
    for (const p of paths) {
      const response = await fetch(`http://127.0.0.1:${port}${p}`);
      await response.arrayBuffer();
    }
  }
  await sleep(300);
}

/** Deterministic bytes, one piece at a time: a fixed random block with the piece's number in its first 8 bytes. */
export class GeneratedBody {
  private readonly block: Buffer;
  private index = 0;
  private sent = 0;
  private readonly hash = crypto.createHash("sha256");

  constructor(readonly size: number, readonly pieceSize = 256 * 1024) {
    // A seeded stream (AES-CTR over zeros), so every run sends the same bytes.
    const cipher = crypto.createCipheriv("aes-128-ctr", Buffer.alloc(16, 7), Buffer.alloc(16, 0));
    this.block = cipher.update(Buffer.alloc(pieceSize));
  }

  /** The next piece (a new buffer: the socket may hold it until it is flushed), or null at the end. */
  next(): Buffer | null {
    if (this.sent >= this.size) return null;
    const piece = Buffer.from(this.block.subarray(0, Math.min(this.pieceSize, this.size - this.sent)));
    if (piece.length >= 8) piece.writeBigUInt64BE(BigInt(this.index), 0);
    this.index++;
    this.sent += piece.length;
    this.hash.update(piece);
    return piece;
  }

  /** The SHA-256 of everything given so far (hex); call once, at the end. */
  digest(): string {
    return this.hash.digest("hex");
  }
}

/**
 * PUT of `body` (or, with `formFile`, a POST of it as that file of an upload form) over raw TCP
 * with a Content-Length, written as fast as the socket takes it, or
 * with a pause after each piece. The server may answer before the end (507, 413) and close: the
 * write loop stops there. A client that sends flat out may never see that answer: the server
 * discards for at most 2 s after it (src/connection/linger.ts), the kernels' buffers hold more,
 * and the reset that follows takes the unread answer with it; a paced client reads it in time.
 */
export async function putGenerated(
  port: number,
  target: string,
  body: GeneratedBody,
  timeoutMs: number,
  pauseMs = 0,
  formFile: string | null = null,
): Promise<ParsedResponse | null> {
  const socket = net.connect(port, "127.0.0.1");
  let data = Buffer.alloc(0);
  let closed = false;
  socket.on("data", (d: Buffer) => (data = Buffer.concat([data, d])));
  socket.on("error", () => {});
  socket.on("close", () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const deadline = Date.now() + timeoutMs;
  // As an upload form (multipart/form-data, RFC 7578): POST to the folder, the body one file part.
  const boundary = "sundial-memory-boundary";
  const opening = formFile === null
    ? ""
    : `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${formFile}"\r\n\r\n`;
  const closing = formFile === null ? "" : `\r\n--${boundary}--\r\n`;
  const length = opening.length + body.size + closing.length;
  socket.write(
    formFile === null
      ? `PUT ${target} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${length}\r\n\r\n`
      : `POST ${target} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${length}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n\r\n${opening}`,
  );
  for (let piece = body.next(); piece !== null && !closed && data.length === 0; piece = body.next()) {
    if (!socket.write(piece)) await drainedOrClosed(socket);
    if (pauseMs > 0) await sleep(pauseMs);
    if (Date.now() > deadline) break;
  }
  if (closing !== "" && !closed) socket.write(closing);
  while (!closed && !hasResponses(1)(data) && Date.now() < deadline) await sleep(20);
  socket.destroy();
  return parseResponses(data, { ended: true })[0] ?? null;
}

function drainedOrClosed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off("drain", done);
      socket.off("close", done);
      socket.off("data", done);
      resolve();
    };
    socket.once("drain", done);
    socket.once("close", done);
    // An early answer (413, 507) ends the upload: stop writing and read it.
    socket.once("data", done);
  });
}

/** The SHA-256 of a file, read in pieces (hex). */
export async function fileSha256(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const piece of fs.createReadStream(file, { highWaterMark: MIB })) hash.update(piece as Buffer);
  return hash.digest("hex");
}

export interface Download {
  readonly status: number;
  readonly bytes: number;
}

/** GET as fast as the client can, the body piped into `sink` (with its backpressure). */
export function download(port: number, target: string, sink: Writable, timeoutMs: number): Promise<Download> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: target, agent: false }, (response) => {
      let bytes = 0;
      response.on("data", (d: Buffer) => (bytes += d.length));
      response.pipe(sink);
      response.once("end", () => resolve({ status: response.statusCode ?? 0, bytes }));
      response.once("error", reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`GET ${target}: no end within ${timeoutMs} ms`)));
    request.once("error", reject);
  });
}

/**
 * GET read slowly: `rate` bytes a second for `holdMs`, then the connection is dropped. The bytes
 * the client took, and what the server read meanwhile (rchar), show whether it read ahead.
 */
export async function slowDownload(
  port: number,
  pid: number,
  target: string,
  rate: number,
  holdMs: number,
): Promise<{ readonly taken: number; readonly serverRead: number }> {
  const before = bytesRead(pid);
  const socket = net.connect({ port, host: "127.0.0.1" });
  socket.on("error", () => {});
  socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  let taken = 0;
  socket.on("data", (d: Buffer) => {
    taken += d.length;
    socket.pause();
  });
  const tickMs = 100;
  const perTick = (rate * tickMs) / 1000;
  let allowed = 0;
  for (const end = Date.now() + holdMs; Date.now() < end;) {
    allowed += perTick;
    if (taken < allowed) socket.resume();
    await sleep(tickMs);
  }
  const serverRead = bytesRead(pid) - before;
  socket.destroy();
  return { taken, serverRead };
}

export { MIB };
