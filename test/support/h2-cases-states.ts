/**
 * RFC 9113 §5.1 conformance cases: which frames each stream state (idle, half-closed (remote),
 * closed by RST_STREAM or by END_STREAM) allows and refuses. Data for h2-case-runner.ts.
 */
import { encodePriority, encodeRstStream, encodeWindowUpdate } from "../../src/http2/frame-writer.ts";
import {
  ALIVE,
  awaitEnd,
  connectionError,
  dataFrame,
  END_HEADERS,
  END_STREAM,
  FRAME_TYPE,
  headersFrame,
  HOLD,
  holdStream,
  rawFrame,
  rawGetBlock,
  rawHeaders,
  sendGet,
  streamError,
} from "./h2-case-helpers.ts";
import type { H2Case } from "./h2-case-runner.ts";
import type { H2Client } from "./h2-raw.ts";

/** §5.1: frames each stream state allows and refuses. */
function streamStates(): H2Case[] {
  const s = (n: number, title: string, rest: Omit<H2Case, "id" | "section" | "title">): H2Case => ({
    id: `5.1/${n}`,
    section: "5.1",
    title,
    ...rest,
  });
  const continuation = (id: number) => rawFrame(FRAME_TYPE.CONTINUATION, END_HEADERS, id, [0x82]);
  const cancelled = (c: H2Client): void => {
    holdStream(c);
    c.send(encodeRstStream(1, "CANCEL"));
  };
  return [
    s(1, "idle: a DATA frame", {
      send: (c) => void c.send(dataFrame(1, "test", true)),
      expect: streamError("PROTOCOL_ERROR", "STREAM_CLOSED"),
    }),
    s(2, "idle: a RST_STREAM frame", {
      send: (c) => void c.send(encodeRstStream(1, "CANCEL")),
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    s(3, "idle: a WINDOW_UPDATE frame", {
      send: (c) => void c.send(encodeWindowUpdate(1, 100)),
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    s(4, "idle: a CONTINUATION frame", {
      send: (c) => void c.send(continuation(1)),
      expect: connectionError("PROTOCOL_ERROR"),
    }),
    s(5, "idle: a PRIORITY frame is allowed", {
      send: (c) => void c.send(encodePriority(9, { exclusive: false, dependency: 0, weight: 16 })),
      expect: ALIVE,
    }),
    s(6, "half-closed (remote): a DATA frame", {
      settings: HOLD,
      send: (c) => {
        holdStream(c);
        c.send(dataFrame(1, "test", true));
      },
      expect: streamError("STREAM_CLOSED"),
    }),
    s(7, "half-closed (remote): a HEADERS frame", {
      settings: HOLD,
      send: (c) => {
        holdStream(c);
        c.send(headersFrame(c, 1, c.requestFields(), END_STREAM | END_HEADERS));
      },
      expect: streamError("STREAM_CLOSED"),
    }),
    s(8, "half-closed (remote): a CONTINUATION frame", {
      settings: HOLD,
      send: (c) => {
        holdStream(c);
        c.send(continuation(1));
      },
      expect: streamError("STREAM_CLOSED", "PROTOCOL_ERROR"),
    }),
    s(9, "closed: a DATA frame after our RST_STREAM", {
      settings: HOLD,
      send: (c) => {
        cancelled(c);
        c.send(dataFrame(1, "test", true));
      },
      expect: streamError("STREAM_CLOSED"),
    }),
    s(10, "closed: a HEADERS frame after our RST_STREAM", {
      settings: HOLD,
      send: (c) => {
        cancelled(c);
        c.send(headersFrame(c, 1, c.requestFields(), END_STREAM | END_HEADERS));
      },
      expect: streamError("STREAM_CLOSED"),
    }),
    s(11, "closed: a CONTINUATION frame after our RST_STREAM", {
      settings: HOLD,
      send: (c) => {
        cancelled(c);
        c.send(continuation(1));
      },
      expect: streamError("STREAM_CLOSED", "PROTOCOL_ERROR"),
    }),
    s(12, "closed: a DATA frame after the response ended", {
      send: async (c) => {
        sendGet(c, 1);
        await awaitEnd(c, 1);
        c.send(dataFrame(1, "test", true));
      },
      expect: streamError("STREAM_CLOSED"),
    }),
    s(13, "closed: a HEADERS frame after the response ended", {
      send: async (c) => {
        sendGet(c, 1);
        await awaitEnd(c, 1);
        c.send(rawHeaders(1, rawGetBlock(c)));
      },
      expect: streamError("STREAM_CLOSED", "PROTOCOL_ERROR"),
    }),
    s(14, "closed: a CONTINUATION frame after the response ended", {
      send: async (c) => {
        sendGet(c, 1);
        await awaitEnd(c, 1);
        c.send(continuation(1));
      },
      expect: streamError("STREAM_CLOSED", "PROTOCOL_ERROR"),
    }),
    s(15, "closed: PRIORITY, WINDOW_UPDATE and RST_STREAM just after the response ended are allowed", {
      send: async (c) => {
        sendGet(c, 1);
        await awaitEnd(c, 1);
        c.send(encodePriority(1, { exclusive: false, dependency: 0, weight: 16 }));
        c.send(encodeWindowUpdate(1, 100));
        c.send(encodeRstStream(1, "CANCEL"));
      },
      expect: ALIVE,
    }),
  ];
}

export const STREAM_STATE_CASES: readonly H2Case[] = streamStates();
