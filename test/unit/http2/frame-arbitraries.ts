/** fast-check arbitraries of frames the writer can write, and the writer call that writes each. */
import fc from "fast-check";
import { FLAG, type Frame, type Priority } from "../../../src/http2/frame.ts";
import {
  encodeData,
  encodeGoaway,
  encodeHeaders,
  encodePing,
  encodePriority,
  encodePushPromise,
  encodeRstStream,
  encodeSettings,
  encodeSettingsAck,
  encodeWindowUpdate,
} from "../../../src/http2/frame-writer.ts";
import { checkSetting, type SettingPair } from "../../../src/http2/settings.ts";

const streamId = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const bytes = (maxLength: number) => fc.uint8Array({ maxLength });

const priorityOf = (id: number) =>
  fc.record({
    exclusive: fc.boolean(),
    dependency: fc.integer({ min: 0, max: 2 ** 31 - 1 }).filter((d) => d !== id),
    weight: fc.integer({ min: 1, max: 256 }),
  });

export const settingPairArb: fc.Arbitrary<SettingPair> = fc
  .record({
    id: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 0xffff })),
    value: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom(16384, 16777215, 2 ** 31 - 1), u32),
  })
  .filter((pair) => checkSetting(pair) === null);

/** One frame of any type the writer writes, with the flags it sets. */
export const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ streamId, endStream: fc.boolean(), data: bytes(300) }).map(({ streamId, endStream, data }): Frame => ({
    type: "DATA",
    streamId,
    flags: endStream ? FLAG.END_STREAM : 0,
    endStream,
    data,
    flowControlledLength: data.length,
  })),
  streamId.chain((id) =>
    fc.record({ endStream: fc.boolean(), priority: fc.option(priorityOf(id)), fragment: bytes(300) }).map((
      { endStream, priority, fragment },
    ): Frame => ({
      type: "HEADERS",
      streamId: id,
      flags: FLAG.END_HEADERS | (endStream ? FLAG.END_STREAM : 0) | (priority === null ? 0 : FLAG.PRIORITY),
      endStream,
      endHeaders: true,
      priority,
      fragment,
    }))
  ),
  streamId.chain((id) =>
    priorityOf(id).map((priority): Frame => ({ type: "PRIORITY", streamId: id, flags: 0, priority }))
  ),
  fc.record({ streamId, errorCode: u32 }).map((f): Frame => ({ type: "RST_STREAM", flags: 0, ...f })),
  fc.array(settingPairArb, { maxLength: 10 }).map((settings): Frame => ({
    type: "SETTINGS",
    streamId: 0,
    flags: 0,
    ack: false,
    settings,
  })),
  fc.constant<Frame>({ type: "SETTINGS", streamId: 0, flags: FLAG.ACK, ack: true, settings: [] }),
  fc.record({ streamId, promisedStreamId: streamId, fragment: bytes(100) }).map((f): Frame => ({
    type: "PUSH_PROMISE",
    flags: FLAG.END_HEADERS,
    endHeaders: true,
    ...f,
  })),
  fc.record({ ack: fc.boolean(), opaqueData: fc.uint8Array({ minLength: 8, maxLength: 8 }) }).map((f): Frame => ({
    type: "PING",
    streamId: 0,
    flags: f.ack ? FLAG.ACK : 0,
    ...f,
  })),
  fc.record({ lastStreamId: fc.integer({ min: 0, max: 2 ** 31 - 1 }), errorCode: u32, debugData: bytes(100) }).map((
    f,
  ): Frame => ({ type: "GOAWAY", streamId: 0, flags: 0, ...f })),
  fc.record({ streamId: fc.integer({ min: 0, max: 2 ** 31 - 1 }), increment: fc.integer({ min: 1, max: 2 ** 31 - 1 }) })
    .map((f): Frame => ({ type: "WINDOW_UPDATE", flags: 0, ...f })),
);

/** The frame as the writer writes it. */
export function encodeFrameValue(frame: Frame): Uint8Array {
  switch (frame.type) {
    case "DATA":
      return encodeData(frame.streamId, frame.data, frame.endStream);
    case "HEADERS": {
      const priority: Priority | undefined = frame.priority ?? undefined;
      return encodeHeaders(frame.streamId, frame.fragment, {
        endStream: frame.endStream,
        maxFrameSize: 16384,
        priority,
      });
    }
    case "PRIORITY":
      return encodePriority(frame.streamId, frame.priority);
    case "RST_STREAM":
      return encodeRstStream(frame.streamId, frame.errorCode);
    case "SETTINGS":
      return frame.ack ? encodeSettingsAck() : encodeSettings(frame.settings);
    case "PUSH_PROMISE":
      return encodePushPromise(frame.streamId, frame.promisedStreamId, frame.fragment, 16384);
    case "PING":
      return encodePing(frame.opaqueData, frame.ack);
    case "GOAWAY":
      return encodeGoaway(frame.lastStreamId, frame.errorCode, frame.debugData);
    case "WINDOW_UPDATE":
      return encodeWindowUpdate(frame.streamId, frame.increment);
    case "CONTINUATION":
      throw new Error("CONTINUATION frames come from encodeHeaders' splitting");
  }
}
