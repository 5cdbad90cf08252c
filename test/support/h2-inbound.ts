/**
 * The raw HTTP/2 client's inbound side (h2-raw.ts): the server's bytes read into frames by
 * src/http2/frame-reader.ts, field blocks (HEADERS or PUSH_PROMISE and their CONTINUATIONs)
 * decoded by src/http2/hpack/decoder.ts, each recorded as an event; and what a well-behaved
 * client answers by itself, unless told not to: SETTINGS and PINGs acknowledged (§6.5.3, §6.7),
 * each DATA frame's share of the windows given back (§6.9).
 */
import type { Frame } from "../../src/http2/frame.ts";
import { FrameReader } from "../../src/http2/frame-reader.ts";
import { encodePing, encodeSettingsAck, encodeWindowUpdate } from "../../src/http2/frame-writer.ts";
import { HpackDecoder } from "../../src/http2/hpack/decoder.ts";
import { SETTING, type SettingPair } from "../../src/http2/settings.ts";
import { copyFrame, type H2Event } from "./h2-events.ts";

export interface InboundOptions {
  /** Our SETTINGS, sent after the preface (none: an empty SETTINGS). */
  readonly settings?: readonly SettingPair[];
  /** Acknowledge the server's SETTINGS (default true). */
  readonly ackSettings?: boolean;
  /** Answer the server's PINGs (default true). */
  readonly ackPings?: boolean;
  /** Give back what each DATA frame took of both windows (default true). */
  readonly windowUpdates?: boolean;
}

/** Where the inbound side puts what it read, and how it answers. */
export interface InboundSink {
  record(event: H2Event): void;
  send(...pieces: Uint8Array[]): void;
}

export class H2Inbound {
  /** The server's settings as received so far (id -> value). */
  readonly serverSettings = new Map<number, number>();
  private readonly decoder = new HpackDecoder({ maxHeaderListSize: 1 << 24, maxFields: 1 << 20 });
  private readonly reader: FrameReader;
  private block: { streamId: number; parts: Uint8Array[]; endStream: boolean; promised?: number } | null = null;
  private readerBroken = false;

  constructor(private readonly sink: InboundSink, private readonly options: InboundOptions) {
    this.reader = new FrameReader((event) => {
      if ("kind" in event) {
        this.sink.record({ kind: "violation", reason: `stream error ${event.code}: ${event.reason}` });
        return null;
      }
      this.onFrame(copyFrame(event));
      return null;
    }, advertised(options.settings ?? [], SETTING.MAX_FRAME_SIZE) ?? 2 ** 14);
  }

  /** Reads a piece of the server's output; after a rule it breaks, the rest is not read. */
  feed(chunk: Uint8Array): void {
    if (this.readerBroken) return;
    const failure = this.reader.feed(chunk);
    if (failure === null) return;
    this.readerBroken = true;
    this.sink.record({ kind: "violation", reason: `connection error ${failure.code}: ${failure.reason}` });
  }

  private onFrame(frame: Frame): void {
    this.sink.record({ kind: "frame", frame });
    switch (frame.type) {
      case "SETTINGS":
        return this.onSettings(frame.ack, frame.settings);
      case "PING":
        if (!frame.ack && this.options.ackPings !== false) this.sink.send(encodePing(frame.opaqueData, true));
        return;
      case "DATA":
        return this.giveBackWindow(frame.streamId, frame.flowControlledLength, frame.endStream);
      case "HEADERS":
        this.block = { streamId: frame.streamId, parts: [frame.fragment], endStream: frame.endStream };
        return frame.endHeaders ? this.decodeBlock() : undefined;
      case "PUSH_PROMISE":
        this.block = {
          streamId: frame.streamId,
          parts: [frame.fragment],
          endStream: false,
          promised: frame.promisedStreamId,
        };
        return frame.endHeaders ? this.decodeBlock() : undefined;
      case "CONTINUATION":
        this.block?.parts.push(frame.fragment);
        return frame.endHeaders ? this.decodeBlock() : undefined;
    }
  }

  private onSettings(ack: boolean, settings: readonly SettingPair[]): void {
    if (ack) {
      const size = advertised(this.options.settings ?? [], SETTING.HEADER_TABLE_SIZE);
      if (size !== undefined) this.decoder.setMaxTableSize(size);
      return;
    }
    for (const { id, value } of settings) this.serverSettings.set(id, value);
    if (this.options.ackSettings !== false) this.sink.send(encodeSettingsAck());
  }

  /** §6.9: what a DATA frame took of the connection's window and its stream's, given back. */
  private giveBackWindow(streamId: number, length: number, endStream: boolean): void {
    if (this.options.windowUpdates === false || length === 0) return;
    const updates = [encodeWindowUpdate(0, length)];
    if (!endStream) updates.push(encodeWindowUpdate(streamId, length));
    this.sink.send(...updates);
  }

  private decodeBlock(): void {
    const block = this.block!;
    this.block = null;
    const result = this.decoder.decode(Buffer.concat(block.parts));
    if (result.kind !== "fields") {
      this.sink.record({ kind: "violation", reason: `the server's field block on ${block.streamId}: ${result.kind}` });
      return;
    }
    this.sink.record({
      kind: "fields",
      streamId: block.streamId,
      fields: result.fields.map((f) => [f.name, f.value] as const),
      endStream: block.endStream,
      promised: block.promised,
    });
  }
}

/** The last value we announce for a setting, if we announce it. */
function advertised(settings: readonly SettingPair[], id: number): number | undefined {
  const values = settings.filter((s) => s.id === id);
  return values.length === 0 ? undefined : values[values.length - 1]!.value;
}
