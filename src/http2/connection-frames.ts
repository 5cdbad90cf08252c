import { type ConnectionError, connectionError, cutConnection } from "./error.ts";
import { grownWindow, type ReceiveWindow, resizedWindow } from "./flow-window.ts";
import type { PingFrame, SettingsFrame, WindowUpdateFrame } from "./frame.ts";
import type { FrameReader } from "./frame-reader.ts";
import { encodePing, encodeSettings, encodeSettingsAck, encodeWindowUpdate } from "./frame-writer.ts";
import type { HpackDecoder } from "./hpack/decoder.ts";
import type { HpackEncoder } from "./hpack/encoder.ts";
import type { Http2Options } from "./limits.ts";
import type { SendScheduler } from "./send-scheduler.ts";
import { applySettings, changedSettings, DEFAULT_SETTINGS, type Settings } from "./settings.ts";
import type { StreamTable } from "./stream-table.ts";

/** The connection-level state SETTINGS, PING and the connection's WINDOW_UPDATE act on. */
export interface PeerState {
  readonly reader: FrameReader;
  readonly decoder: HpackDecoder;
  readonly encoder: HpackEncoder;
  readonly out: SendScheduler;
  readonly table: StreamTable;
  readonly options: Http2Options;
  /** The peer's settings in force (absent: the initial values, §6.5.2). */
  settings?: Settings;
  /** The client's first SETTINGS came (§3.4). */
  settingsReceived?: boolean;
  /** The peer acknowledged ours (§6.5.3). */
  oursAcked?: boolean;
}

/** Our settings (§6.5.2): those that differ from the initial values. ENABLE_PUSH is a client's to send. */
export function ourSettings(options: Http2Options): Settings {
  return {
    ...DEFAULT_SETTINGS,
    headerTableSize: options.headerTableSize,
    maxConcurrentStreams: options.maxConcurrentStreams,
    initialWindowSize: options.initialWindowSize,
    maxFrameSize: options.maxFrameSize,
    maxHeaderListSize: options.maxHeaderListSize,
  };
}

/** §3.4: the server's preface, our SETTINGS, then the connection window raised from 65,535 (§6.9.2). */
export function firstFrames(options: Http2Options, receiveWindow: ReceiveWindow): Uint8Array[] {
  const frames = [encodeSettings(changedSettings(ourSettings(options)))];
  const raise = receiveWindow.takeOwed();
  if (raise > 0) frames.push(encodeWindowUpdate(0, raise));
  return frames;
}

/** SETTINGS, PING, and WINDOW_UPDATE on stream 0. */
export function onConnectionFrame(
  state: PeerState,
  frame: SettingsFrame | PingFrame | WindowUpdateFrame,
): ConnectionError | null {
  switch (frame.type) {
    case "SETTINGS":
      return frame.ack ? onSettingsAck(state) : onSettings(state, frame);
    case "PING":
      return frame.ack ? null : acknowledge(state, encodePing(frame.opaqueData.slice(), true));
    case "WINDOW_UPDATE":
      return onWindowUpdate(state, frame);
  }
}

/**
 * §6.5.3: the peer's SETTINGS applied in order, then acknowledged. A new INITIAL_WINDOW_SIZE moves
 * every stream's send window by the difference (§6.9.2: past 2^31-1, a FLOW_CONTROL_ERROR); a new
 * HEADER_TABLE_SIZE bounds our encoder's table; MAX_FRAME_SIZE bounds our frames.
 */
function onSettings(state: PeerState, frame: SettingsFrame): ConnectionError | null {
  state.settingsReceived = true;
  const before = state.settings ?? DEFAULT_SETTINGS;
  const applied = applySettings(before, frame.settings);
  if (applied.kind === "connection-error") return applied;
  const after = applied.settings;
  state.settings = after;
  if (after.initialWindowSize !== before.initialWindowSize) {
    for (const stream of state.table.streams()) {
      const resized = resizedWindow(stream.sendWindow, before.initialWindowSize, after.initialWindowSize);
      if (resized === null) return connectionError("FLOW_CONTROL_ERROR", "a stream's window past 2^31-1 (§6.9.2)");
      stream.sendWindow = resized;
    }
  }
  if (after.headerTableSize !== before.headerTableSize) state.encoder.setMaxTableSize(after.headerTableSize);
  state.out.maxFrameSize = after.maxFrameSize;
  return acknowledge(state, encodeSettingsAck());
}

/**
 * §6.5.3: the peer acknowledged our SETTINGS: the larger frame size we announced is now in force
 * (§4.2), and our header table size (§6.5.2). An acknowledgement of nothing is ignored.
 */
function onSettingsAck(state: PeerState): null {
  if (state.oursAcked === true) return null;
  state.oursAcked = true;
  state.reader.setMaxFrameSize(state.options.maxFrameSize);
  if (state.options.headerTableSize !== DEFAULT_SETTINGS.headerTableSize) {
    state.decoder.setMaxTableSize(state.options.headerTableSize);
  }
  return null;
}

/**
 * An acknowledgement queued (SETTINGS §6.5.3, PING §6.7); past maxPendingAcks not yet written
 * (a peer that sends them and reads nothing), ENHANCE_YOUR_CALM, and the connection cut: the
 * peer reads nothing, so neither the GOAWAY nor a lingering close would reach it.
 */
function acknowledge(state: PeerState, frame: Uint8Array): ConnectionError | null {
  // Many in one read: what the link takes is written first, only the rest counts.
  if (state.out.pendingAcks >= state.options.maxPendingAcks) state.out.flushNow();
  if (state.out.pendingAcks >= state.options.maxPendingAcks) {
    return cutConnection(
      "ENHANCE_YOUR_CALM",
      `more than ${state.options.maxPendingAcks} SETTINGS and PING acknowledgements waiting to be written`,
    );
  }
  state.out.queueControl(frame, true);
  return null;
}

/** §6.9.1: the connection's send window grown; past 2^31-1, a connection FLOW_CONTROL_ERROR. */
function onWindowUpdate(state: PeerState, frame: WindowUpdateFrame): ConnectionError | null {
  const grown = grownWindow(state.out.connectionWindow, frame.increment);
  if (grown === null) return connectionError("FLOW_CONTROL_ERROR", "the connection's window past 2^31-1");
  state.out.connectionWindow = grown;
  return null;
}
