/**
 * A raw HTTP/2 client for black-box tests (RFC 9113), over TCP (h2c with prior knowledge, §3.3)
 * or TLS (ALPN "h2", §3.2): it writes the preface and whatever frames a test builds, valid or
 * not (src/http2/frame-writer.ts, HPACK by src/http2/hpack/encoder.ts), reads the server's frames
 * with src/http2/frame-reader.ts and decodes its field blocks with src/http2/hpack/decoder.ts,
 * and records everything as events (h2-events.ts) a test waits on, each wait with a timeout.
 * By default it acknowledges the server's SETTINGS and PINGs and gives back every window a DATA
 * frame used (§6.9), as a well-behaved client would; an attack turns these off.
 */
import type * as net from "node:net";
import type { Frame } from "../../src/http2/frame.ts";
import { encodeFrame, encodeHeaders, encodePing, encodeSettings } from "../../src/http2/frame-writer.ts";
import { HpackEncoder } from "../../src/http2/hpack/encoder.ts";
import { CLIENT_PREFACE } from "../../src/http2/preface.ts";
import { SETTING } from "../../src/http2/settings.ts";
import { codeName, type Field, type H2Event } from "./h2-events.ts";
import { H2Inbound, type InboundOptions } from "./h2-inbound.ts";
import { type H2Endpoint, openSocket } from "./h2-socket.ts";

export type { H2Endpoint };

export interface ConnectOptions extends InboundOptions {
  /** Send the preface and SETTINGS at once (default true; false: the test writes its own first bytes). */
  readonly preface?: boolean;
  readonly connectTimeoutMs?: number;
}

/** A response as collected: what came on a stream until it ended, or why collecting stopped. */
export interface H2Response {
  readonly status: number | null;
  readonly headers: readonly Field[];
  readonly body: Buffer;
  readonly trailers: readonly Field[];
  /** end-stream: a whole response; rst: RST_STREAM (`code`); goaway, closed, timeout: cut short. */
  readonly end: "end-stream" | "rst" | "goaway" | "closed" | "timeout";
  readonly code?: string;
}

/** A GOAWAY (its code's name and last stream), the connection closed without one, or neither in time. */
export type GoawayOutcome =
  | { readonly kind: "goaway"; readonly code: string; readonly lastStreamId: number }
  | { readonly kind: "closed" }
  | { readonly kind: "timeout" };

const DEFAULT_WAIT_MS = 5000;

export class H2Client {
  readonly events: H2Event[] = [];
  /** The server's settings as received so far (id -> value). */
  readonly serverSettings: ReadonlyMap<number, number>;
  readonly encoder = new HpackEncoder({ huffman: "never" });
  private readonly inbound: H2Inbound;
  private waiters: Array<() => void> = [];
  private nextStream = 1;
  closed = false;

  private constructor(
    private readonly socket: net.Socket,
    readonly endpoint: H2Endpoint,
    options: ConnectOptions,
  ) {
    this.inbound = new H2Inbound({ record: (e) => this.record(e), send: (...p) => void this.send(...p) }, options);
    this.serverSettings = this.inbound.serverSettings;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onClosed("end"));
    socket.on("close", () => this.onClosed("close"));
    socket.on("error", (error: NodeJS.ErrnoException) => this.onClosed(error.code ?? error.message));
  }

  /** Connects; the preface and SETTINGS are written at once unless options.preface is false. */
  static async connect(endpoint: H2Endpoint, options: ConnectOptions = {}): Promise<H2Client> {
    const socket = await openSocket(endpoint, options.connectTimeoutMs ?? DEFAULT_WAIT_MS);
    const client = new H2Client(socket, endpoint, options);
    if (options.preface !== false) client.send(CLIENT_PREFACE, encodeSettings(options.settings ?? []));
    return client;
  }

  /** Connects and completes the handshake (§3.4): the server's SETTINGS came, and its ACK of ours. */
  static async open(endpoint: H2Endpoint, options: ConnectOptions = {}): Promise<H2Client> {
    const client = await H2Client.connect(endpoint, options);
    const settings = await client.waitFor((e) => isFrame(e, "SETTINGS") && !e.frame.ack, DEFAULT_WAIT_MS);
    const ack = await client.waitFor((e) => isFrame(e, "SETTINGS") && e.frame.ack, DEFAULT_WAIT_MS);
    if (settings === null || ack === null) {
      client.destroy();
      throw new Error(`no HTTP/2 handshake with ${endpoint.host}:${endpoint.port}: ${client.events.length} events`);
    }
    return client;
  }

  /** Writes bytes (several pieces as one write). */
  send(...pieces: Uint8Array[]): boolean {
    if (this.socket.destroyed) return false;
    return this.socket.write(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
  }

  /**
   * Whether what was written has left for the kernel (or the connection is gone) within ms:
   * false means the server has stopped reading and still holds the connection open.
   */
  drained(ms = DEFAULT_WAIT_MS): Promise<boolean> {
    if (!this.socket.writableNeedDrain || this.socket.destroyed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (drained: boolean) => (): void => {
        clearTimeout(timer);
        this.socket.removeListener("drain", onDrain);
        this.socket.removeListener("close", onDrain);
        resolve(drained);
      };
      const onDrain = done(true);
      const timer = setTimeout(done(false), ms);
      this.socket.once("drain", onDrain);
      this.socket.once("close", onDrain);
    });
  }

  /** Stops reading (the server's output then backs up into its buffers); resumeReading() goes on. */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  /** The next client stream identifier (1, 3, 5...), taken. */
  takeStreamId(): number {
    const id = this.nextStream;
    this.nextStream += 2;
    return id;
  }

  /** A request's fields: :method, :scheme, :authority, :path (§8.3.1), then `extra`. */
  requestFields(path = "/", extra: readonly Field[] = [], method = "GET"): Field[] {
    return [
      [":method", method],
      [":scheme", this.endpoint.tls ? "https" : "http"],
      [":authority", `${this.endpoint.host}:${this.endpoint.port}`],
      [":path", path],
      ...extra,
    ];
  }

  /** Fields HPACK-encoded with this connection's encoder (its dynamic table moves on). */
  encode(fields: readonly Field[]): Uint8Array {
    return this.encoder.encode(fields.map(([name, value]) => ({ name, value })));
  }

  /** A field block as HEADERS and CONTINUATION frames cut to the server's frame size, END_HEADERS on the last. */
  headersFrames(streamId: number, fields: readonly Field[], endStream = true): Uint8Array {
    return encodeHeaders(streamId, this.encode(fields), { endStream, maxFrameSize: this.maxFrameSize() });
  }

  /** An already encoded field block as HEADERS (END_STREAM) and CONTINUATION frames cut to the server's frame size. */
  headersFramesRaw(streamId: number, block: Uint8Array): Uint8Array {
    return encodeHeaders(streamId, block, { endStream: true, maxFrameSize: this.maxFrameSize() });
  }

  /** Sends a request's HEADERS on a new stream; its identifier. */
  request(path = "/", options: { extra?: readonly Field[]; endStream?: boolean; method?: string } = {}): number {
    const id = this.takeStreamId();
    this.send(
      this.headersFrames(id, this.requestFields(path, options.extra, options.method), options.endStream ?? true),
    );
    return id;
  }

  /** A GET, and its response collected. */
  get(path = "/", ms = DEFAULT_WAIT_MS): Promise<H2Response> {
    return this.response(this.request(path), ms);
  }

  /** Sends a PING with this data (8 bytes) and waits for its ACK: whether it came. */
  async ping(data = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), ms = DEFAULT_WAIT_MS): Promise<boolean> {
    const from = this.events.length;
    this.send(encodePing(data, false));
    const ack = await this.waitFor(
      (e) => isFrame(e, "PING") && e.frame.ack && sameBytes(e.frame.opaqueData, data),
      ms,
      from,
    );
    return ack !== null;
  }

  /** The server's SETTINGS_MAX_FRAME_SIZE (§6.5.2), 2^14 until it says otherwise. */
  maxFrameSize(): number {
    return this.serverSettings.get(SETTING.MAX_FRAME_SIZE) ?? 2 ** 14;
  }

  /**
   * The first event from index `from` on that `pick` maps to a value; null once `ms` passed, or
   * at once when the connection is closed and nothing matched.
   */
  async waitFor<T>(pick: (event: H2Event) => T | undefined | false, ms: number, from = 0): Promise<T | null> {
    const deadline = Date.now() + ms;
    let scanned = from;
    for (;;) {
      for (; scanned < this.events.length; scanned++) {
        const value = pick(this.events[scanned]!);
        if (value !== undefined && value !== false) return value;
      }
      if (this.closed || Date.now() >= deadline) return null;
      await this.wake(deadline - Date.now());
    }
  }

  /** The first GOAWAY from index `from` on, or the close, or neither in time. */
  async goaway(ms = DEFAULT_WAIT_MS, from = 0): Promise<GoawayOutcome> {
    const found = await this.waitFor<GoawayOutcome>(
      (e) => {
        if (isFrame(e, "GOAWAY")) {
          return {
            kind: "goaway",
            code: codeName(e.frame.errorCode),
            lastStreamId: e.frame.lastStreamId,
          };
        }
        return e.kind === "closed" ? { kind: "closed" } : undefined;
      },
      ms,
      from,
    );
    return found ?? { kind: "timeout" };
  }

  /** The first frame of a type (on a stream, when given) from index `from` on, or null after ms or at the close. */
  waitFrame<T extends Frame["type"]>(
    type: T,
    streamId?: number,
    ms = DEFAULT_WAIT_MS,
    from = 0,
  ): Promise<Extract<Frame, { type: T }> | null> {
    return this.waitFor(
      (e) => isFrame(e, type) && (streamId === undefined || e.frame.streamId === streamId) && e.frame,
      ms,
      from,
    );
  }

  /**
   * How a stream was refused: its RST_STREAM's code, or a GOAWAY's (a connection error), or the
   * close; null when none came within ms.
   */
  async streamRefusal(
    streamId: number,
    ms = DEFAULT_WAIT_MS,
    from = 0,
  ): Promise<{ by: "rst" | "goaway" | "closed"; code?: string } | null> {
    return await this.waitFor(
      (e) => {
        if (isFrame(e, "RST_STREAM") && e.frame.streamId === streamId) {
          return {
            by: "rst" as const,
            code: codeName(e.frame.errorCode),
          };
        }
        if (isFrame(e, "GOAWAY")) return { by: "goaway" as const, code: codeName(e.frame.errorCode) };
        return e.kind === "closed" ? { by: "closed" as const } : undefined;
      },
      ms,
      from,
    );
  }

  /** Whether the connection closed within ms. */
  async waitClosed(ms = DEFAULT_WAIT_MS): Promise<boolean> {
    await this.waitFor((e) => e.kind === "closed", ms);
    return this.closed;
  }

  /** Collects the response on a stream: until END_STREAM, its RST_STREAM, a GOAWAY that leaves it out, the close, or ms. */
  async response(streamId: number, ms = DEFAULT_WAIT_MS): Promise<H2Response> {
    const blocks: Field[][] = [];
    const body: Buffer[] = [];
    const ending = await this.waitFor<{ end: H2Response["end"]; code?: string }>((e) => {
      if (e.kind === "closed") return { end: "closed" };
      if (e.kind === "fields" && e.streamId === streamId && e.promised === undefined) {
        blocks.push([...e.fields]);
        return e.endStream ? { end: "end-stream" } : undefined;
      }
      if (e.kind !== "frame") return undefined;
      const f = e.frame;
      if (f.type === "DATA" && f.streamId === streamId) {
        body.push(Buffer.from(f.data));
        return f.endStream ? { end: "end-stream" } : undefined;
      }
      if (f.type === "RST_STREAM" && f.streamId === streamId) return { end: "rst", code: codeName(f.errorCode) };
      if (f.type === "GOAWAY" && f.lastStreamId < streamId) return { end: "goaway", code: codeName(f.errorCode) };
      return undefined;
    }, ms);
    const head = blocks.find((b) => !b.some(([name, value]) => name === ":status" && value.startsWith("1"))) ?? [];
    const status = head.find(([name]) => name === ":status")?.[1];
    return {
      status: status === undefined ? null : Number(status),
      headers: head.filter(([name]) => name !== ":status"),
      body: Buffer.concat(body),
      trailers: blocks.length > 1 && blocks.at(-1) !== head ? blocks.at(-1)! : [],
      end: ending?.end ?? "timeout",
      code: ending?.code,
    };
  }

  /** Closes our side (FIN) and waits for the server's close, at most ms. */
  async end(ms = 1000): Promise<void> {
    this.socket.end();
    await this.waitClosed(ms);
    this.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.inbound.feed(chunk);
    this.wakeAll();
  }

  private onClosed(how: string): void {
    if (this.closed) return;
    this.closed = true;
    this.record({ kind: "closed", how });
  }

  private record(event: H2Event): void {
    this.events.push(event);
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private wake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Narrows an event to a frame of one type. */
export function isFrame<T extends Frame["type"]>(
  event: H2Event,
  type: T,
): event is { kind: "frame"; frame: Extract<Frame, { type: T }> } {
  return event.kind === "frame" && event.frame.type === type;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** A frame of any type, flags, stream and payload, exactly as given (for the malformed ones). */
export function rawFrame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array | number[] = [],
): Uint8Array {
  return encodeFrame(type, flags, streamId, payload instanceof Uint8Array ? payload : Uint8Array.from(payload));
}

/** A 31-bit value as 4 bytes, big-endian (window increments, error codes, stream dependencies). */
export function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}
