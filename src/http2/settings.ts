import { type ConnectionError, connectionError } from "./error.ts";

/**
 * The settings identifiers of RFC 9113 §6.5.2, with two extensions a server may receive:
 * ENABLE_CONNECT_PROTOCOL (RFC 8441 §3) and NO_RFC7540_PRIORITIES (RFC 9218 §2.1). Any other
 * identifier is unknown and ignored (§6.5.2).
 */
export const SETTING = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
  ENABLE_CONNECT_PROTOCOL: 0x8,
  NO_RFC7540_PRIORITIES: 0x9,
} as const;

/** One (identifier, value) pair of a SETTINGS frame (§6.5.1): a 16-bit identifier, a 32-bit value. */
export interface SettingPair {
  readonly id: number;
  readonly value: number;
}

/** §6.9.1: the largest flow-control window, and so the largest INITIAL_WINDOW_SIZE. */
export const MAX_WINDOW_SIZE = 2 ** 31 - 1;
/** §4.2, §6.5.2: SETTINGS_MAX_FRAME_SIZE lies between 2^14 (its initial value) and 2^24-1. */
export const MIN_MAX_FRAME_SIZE = 2 ** 14;
export const MAX_MAX_FRAME_SIZE = 2 ** 24 - 1;

/** What one endpoint has said of itself: the parameters its peer must respect (§6.5). */
export interface Settings {
  readonly headerTableSize: number;
  readonly enablePush: boolean;
  /** Infinity: no limit (the initial value, §6.5.2). */
  readonly maxConcurrentStreams: number;
  readonly initialWindowSize: number;
  readonly maxFrameSize: number;
  /** Infinity: unlimited (the initial value, §6.5.2). */
  readonly maxHeaderListSize: number;
  readonly enableConnectProtocol: boolean;
  readonly noRfc7540Priorities: boolean;
}

/** §6.5.2: each setting's initial value, in force until a SETTINGS frame changes it. */
export const DEFAULT_SETTINGS: Settings = {
  headerTableSize: 4096,
  enablePush: true,
  maxConcurrentStreams: Infinity,
  initialWindowSize: 65535,
  maxFrameSize: MIN_MAX_FRAME_SIZE,
  maxHeaderListSize: Infinity,
  enableConnectProtocol: false,
  noRfc7540Priorities: false,
};

/**
 * Whether a received value is allowed for its identifier: §6.5.2 (ENABLE_PUSH 0 or 1,
 * INITIAL_WINDOW_SIZE at most 2^31-1 else FLOW_CONTROL_ERROR, MAX_FRAME_SIZE within
 * 2^14..2^24-1), RFC 8441 §3 and RFC 9218 §2.1 (0 or 1). Every other value, and every unknown
 * identifier, is allowed.
 */
export function checkSetting(setting: SettingPair): ConnectionError | null {
  const { id, value } = setting;
  switch (id) {
    case SETTING.ENABLE_PUSH:
    case SETTING.ENABLE_CONNECT_PROTOCOL:
    case SETTING.NO_RFC7540_PRIORITIES:
      return value <= 1 ? null : connectionError("PROTOCOL_ERROR", `setting ${id} must be 0 or 1, not ${value}`);
    case SETTING.INITIAL_WINDOW_SIZE:
      return value <= MAX_WINDOW_SIZE
        ? null
        : connectionError("FLOW_CONTROL_ERROR", `SETTINGS_INITIAL_WINDOW_SIZE ${value} over 2^31-1`);
    case SETTING.MAX_FRAME_SIZE:
      return value >= MIN_MAX_FRAME_SIZE && value <= MAX_MAX_FRAME_SIZE
        ? null
        : connectionError("PROTOCOL_ERROR", `SETTINGS_MAX_FRAME_SIZE ${value} outside 2^14..2^24-1`);
    default:
      return null;
  }
}

/** The first value in the list that is not allowed, or null. */
export function checkSettings(list: readonly SettingPair[]): ConnectionError | null {
  for (const setting of list) {
    const bad = checkSetting(setting);
    if (bad !== null) return bad;
  }
  return null;
}

/**
 * A received SETTINGS list applied to the peer's settings: checked whole first, then each
 * value in the order it came, a later one replacing an earlier (§6.5.3); unknown identifiers
 * ignored (§6.5.2). A value out of range is a connection error and nothing is applied.
 */
export function applySettings(
  current: Settings,
  list: readonly SettingPair[],
): { readonly kind: "settings"; readonly settings: Settings } | ConnectionError {
  const bad = checkSettings(list);
  if (bad !== null) return bad;
  const next: { -readonly [K in keyof Settings]: Settings[K] } = { ...current };
  for (const { id, value } of list) setOne(next, id, value);
  return { kind: "settings", settings: next };
}

function setOne(s: { -readonly [K in keyof Settings]: Settings[K] }, id: number, value: number): void {
  switch (id) {
    case SETTING.HEADER_TABLE_SIZE:
      s.headerTableSize = value;
      return;
    case SETTING.ENABLE_PUSH:
      s.enablePush = value === 1;
      return;
    case SETTING.MAX_CONCURRENT_STREAMS:
      s.maxConcurrentStreams = value;
      return;
    case SETTING.INITIAL_WINDOW_SIZE:
      s.initialWindowSize = value;
      return;
    case SETTING.MAX_FRAME_SIZE:
      s.maxFrameSize = value;
      return;
    case SETTING.MAX_HEADER_LIST_SIZE:
      s.maxHeaderListSize = value;
      return;
    case SETTING.ENABLE_CONNECT_PROTOCOL:
      s.enableConnectProtocol = value === 1;
      return;
    case SETTING.NO_RFC7540_PRIORITIES:
      s.noRfc7540Priorities = value === 1;
  }
}

/**
 * The pairs to send to announce settings: those that differ from the initial values (§6.5.2),
 * in identifier order. A limit left at Infinity is not sent (it cannot be: it is the initial
 * "no limit").
 */
export function changedSettings(settings: Settings): SettingPair[] {
  const initial = asPairs(DEFAULT_SETTINGS);
  return asPairs(settings).filter((pair, i) => pair.value !== initial[i]!.value && Number.isFinite(pair.value));
}

/** Every setting as the (identifier, value) pair that would announce it, in identifier order. */
function asPairs(s: Settings): SettingPair[] {
  const flag = (on: boolean): number => on ? 1 : 0;
  return [
    { id: SETTING.HEADER_TABLE_SIZE, value: s.headerTableSize },
    { id: SETTING.ENABLE_PUSH, value: flag(s.enablePush) },
    { id: SETTING.MAX_CONCURRENT_STREAMS, value: s.maxConcurrentStreams },
    { id: SETTING.INITIAL_WINDOW_SIZE, value: s.initialWindowSize },
    { id: SETTING.MAX_FRAME_SIZE, value: s.maxFrameSize },
    { id: SETTING.MAX_HEADER_LIST_SIZE, value: s.maxHeaderListSize },
    { id: SETTING.ENABLE_CONNECT_PROTOCOL, value: flag(s.enableConnectProtocol) },
    { id: SETTING.NO_RFC7540_PRIORITIES, value: flag(s.noRfc7540Priorities) },
  ];
}
