/**
 * RFC 9113 conformance cases, sections 3 to 5 (h2spec's groups): the preface, the frame format
 * and size, header compression's connection rules, stream states and identifiers, concurrency,
 * priority, error handling and extensions. Data for h2-case-runner.ts.
 */
import { CLIENT_PREFACE } from "../../src/http2/preface.ts";
import { SETTING } from "../../src/http2/settings.ts";
import { encodePing, encodePriority } from "../../src/http2/frame-writer.ts";
import {
  ALIVE,
  answered,
  connectionError,
  dataFrame,
  END_HEADERS,
  END_STREAM,
  FRAME_TYPE,
  headersFrame,
  HOLD,
  holdStream,
  PING_DATA,
  pingAck,
  rawFrame,
  rawHeaders,
  sendGet,
  sendPostHeaders,
  streamError,
  UNKNOWN_TYPE,
} from "./h2-case-helpers.ts";
import type { H2Case } from "./h2-case-runner.ts";
import { ERROR_CASES } from "./h2-cases-errors.ts";
import { STREAM_STATE_CASES } from "./h2-cases-states.ts";
import { isFrame } from "./h2-raw.ts";
import { SITE } from "./h2-servers.ts";
import type { H2Client } from "./h2-raw.ts";

const MAX_FRAME = 2 ** 24 - 1;

function frameSizeApplies(c: H2Client): string | null {
  return c.maxFrameSize() >= MAX_FRAME
    ? `the server's SETTINGS_MAX_FRAME_SIZE is ${c.maxFrameSize()}: no frame can be longer`
    : null;
}

export const CONNECTION_CASES: readonly H2Case[] = [
  {
    id: "3.5/1",
    section: "3.5",
    title: "client connection preface: the server's first frame is SETTINGS",
    send: () => {},
    expect: {
      kind: "check",
      says: "the server's first frame is a SETTINGS without ACK",
      check: (c) => {
        const first = c.events.find((e) => e.kind === "frame");
        const ok = first !== undefined && isFrame(first, "SETTINGS") && !first.frame.ack;
        return Promise.resolve(ok ? null : `first: ${first === undefined ? "nothing" : JSON.stringify(first)}`);
      },
    },
  },
  {
    id: "3.5/2",
    section: "3.5",
    title: "an invalid connection preface",
    raw: true,
    send: (c) => void c.send(new TextEncoder().encode("INVALID CONNECTION PREFACE\r\n\r\n")),
    expect: connectionError("PROTOCOL_ERROR"),
  },
  {
    id: "3.5/3",
    section: "3.5",
    title: "the preface followed by a PING, not SETTINGS",
    raw: true,
    send: (c) => void c.send(CLIENT_PREFACE, encodePing(PING_DATA, false)),
    expect: connectionError("PROTOCOL_ERROR"),
  },
  {
    id: "4.1/1",
    section: "4.1",
    title: "a frame of an unknown type",
    send: (c) => void c.send(rawFrame(UNKNOWN_TYPE, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8])),
    expect: ALIVE,
  },
  {
    id: "4.1/2",
    section: "4.1",
    title: "a PING with undefined flags set",
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PING, 0x16 | 0xc0, 0, PING_DATA)),
    expect: pingAck(PING_DATA),
  },
  {
    id: "4.1/3",
    section: "4.1",
    title: "a HEADERS with the reserved bit of its stream identifier set",
    send: (c) => {
      const frame = headersFrame(c, 1, c.requestFields(), END_STREAM | END_HEADERS);
      frame[5] = frame[5]! | 0x80;
      c.send(frame);
    },
    expect: answered(1),
  },
  {
    id: "4.2/1",
    section: "4.2",
    title: "a DATA frame of 2^14 octets",
    send: (c) => {
      sendPostHeaders(c, 1, [["content-length", String(2 ** 14)]]);
      c.send(dataFrame(1, new Uint8Array(2 ** 14), true));
    },
    expect: answered(1),
  },
  {
    id: "4.2/2",
    section: "4.2",
    title: "a DATA frame over the server's SETTINGS_MAX_FRAME_SIZE",
    applies: frameSizeApplies,
    send: (c) => {
      sendPostHeaders(c, 1);
      c.send(dataFrame(1, new Uint8Array(c.maxFrameSize() + 1), true));
    },
    expect: streamError("FRAME_SIZE_ERROR"),
  },
  {
    id: "4.2/3",
    section: "4.2",
    title: "a HEADERS frame over the server's SETTINGS_MAX_FRAME_SIZE",
    applies: frameSizeApplies,
    send: (c) => {
      const fields = c.requestFields(SITE.index, [["x-big", "a".repeat(c.maxFrameSize())]]);
      c.send(rawHeaders(1, c.encode(fields)));
    },
    expect: connectionError("FRAME_SIZE_ERROR"),
  },
  {
    id: "4.3/1",
    section: "4.3",
    title: "a field block that cannot be decoded (a string literal cut short)",
    send: (c) => void c.send(rawHeaders(1, [0x82, 0x86, 0x84, 0x41, 0x8f, 0x61])),
    expect: connectionError("COMPRESSION_ERROR"),
  },
  {
    id: "4.3/2",
    section: "4.3",
    title: "a PRIORITY frame while the field block is open",
    send: (c) => {
      c.send(headersFrame(c, 1, c.requestFields(), END_STREAM));
      c.send(encodePriority(1, { exclusive: false, dependency: 0, weight: 16 }));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  },
  {
    id: "4.3/3",
    section: "4.3",
    title: "a HEADERS frame on another stream while the field block is open",
    send: (c) => {
      c.send(headersFrame(c, 1, c.requestFields(), END_STREAM));
      c.send(headersFrame(c, 3, c.requestFields(), END_STREAM | END_HEADERS));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  },
  ...STREAM_STATE_CASES,
  {
    id: "5.1.1/1",
    section: "5.1.1",
    title: "an even-numbered stream identifier",
    send: (c) => sendGet(c, 2),
    expect: connectionError("PROTOCOL_ERROR"),
  },
  {
    id: "5.1.1/2",
    section: "5.1.1",
    title: "a stream identifier smaller than the previous one",
    send: (c) => {
      sendGet(c, 5);
      sendGet(c, 3);
    },
    expect: connectionError("PROTOCOL_ERROR"),
  },
  {
    id: "5.1.2/1",
    section: "5.1.2",
    title: "one HEADERS more than SETTINGS_MAX_CONCURRENT_STREAMS, all streams held open",
    settings: HOLD,
    applies: (c) => {
      const max = c.serverSettings.get(SETTING.MAX_CONCURRENT_STREAMS);
      return max === undefined || max > 1000
        ? `the server's SETTINGS_MAX_CONCURRENT_STREAMS is ${max ?? "unlimited"}`
        : null;
    },
    send: (c) => {
      const max = c.serverSettings.get(SETTING.MAX_CONCURRENT_STREAMS)!;
      for (let i = 0; i <= max; i++) holdStream(c, 2 * i + 1);
    },
    expect: {
      kind: "check",
      says: "the stream past the limit: a stream error PROTOCOL_ERROR or REFUSED_STREAM",
      check: async (c, from) => {
        const last = 2 * c.serverSettings.get(SETTING.MAX_CONCURRENT_STREAMS)! + 1;
        const verdict = await c.waitFor(
          (e) => {
            if (isFrame(e, "RST_STREAM") && e.frame.streamId === last) {
              return e.frame.errorCode === 1 ||
                e.frame.errorCode === 7;
            }
            if (isFrame(e, "GOAWAY")) return e.frame.errorCode === 1 || e.frame.errorCode === 7;
            return e.kind === "closed" ? true : undefined;
          },
          3000,
          from,
        );
        return verdict === true ? null : `no refusal of stream ${last}`;
      },
    },
  },
  ...ERROR_CASES,
];
