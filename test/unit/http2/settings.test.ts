import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applySettings,
  changedSettings,
  checkSetting,
  DEFAULT_SETTINGS,
  SETTING,
  type Settings,
} from "../../../src/http2/settings.ts";

describe("Settings (RFC 9113 §6.5.2)", () => {
  it("starts at the initial values of §6.5.2", () => {
    expect(DEFAULT_SETTINGS).toEqual({
      headerTableSize: 4096,
      enablePush: true,
      maxConcurrentStreams: Infinity,
      initialWindowSize: 65535,
      maxFrameSize: 16384,
      maxHeaderListSize: Infinity,
      enableConnectProtocol: false,
      noRfc7540Priorities: false,
    });
  });

  it("applies each value in order, a later one replacing an earlier, unknown identifiers ignored (§6.5.3)", () => {
    const applied = applySettings(DEFAULT_SETTINGS, [
      { id: SETTING.HEADER_TABLE_SIZE, value: 0 },
      { id: SETTING.ENABLE_PUSH, value: 0 },
      { id: SETTING.MAX_CONCURRENT_STREAMS, value: 100 },
      { id: SETTING.INITIAL_WINDOW_SIZE, value: 1 << 20 },
      { id: SETTING.INITIAL_WINDOW_SIZE, value: 2 ** 31 - 1 },
      { id: SETTING.MAX_FRAME_SIZE, value: 16777215 },
      { id: SETTING.MAX_HEADER_LIST_SIZE, value: 8192 },
      { id: SETTING.ENABLE_CONNECT_PROTOCOL, value: 1 },
      { id: SETTING.NO_RFC7540_PRIORITIES, value: 1 },
      { id: 0x7, value: 99 },
      { id: 0xffff, value: 0xffffffff },
    ]);
    expect(applied).toEqual({
      kind: "settings",
      settings: {
        headerTableSize: 0,
        enablePush: false,
        maxConcurrentStreams: 100,
        initialWindowSize: 2 ** 31 - 1,
        maxFrameSize: 16777215,
        maxHeaderListSize: 8192,
        enableConnectProtocol: true,
        noRfc7540Priorities: true,
      },
    });
  });

  it.each([
    [SETTING.ENABLE_PUSH, 2, "PROTOCOL_ERROR"],
    [SETTING.ENABLE_PUSH, 0xffffffff, "PROTOCOL_ERROR"],
    [SETTING.INITIAL_WINDOW_SIZE, 2 ** 31, "FLOW_CONTROL_ERROR"],
    [SETTING.INITIAL_WINDOW_SIZE, 0xffffffff, "FLOW_CONTROL_ERROR"],
    [SETTING.MAX_FRAME_SIZE, 0, "PROTOCOL_ERROR"],
    [SETTING.MAX_FRAME_SIZE, 16383, "PROTOCOL_ERROR"],
    [SETTING.MAX_FRAME_SIZE, 16777216, "PROTOCOL_ERROR"],
    [SETTING.ENABLE_CONNECT_PROTOCOL, 2, "PROTOCOL_ERROR"],
    [SETTING.NO_RFC7540_PRIORITIES, 2, "PROTOCOL_ERROR"],
  ])("refuses setting %i = %i as a connection %s, applying none of the list", (id, value, code) => {
    expect(checkSetting({ id, value })).toMatchObject({ kind: "connection-error", code });
    const applied = applySettings(DEFAULT_SETTINGS, [{ id: SETTING.HEADER_TABLE_SIZE, value: 0 }, { id, value }]);
    expect(applied).toMatchObject({ kind: "connection-error", code });
  });

  it.each([
    [SETTING.HEADER_TABLE_SIZE, 0xffffffff],
    [SETTING.MAX_CONCURRENT_STREAMS, 0],
    [SETTING.INITIAL_WINDOW_SIZE, 0],
    [SETTING.MAX_HEADER_LIST_SIZE, 0],
    [0x7, 0xffffffff],
    [0xabcd, 0xffffffff],
  ])("takes setting %i = %i", (id, value) => {
    expect(checkSetting({ id, value })).toBeNull();
  });

  it("announces only what differs from the initial values, and applying that gives the settings back", () => {
    const settingsArb: fc.Arbitrary<Settings> = fc.record({
      headerTableSize: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      enablePush: fc.boolean(),
      maxConcurrentStreams: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
      initialWindowSize: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      maxFrameSize: fc.integer({ min: 16384, max: 16777215 }),
      maxHeaderListSize: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
      enableConnectProtocol: fc.boolean(),
      noRfc7540Priorities: fc.boolean(),
    });
    fc.assert(
      fc.property(settingsArb, (settings) => {
        expect(applySettings(DEFAULT_SETTINGS, changedSettings(settings))).toEqual({ kind: "settings", settings });
      }),
    );
    expect(changedSettings(DEFAULT_SETTINGS)).toEqual([]);
    expect(changedSettings({ ...DEFAULT_SETTINGS, enablePush: false, maxConcurrentStreams: 100 })).toEqual([
      { id: SETTING.ENABLE_PUSH, value: 0 },
      { id: SETTING.MAX_CONCURRENT_STREAMS, value: 100 },
    ]);
  });
});
