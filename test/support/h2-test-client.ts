/**
 * An HTTP/2 client for tests, built from sundial's own frame writer and reader and HPACK encoder
 * and decoder: it writes frames (valid or deliberately not) through `send`, and reads what the
 * server writes (receive()), keeping every frame and each stream's response. It knows nothing of
 * sockets: a unit test pipes it to a session over a fake link, a black-box test to a TCP socket.
 */
import type { ConnectionError } from "../../src/http2/error.ts";
import { ERROR_CODE, type ErrorCodeName } from "../../src/http2/error.ts";
import { FLAG, type Frame, FRAME_TYPE, type GoawayFrame, type Priority } from "../../src/http2/frame.ts";
import { FrameReader } from "../../src/http2/frame-reader.ts";
import {
  encodeContinuation,
  encodeData,
  encodeFrame,
  encodeGoaway,
  encodeHeaders,
  encodePing,
  encodePriority,
  encodeRstStream,
  encodeSettings,
  encodeSettingsAck,
  encodeWindowUpdate,
  writeFrameHeader,
} from "../../src/http2/frame-writer.ts";
import { HeaderBlockAssembler } from "../../src/http2/header-block.ts";
import { HpackDecoder } from "../../src/http2/hpack/decoder.ts";
import { HpackEncoder } from "../../src/http2/hpack/encoder.ts";
import { CLIENT_PREFACE } from "../../src/http2/preface.ts";
import { MIN_MAX_FRAME_SIZE, SETTING, type SettingPair } from "../../src/http2/settings.ts";

export { ERROR_CODE, FLAG, FRAME_TYPE, SETTING };

/** A frame as received, its bytes copied (the reader's views live only during the call). */
export type ReceivedFrame = Frame;

/** One stream's response as far as it came. */
export interface StreamResponse {
  /** The :status of the first HEADERS, or null before it. */
  status: number | null;
  /** Its regular fields, in order. */
  headers: Array<[string, string]>;
  /** Every DATA byte, in order. */
  body: Uint8Array;
  /** The payload size of each DATA frame. */
  dataFrames: number[];
  /** END_STREAM came. */
  ended: boolean;
  /** The RST_STREAM code, or null. */
  reset: number | null;
}

export interface RequestOptions {
  readonly method?: string;
  readonly path?: string;
  readonly authority?: string;
  readonly scheme?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Sent as one DATA frame (split to the server's frame size) after the HEADERS, END_STREAM on the last. */
  readonly body?: Uint8Array | string;
  /** END_STREAM on the HEADERS (no body): true unless a body is given. */
  readonly endStream?: boolean;
}

export interface ClientOptions {
  /** Acknowledge the server's SETTINGS as they come (default true). */
  readonly autoAck?: boolean;
  /** Give every DATA byte back at once with WINDOW_UPDATE on the stream and the connection (default false). */
  readonly autoWindow?: boolean;
}

const encoder = new TextEncoder();

export class H2TestClient {
  readonly frames: ReceivedFrame[] = [];
  /** What broke in the server's output (a connection error the client's reader found), or null. */
  readError: ConnectionError | null = null;
  private readonly reader: FrameReader;
  private readonly hpackOut = new HpackEncoder();
  private readonly hpackIn = new HpackDecoder({ maxHeaderListSize: 1 << 30, maxFields: 1 << 20 });
  private readonly assembler = new HeaderBlockAssembler({ maxContinuations: 1 << 20, maxBytes: 1 << 30 });
  private readonly responses = new Map<number, StreamResponse>();
  /** The server's SETTINGS_MAX_FRAME_SIZE, for what this client writes. */
  serverMaxFrameSize = MIN_MAX_FRAME_SIZE;

  constructor(private readonly send: (bytes: Uint8Array) => void, private readonly options: ClientOptions = {}) {
    this.reader = new FrameReader((event) => {
      if ("kind" in event) return null; // a stream error in the server's output: seen in frames as missing
      this.take(copyFrame(event));
      return null;
    }, 2 ** 24 - 1);
  }

  // Writing.

  /** The client connection preface (§3.4) and its SETTINGS. */
  preface(settings: readonly SettingPair[] = []): void {
    this.send(CLIENT_PREFACE);
    this.settings(settings);
  }

  settings(settings: readonly SettingPair[] = []): void {
    this.send(encodeSettings(settings));
  }

  settingsAck(): void {
    this.send(encodeSettingsAck());
  }

  ping(data: Uint8Array = new Uint8Array(8), ack = false): void {
    this.send(encodePing(data, ack));
  }

  priority(streamId: number, priority: Priority): void {
    this.send(encodePriority(streamId, priority));
  }

  rst(streamId: number, code: ErrorCodeName | number = "CANCEL"): void {
    this.send(encodeRstStream(streamId, code));
  }

  windowUpdate(streamId: number, increment: number): void {
    this.send(encodeWindowUpdate(streamId, increment));
  }

  goaway(lastStreamId = 0, code: ErrorCodeName | number = "NO_ERROR"): void {
    this.send(encodeGoaway(lastStreamId, code));
  }

  raw(bytes: Uint8Array): void {
    this.send(bytes);
  }

  /** A field block encoded with this client's HPACK encoder (its table moves: send it). */
  block(fields: ReadonlyArray<readonly [string, string]>): Uint8Array {
    return this.hpackOut.encode(fields.map(([name, value]) => ({ name, value })));
  }

  /** HEADERS (and CONTINUATION frames as the server's frame size needs) carrying the fields. */
  headers(
    streamId: number,
    fields: ReadonlyArray<readonly [string, string]>,
    options: { endStream?: boolean; priority?: Priority } = {},
  ): void {
    const block = this.block(fields);
    this.send(
      encodeHeaders(streamId, block, {
        endStream: options.endStream ?? true,
        maxFrameSize: this.serverMaxFrameSize,
        ...(options.priority === undefined ? {} : { priority: options.priority }),
      }),
    );
  }

  /** A HEADERS frame with a block fragment and flags as given (END_HEADERS or not), for CONTINUATION cases. */
  headersFrame(streamId: number, fragment: Uint8Array, flags: number): void {
    this.send(encodeFrame(FRAME_TYPE.HEADERS, flags, streamId, fragment));
  }

  continuation(streamId: number, fragment: Uint8Array, endHeaders: boolean): void {
    this.send(encodeContinuation(streamId, fragment, endHeaders));
  }

  /** DATA, padded with `padding` zero bytes (and the Pad Length byte) when given. */
  data(streamId: number, data: Uint8Array | string, options: { endStream?: boolean; padding?: number } = {}): void {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const endStream = options.endStream ?? false;
    if (options.padding === undefined) {
      this.send(encodeData(streamId, bytes, endStream));
      return;
    }
    const out = new Uint8Array(9 + 1 + bytes.length + options.padding);
    const flags = FLAG.PADDED | (endStream ? FLAG.END_STREAM : 0);
    writeFrameHeader(out, 0, out.length - 9, FRAME_TYPE.DATA, flags, streamId);
    out[9] = options.padding;
    out.set(bytes, 10);
    this.send(out);
  }

  /** Bytes as DATA frames of at most the server's frame size, END_STREAM on the last when asked. */
  body(streamId: number, data: Uint8Array | string, endStream = false): void {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const size = this.serverMaxFrameSize;
    if (bytes.length === 0) this.data(streamId, bytes, { endStream });
    for (let at = 0; at < bytes.length; at += size) {
      this.data(streamId, bytes.subarray(at, at + size), { endStream: endStream && at + size >= bytes.length });
    }
  }

  /** A request: HEADERS with the pseudo-headers and fields, then the body if any. */
  request(streamId: number, options: RequestOptions = {}): void {
    const method = options.method ?? "GET";
    const fields: Array<readonly [string, string]> = [
      [":method", method],
      [":scheme", options.scheme ?? "https"],
      [":authority", options.authority ?? "localhost"],
      [":path", options.path ?? "/"],
      ...(options.headers ?? []),
    ];
    const body = typeof options.body === "string" ? encoder.encode(options.body) : options.body;
    this.headers(streamId, fields, { endStream: options.endStream ?? body === undefined });
    if (body !== undefined) this.body(streamId, body, true);
  }

  // Reading.

  /** Bytes the server wrote. */
  receive(chunk: Uint8Array): void {
    const error = this.reader.feed(chunk);
    if (error !== null) this.readError = error;
  }

  response(streamId: number): StreamResponse {
    let response = this.responses.get(streamId);
    if (response === undefined) {
      response = { status: null, headers: [], body: new Uint8Array(0), dataFrames: [], ended: false, reset: null };
      this.responses.set(streamId, response);
    }
    return response;
  }

  /** The server's frames of one type. */
  framesOf<T extends Frame["type"]>(type: T): Array<Extract<Frame, { type: T }>> {
    return this.frames.filter((f): f is Extract<Frame, { type: T }> => f.type === type);
  }

  /** The server's GOAWAY, or null. */
  get serverGoaway(): GoawayFrame | null {
    return this.framesOf("GOAWAY")[0] ?? null;
  }

  /** The RST_STREAM codes the server sent, by stream. */
  resets(): Map<number, number> {
    return new Map(this.framesOf("RST_STREAM").map((f) => [f.streamId, f.errorCode]));
  }

  private take(frame: Frame): void {
    this.frames.push(frame);
    switch (frame.type) {
      case "SETTINGS":
        if (!frame.ack) this.serverSettings(frame.settings);
        return;
      case "HEADERS":
      case "CONTINUATION":
        return this.fieldBlock(frame);
      case "DATA":
        return this.dataIn(frame.streamId, frame.data, frame.endStream, frame.flowControlledLength);
      case "RST_STREAM":
        this.response(frame.streamId).reset = frame.errorCode;
        return;
    }
  }

  private serverSettings(settings: readonly SettingPair[]): void {
    for (const { id, value } of settings) if (id === SETTING.MAX_FRAME_SIZE) this.serverMaxFrameSize = value;
    if (this.options.autoAck !== false) this.settingsAck();
  }

  private fieldBlock(frame: Frame & { type: "HEADERS" | "CONTINUATION" }): void {
    const outcome = this.assembler.take(frame);
    if (outcome.kind !== "header-block") return;
    const decoded = this.hpackIn.decode(outcome.block);
    if (decoded.kind !== "fields") throw new Error(`the server's field block does not decode: ${decoded.kind}`);
    const response = this.response(outcome.start.streamId);
    for (const { name, value } of decoded.fields) {
      if (name === ":status") response.status ??= Number(value);
      else response.headers.push([name, value]);
    }
    if (outcome.start.type === "HEADERS" && outcome.start.endStream) response.ended = true;
  }

  private dataIn(streamId: number, data: Uint8Array, endStream: boolean, length: number): void {
    const response = this.response(streamId);
    const body = new Uint8Array(response.body.length + data.length);
    body.set(response.body);
    body.set(data, response.body.length);
    response.body = body;
    response.dataFrames.push(data.length);
    if (endStream) response.ended = true;
    if (this.options.autoWindow === true && length > 0) {
      this.windowUpdate(0, length);
      if (!endStream) this.windowUpdate(streamId, length);
    }
  }
}

/** The frame with each byte field a copy of its own. */
function copyFrame(frame: Frame): Frame {
  const out: Record<string, unknown> = { ...frame };
  for (const [key, value] of Object.entries(out)) {
    if (value instanceof Uint8Array) out[key] = value.slice();
  }
  return out as unknown as Frame;
}

/** A text body's bytes as a string. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
