/**
 * RFC 9113 conformance cases for SETTINGS (§6.5, §6.5.2, §6.5.3) and flow control (§6.9,
 * §6.9.1, §6.9.2), as h2spec groups them. Data for h2-case-runner.ts.
 */
import { encodeSettings, encodeWindowUpdate } from "../../src/http2/frame-writer.ts";
import { SETTING } from "../../src/http2/settings.ts";
import {
  ACK,
  ALIVE,
  awaitHeaders,
  connectionError,
  FRAME_TYPE,
  HOLD,
  holdStream,
  rawFrame,
  sendGet,
  streamError,
} from "./h2-case-helpers.ts";
import type { Expectation, H2Case } from "./h2-case-runner.ts";
import { summarize } from "./h2-events.ts";
import { type H2Client, isFrame } from "./h2-raw.ts";
import { SITE } from "./h2-servers.ts";

const f = (section: string, n: number, title: string, rest: Omit<H2Case, "id" | "section" | "title">): H2Case => ({
  id: `${section}/${n}`,
  section,
  title,
  ...rest,
});

const MAX_WINDOW = 2 ** 31 - 1;

/** The DATA octets received on a stream from event `from` on. */
function dataOn(c: H2Client, streamId: number, from: number): number[] {
  return c.events.slice(from).flatMap((e) =>
    isFrame(e, "DATA") && e.frame.streamId === streamId ? [e.frame.flowControlledLength] : []
  );
}

/** The server sends DATA on stream 1, and no frame of it (nor all of them together) is over `window` octets. */
function dataWithin(window: number, settle = 300): Expectation {
  return {
    kind: "check",
    says: `DATA on stream 1 within a window of ${window} octets`,
    check: async (c, from) => {
      const first = await c.waitFor((e) => isFrame(e, "DATA") && e.frame.streamId === 1, 3000, from);
      if (first === null) return `no DATA: ${summarize(c.events.slice(from))}`;
      await new Promise((resolve) => setTimeout(resolve, settle));
      const sizes = dataOn(c, 1, from);
      const total = sizes.reduce((a, b) => a + b, 0);
      return total > 0 && total <= window ? null : `DATA sizes ${sizes.join(",")} (window ${window})`;
    },
  };
}

/** A SETTINGS ACK comes after the case's frames. */
const SETTINGS_ACK: Expectation = {
  kind: "check",
  says: "a SETTINGS ACK",
  check: async (c, from) => {
    const ack = await c.waitFor((e) => isFrame(e, "SETTINGS") && e.frame.ack, 3000, from);
    return ack !== null ? null : summarize(c.events.slice(from));
  },
};

export const FLOW_CASES: readonly H2Case[] = [
  f("6.5", 1, "SETTINGS with ACK and a payload", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.SETTINGS, ACK, 0, [0, 1, 0, 0, 16, 0])),
    expect: connectionError("FRAME_SIZE_ERROR"),
  }),
  f("6.5", 2, "SETTINGS on a stream other than 0", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.SETTINGS, 0, 1, [])),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  f("6.5", 3, "SETTINGS of 3 octets, not a multiple of 6", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.SETTINGS, 0, 0, [0, 3, 0])),
    expect: connectionError("FRAME_SIZE_ERROR"),
  }),
  f("6.5.2", 1, "SETTINGS_ENABLE_PUSH of 2", {
    send: (c) => void c.send(encodeSettings([{ id: SETTING.ENABLE_PUSH, value: 2 }])),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  f("6.5.2", 2, "SETTINGS_INITIAL_WINDOW_SIZE of 2^31", {
    send: (c) => void c.send(encodeSettings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 2 ** 31 }])),
    expect: connectionError("FLOW_CONTROL_ERROR"),
  }),
  f("6.5.2", 3, "SETTINGS_MAX_FRAME_SIZE of 2^14-1", {
    send: (c) => void c.send(encodeSettings([{ id: SETTING.MAX_FRAME_SIZE, value: 2 ** 14 - 1 }])),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  f("6.5.2", 4, "SETTINGS_MAX_FRAME_SIZE of 2^24", {
    send: (c) => void c.send(encodeSettings([{ id: SETTING.MAX_FRAME_SIZE, value: 2 ** 24 }])),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  f("6.5.2", 5, "SETTINGS with an unknown identifier", {
    send: (c) => void c.send(encodeSettings([{ id: 0xff, value: 1 }])),
    expect: SETTINGS_ACK,
  }),
  f("6.5.3", 1, "SETTINGS_INITIAL_WINDOW_SIZE twice in one frame (100, then 1): the last applies", {
    manualWindow: true,
    send: (c) => {
      c.send(
        encodeSettings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 100 }, {
          id: SETTING.INITIAL_WINDOW_SIZE,
          value: 1,
        }]),
      );
      sendGet(c, 1, SITE.large);
    },
    expect: dataWithin(1),
  }),
  f("6.5.3", 2, "SETTINGS without ACK: acknowledged", {
    send: (c) => void c.send(encodeSettings([])),
    expect: SETTINGS_ACK,
  }),
  f("6.9", 1, "WINDOW_UPDATE of 0 on the connection", {
    send: (c) => void c.send(encodeWindowUpdate(0, 0)),
    expect: connectionError("PROTOCOL_ERROR"),
  }),
  f("6.9", 2, "WINDOW_UPDATE of 0 on an open stream", {
    settings: HOLD,
    send: (c) => {
      holdStream(c);
      c.send(encodeWindowUpdate(1, 0));
    },
    expect: streamError("PROTOCOL_ERROR"),
  }),
  f("6.9", 3, "WINDOW_UPDATE of 3 octets, not 4", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.WINDOW_UPDATE, 0, 0, [0, 0, 1])),
    expect: connectionError("FRAME_SIZE_ERROR"),
  }),
  f("6.9", 4, "WINDOW_UPDATE with its reserved bit set (ignored)", {
    send: (c) => void c.send(rawFrame(FRAME_TYPE.WINDOW_UPDATE, 0, 0, [0x80, 0, 0, 1])),
    expect: ALIVE,
  }),
  f("6.9.1", 1, "SETTINGS_INITIAL_WINDOW_SIZE of 1, then a GET", {
    settings: [{ id: SETTING.INITIAL_WINDOW_SIZE, value: 1 }],
    manualWindow: true,
    send: (c) => sendGet(c, 1, SITE.large),
    expect: dataWithin(1),
  }),
  f("6.9.1", 2, "WINDOW_UPDATEs taking the connection's window past 2^31-1", {
    send: (c) => void c.send(encodeWindowUpdate(0, MAX_WINDOW), encodeWindowUpdate(0, MAX_WINDOW)),
    expect: connectionError("FLOW_CONTROL_ERROR"),
  }),
  f("6.9.1", 3, "WINDOW_UPDATEs taking a stream's window past 2^31-1", {
    settings: HOLD,
    send: (c) => {
      holdStream(c);
      c.send(encodeWindowUpdate(1, MAX_WINDOW), encodeWindowUpdate(1, MAX_WINDOW));
    },
    expect: streamError("FLOW_CONTROL_ERROR"),
  }),
  f("6.9.2", 1, "SETTINGS_INITIAL_WINDOW_SIZE raised from 0 to 1 after the HEADERS", {
    settings: HOLD,
    manualWindow: true,
    send: async (c) => {
      holdStream(c);
      await awaitHeaders(c, 1);
      c.send(encodeSettings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 1 }]));
    },
    expect: dataWithin(1),
  }),
  f("6.9.2", 2, "a window made negative by SETTINGS, then opened by WINDOW_UPDATE", {
    settings: [{ id: SETTING.INITIAL_WINDOW_SIZE, value: 100 }],
    manualWindow: true,
    send: async (c) => {
      sendGet(c, 1, SITE.large);
      const full = await c.waitFor(() => dataOn(c, 1, 0).reduce((a, b) => a + b, 0) >= 100, 3000);
      if (full === null) return;
      c.send(encodeSettings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 50 }]));
      await c.waitFor((e) => isFrame(e, "SETTINGS") && e.frame.ack, 3000, c.events.length);
      c.send(encodeWindowUpdate(1, 60));
    },
    expect: {
      kind: "check",
      says: "100 octets, then exactly 10 once the window is -50 + 60",
      check: async (c) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const sizes = dataOn(c, 1, 0);
        const total = sizes.reduce((a, b) => a + b, 0);
        return total === 110 ? null : `DATA sizes ${sizes.join(",")}: ${total} octets, not 110`;
      },
    },
  }),
  f("6.9.2", 3, "SETTINGS_INITIAL_WINDOW_SIZE over the largest window", {
    send: (c) => void c.send(encodeSettings([{ id: SETTING.INITIAL_WINDOW_SIZE, value: MAX_WINDOW + 1 }])),
    expect: connectionError("FLOW_CONTROL_ERROR"),
  }),
];
