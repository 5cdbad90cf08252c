/**
 * RFC 9113 conformance cases, section 6 (each frame type and its error cases, h2spec's groups)
 * and section 7 (unknown error codes). Flow control (§6.9) and SETTINGS (§6.5) have files of
 * their own (h2-cases-flow.ts). Data for h2-case-runner.ts.
 */
import { encodeGoaway, encodePriority, encodeRstStream } from "../../src/http2/frame-writer.ts";
import {
  ACK,
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
  PADDED,
  PING_DATA,
  pingAck,
  PRIORITY,
  rawFrame,
  rawHeaders,
  sendGet,
  sendPostHeaders,
  streamError,
} from "./h2-case-helpers.ts";
import type { H2Case } from "./h2-case-runner.ts";
import { isFrame } from "./h2-raw.ts";

const c6 = (section: string, n: number, title: string, rest: Omit<H2Case, "id" | "section" | "title">): H2Case => ({
  id: `${section}/${n}`,
  section,
  title,
  ...rest,
});

/** A padded payload: Pad Length, the content, then padLength zero octets. */
function padded(content: Uint8Array, padLength: number, declared = padLength): Uint8Array {
  const out = new Uint8Array(1 + content.length + padLength);
  out[0] = declared;
  out.set(content, 1);
  return out;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export const FRAME_CASES: readonly H2Case[] = [
  c6("6.1", 1, "DATA on stream 0", {
    send: (c) => void c.send(dataFrame(0, "test", true)),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.1", 2, "DATA on a stream neither open nor half-closed (local)", {
    settings: HOLD,
    send: (c) => {
      holdStream(c);
      c.send(dataFrame(1, "test", true));
    },
    expect: streamError("STREAM_CLOSED"),
  }),
  c6("6.1", 3, "DATA whose padding is as long as its payload", {
    send: (c) => {
      sendPostHeaders(c, 1);
      c.send(rawFrame(FRAME_TYPE.DATA, END_STREAM | PADDED, 1, padded(text("test"), 0, 5)));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.1", 4, "DATA padded properly, ending the request", {
    send: (c) => {
      sendPostHeaders(c, 1, [["content-length", "4"]]);
      c.send(rawFrame(FRAME_TYPE.DATA, END_STREAM | PADDED, 1, padded(text("test"), 10)));
    },
    expect: answered(1),
  }),
  c6("6.2", 1, "HEADERS without END_HEADERS, then a PRIORITY", {
    send: (c) => {
      c.send(headersFrame(c, 1, c.requestFields(), END_STREAM));
      c.send(encodePriority(1, { exclusive: false, dependency: 0, weight: 16 }));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.2", 2, "HEADERS to another stream while a field block is open", {
    send: (c) => {
      c.send(headersFrame(c, 1, c.requestFields(), END_STREAM));
      c.send(headersFrame(c, 3, c.requestFields(), END_STREAM | END_HEADERS));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.2", 3, "HEADERS on stream 0", {
    send: (c) => void c.send(headersFrame(c, 0, c.requestFields(), END_STREAM | END_HEADERS)),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.2", 4, "HEADERS whose padding is longer than its payload", {
    send: (c) => {
      const block = c.encode(c.requestFields());
      c.send(rawHeaders(1, padded(block, 0, block.length + 1), END_STREAM | END_HEADERS | PADDED));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.2", 5, "HEADERS padded properly and with priority fields", {
    send: (c) => {
      const block = c.encode(c.requestFields());
      const content = new Uint8Array(5 + block.length);
      content.set([0, 0, 0, 0, 31]);
      content.set(block, 5);
      c.send(rawHeaders(1, padded(content, 20), END_STREAM | END_HEADERS | PADDED | PRIORITY));
    },
    expect: answered(1, 200),
  }),
  c6("6.3", 1, "PRIORITY on stream 0", {
    send: (c) => void c.send(encodePriority(0, { exclusive: false, dependency: 1, weight: 16 })),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.3", 2, "PRIORITY of 4 octets, not 5", {
    settings: HOLD,
    send: (c) => {
      holdStream(c);
      c.send(rawFrame(FRAME_TYPE.PRIORITY, 0, 1, [0, 0, 0, 0]));
    },
    expect: streamError("FRAME_SIZE_ERROR"),
  }),
  c6("6.4", 1, "RST_STREAM on stream 0", {
    send: (c) => void c.send(encodeRstStream(0, "CANCEL")),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.4", 2, "RST_STREAM on an idle stream", {
    send: (c) => void c.send(encodeRstStream(1, "CANCEL")),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.4", 3, "RST_STREAM of 3 octets, not 4", {
    settings: HOLD,
    send: (c) => {
      holdStream(c);
      c.send(rawFrame(FRAME_TYPE.RST_STREAM, 0, 1, [0, 0, 8]));
    },
    expect: connectionError("FRAME_SIZE_ERROR"),
  }),
  c6("6.7", 1, "a PING: its ACK carries the same data", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PING, 0, 0, PING_DATA)),
    expect: pingAck(PING_DATA),
  }),
  c6("6.7", 2, "a PING with ACK is not answered", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PING, ACK, 0, [9, 9, 9, 9, 9, 9, 9, 9])),
    expect: {
      kind: "check",
      says: "no PING ACK for our ACK; a later PING is answered",
      check: async (c, from) => {
        const answered = await c.ping(PING_DATA, 3000);
        const echoed = c.events.slice(from).some((e) => isFrame(e, "PING") && e.frame.opaqueData[0] === 9);
        return answered && !echoed ? null : `answered: ${answered}, our ACK echoed: ${echoed}`;
      },
    },
  }),
  c6("6.7", 3, "PING on a stream other than 0", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PING, 0, 1, PING_DATA)),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.7", 4, "PING of 6 octets, not 8", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PING, 0, 0, [1, 2, 3, 4, 5, 6])),
    expect: connectionError("FRAME_SIZE_ERROR"),
  }),
  c6("6.8", 1, "GOAWAY on a stream other than 0", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.GOAWAY, 0, 1, [0, 0, 0, 0, 0, 0, 0, 0])),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  c6("6.8", 2, "GOAWAY of 7 octets (shorter than its fixed fields)", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.GOAWAY, 0, 0, [0, 0, 0, 0, 0, 0, 0])),
    expect: connectionError("FRAME_SIZE_ERROR"),
  }),
  c6("6.8", 3, "a request, then our GOAWAY (NO_ERROR): the stream already opened is still answered", {
    send: (c) => {
      sendGet(c, 1);
      c.send(encodeGoaway(1, "NO_ERROR"));
    },
    expect: answered(1, 200),
  }),
  ...continuationCases(),
  c6("7", 1, "GOAWAY with an unknown error code", {
    send: (c) => void c.send(encodeGoaway(0, 0xff)),
    expect: {
      kind: "check",
      says: "no special behaviour: a PING is answered, or the connection closes gracefully (no error GOAWAY)",
      check: async (c, from) => {
        await c.ping(PING_DATA, 3000);
        const errors = c.events.slice(from).filter((e) => isFrame(e, "GOAWAY") && e.frame.errorCode !== 0);
        const pinged = c.events.slice(from).some((e) => isFrame(e, "PING") && e.frame.ack);
        return errors.length === 0 && (pinged || c.closed) ? null : `GOAWAYs with errors: ${errors.length}`;
      },
    },
  }),
  c6("7", 2, "RST_STREAM with an unknown error code", {
    settings: HOLD,
    send: (c) => {
      holdStream(c);
      c.send(encodeRstStream(1, 0xff));
    },
    expect: ALIVE,
  }),
];

/** §6.10: CONTINUATION frames and the field block they belong to. */
function continuationCases(): H2Case[] {
  const fragment = (id: number, flags: number, bytes: Uint8Array): Uint8Array =>
    rawFrame(FRAME_TYPE.CONTINUATION, flags, id, bytes);
  return [
    c6("6.10", 1, "HEADERS and several CONTINUATION frames", {
      send: (c) => {
        const block = c.encode(c.requestFields("/", [["x-one", "1"], ["x-two", "2"], ["x-three", "3"]]));
        const cut = [Math.floor(block.length / 3), Math.floor((2 * block.length) / 3)];
        c.send(rawHeaders(1, block.subarray(0, cut[0]), END_STREAM));
        c.send(fragment(1, 0, block.subarray(cut[0], cut[1])));
        c.send(fragment(1, END_HEADERS, block.subarray(cut[1])));
      },
      expect: answered(1, 200),
    }),
    c6("6.10", 2, "a CONTINUATION then a frame other than CONTINUATION", {
      send: (c) => {
        const block = c.encode(c.requestFields());
        c.send(rawHeaders(1, block.subarray(0, 2), END_STREAM));
        c.send(fragment(1, 0, block.subarray(2, 4)));
        c.send(dataFrame(1, "test", true));
      },
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    c6("6.10", 3, "a CONTINUATION on stream 0", {
      send: (c) => {
        const block = c.encode(c.requestFields());
        c.send(rawHeaders(1, block.subarray(0, 2), END_STREAM));
        c.send(fragment(0, END_HEADERS, block.subarray(2)));
      },
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    c6("6.10", 4, "a CONTINUATION after a HEADERS with END_HEADERS", {
      send: (c) => {
        sendGet(c, 1);
        c.send(fragment(1, END_HEADERS, c.encode([["x-late", "1"]])));
      },
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    c6("6.10", 5, "a CONTINUATION after a CONTINUATION with END_HEADERS", {
      send: (c) => {
        const block = c.encode(c.requestFields());
        c.send(rawHeaders(1, block.subarray(0, 2), END_STREAM));
        c.send(fragment(1, END_HEADERS, block.subarray(2)));
        c.send(fragment(1, END_HEADERS, c.encode([["x-late", "1"]])));
      },
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    c6("6.10", 6, "a CONTINUATION after a DATA frame", {
      send: (c) => {
        sendPostHeaders(c, 1);
        c.send(dataFrame(1, "test", false));
        c.send(fragment(1, END_HEADERS, c.encode([["x-late", "1"]])));
      },
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    c6("6.10", 7, "a CONTINUATION on another stream than the open field block's", {
      send: (c) => {
        const block = c.encode(c.requestFields());
        c.send(rawHeaders(1, block.subarray(0, 2), END_STREAM));
        c.send(fragment(3, END_HEADERS, block.subarray(2)));
      },
      expect: connectionError("PROTOCOL_ERROR"),
    }),
  ];
}
