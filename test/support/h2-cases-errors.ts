/**
 * RFC 9113 conformance cases for prioritization (§5.3), error handling (§5.4) and extensions
 * (§5.5), as h2spec groups them. Data for h2-case-runner.ts.
 */
import { encodePriority } from "../../src/http2/frame-writer.ts";
import {
  ALIVE,
  answered,
  awaitEnd,
  connectionError,
  END_HEADERS,
  END_STREAM,
  FRAME_TYPE,
  goawayFirst,
  headersFrame,
  PRIORITY,
  rawFrame,
  rawHeaders,
  sendGet,
  streamError,
  UNKNOWN_TYPE,
} from "./h2-case-helpers.ts";
import type { H2Case } from "./h2-case-runner.ts";

export const ERROR_CASES: readonly H2Case[] = [
  {
    id: "5.3.1/1",
    section: "5.3",
    title: "a HEADERS frame that depends on its own stream",
    send: (c) => {
      const block = c.encode(c.requestFields());
      const payload = new Uint8Array(5 + block.length);
      payload.set([0, 0, 0, 1, 15]);
      payload.set(block, 5);
      c.send(rawHeaders(1, payload, END_STREAM | END_HEADERS | PRIORITY));
    },
    expect: streamError("PROTOCOL_ERROR"),
  },
  {
    id: "5.3.1/2",
    section: "5.3",
    title: "a PRIORITY frame that depends on its own stream",
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PRIORITY, 0, 1, [0, 0, 0, 1, 15])),
    expect: streamError("PROTOCOL_ERROR"),
  },
  {
    id: "5.3/3",
    section: "5.3",
    title: "a PRIORITY on an idle stream, then a request on it",
    send: (c) => {
      c.send(encodePriority(1, { exclusive: false, dependency: 0, weight: 200 }));
      sendGet(c, 1);
    },
    expect: answered(1, 200),
  },
  {
    id: "5.3/4",
    section: "5.3",
    title: "a HEADERS depending, exclusively, on a stream that does not exist",
    send: (c) => {
      const block = c.encode(c.requestFields());
      const payload = new Uint8Array(5 + block.length);
      payload.set([0x80, 0, 0, 7, 99]);
      payload.set(block, 5);
      c.send(rawHeaders(1, payload, END_STREAM | END_HEADERS | PRIORITY));
    },
    expect: answered(1, 200),
  },
  {
    id: "5.4.1/1",
    section: "5.4",
    title: "an invalid PING (6 octets): the connection is closed",
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PING, 0, 0, [1, 2, 3, 4, 5, 6])),
    expect: { kind: "closed" },
  },
  {
    id: "5.4.1/2",
    section: "5.4",
    title: "an invalid PING (6 octets): a GOAWAY first",
    send: (c) => void c.send(rawFrame(FRAME_TYPE.PING, 0, 0, [1, 2, 3, 4, 5, 6])),
    expect: goawayFirst("FRAME_SIZE_ERROR"),
  },
  {
    id: "5.4.1/3",
    section: "5.4",
    title: "a connection error after a whole exchange: the GOAWAY names stream 1 as the last processed",
    send: async (c) => {
      sendGet(c, 1);
      await awaitEnd(c, 1);
      c.send(rawFrame(FRAME_TYPE.PING, 0, 0, [1, 2, 3]));
    },
    expect: {
      kind: "check",
      says: "GOAWAY FRAME_SIZE_ERROR with last stream 1",
      check: async (c, from) => {
        const goaway = await c.goaway(3000, from);
        return goaway.kind === "goaway" && goaway.code === "FRAME_SIZE_ERROR" && goaway.lastStreamId === 1
          ? null
          : JSON.stringify(goaway);
      },
    },
  },
  {
    id: "5.5/1",
    section: "5.5",
    title: "unknown extension frames, on the connection and on a stream, with flags",
    send: (c) => {
      c.send(rawFrame(UNKNOWN_TYPE, 0xff, 0, [1, 2, 3]));
      c.send(rawFrame(0xfe, 0x01, 7, new Uint8Array(100)));
    },
    expect: ALIVE,
  },
  {
    id: "5.5/2",
    section: "5.5",
    title: "an unknown extension frame inside a field block",
    send: (c) => {
      c.send(headersFrame(c, 1, c.requestFields(), END_STREAM));
      c.send(rawFrame(UNKNOWN_TYPE, 0, 1, [1, 2, 3]));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  },
];
