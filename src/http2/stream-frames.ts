import { type ConnectionError, connectionError } from "./error.ts";
import type { DataFrame, RstStreamFrame, WindowUpdateFrame } from "./frame.ts";
import { grownWindow } from "./flow-window.ts";
import type { SessionCore } from "./session-core.ts";
import { remoteOpen } from "./stream-state.ts";

/**
 * §6.1, §6.9: DATA takes from the connection's window first (a frame over it is a connection
 * FLOW_CONTROL_ERROR), then goes to its stream: over the stream's window, a stream
 * FLOW_CONTROL_ERROR; on a stream the peer already ended, STREAM_CLOSED (§5.1); else to the
 * request's body, padding credited back at once (§6.9.1), content-length checked (§8.1.1).
 */
export function onData(core: SessionCore, frame: DataFrame): ConnectionError | null {
  const { streamId: id, flowControlledLength: length } = frame;
  if (!core.receiveWindow.receive(length)) {
    return connectionError("FLOW_CONTROL_ERROR", `DATA of ${length} bytes over the connection's window`);
  }
  const stream = core.table.get(id);
  if (stream === undefined) return dataWithoutStream(core, id, length);
  if (!remoteOpen(stream.state)) {
    core.credit(null, length);
    return core.resetStream(id, "STREAM_CLOSED", `DATA on stream ${id} after its END_STREAM`);
  }
  if (!stream.receiveWindow.receive(length)) {
    core.credit(null, length);
    return core.resetStream(id, "FLOW_CONTROL_ERROR", `DATA of ${length} bytes over stream ${id}'s window`);
  }
  const padding = length - frame.data.length;
  if (padding > 0) core.credit(stream, padding);
  const body = stream.body!;
  const problem = body.receive(frame.data) ?? (frame.endStream ? body.end() : null);
  if (problem !== null) return core.resetStream(id, "PROTOCOL_ERROR", `malformed request: ${problem}`);
  if (frame.endStream) core.remoteEnded(stream);
  return null;
}

/**
 * §5.1: DATA for a stream not in the table still counts on the connection's window (credited
 * back at once); on an idle stream it is a connection PROTOCOL_ERROR, on one we reset it is
 * ignored (the peer sent it before it saw our RST_STREAM), on any other closed one STREAM_CLOSED.
 */
function dataWithoutStream(core: SessionCore, id: number, length: number): ConnectionError | null {
  core.credit(null, length);
  switch (idleOrClosed(core, id)) {
    case "idle":
      return connectionError("PROTOCOL_ERROR", `DATA on idle stream ${id}`);
    case "reset-by-us":
      return null;
    default:
      return core.resetStream(id, "STREAM_CLOSED", `DATA on closed stream ${id}`);
  }
}

/**
 * §6.4: the peer resets a stream: its handler is told (onGone), its body fails. Every RST_STREAM
 * spends a reset token (Rapid Reset); one on an idle stream is a connection PROTOCOL_ERROR (§5.1),
 * one on a closed stream is ignored.
 */
export function onRstStream(core: SessionCore, frame: RstStreamFrame): ConnectionError | null {
  if (!core.resets.take()) return tooManyResets(core);
  const id = frame.streamId;
  const stream = core.table.get(id);
  if (stream !== undefined) core.peerReset(stream);
  else if (idleOrClosed(core, id) === "idle") {
    return connectionError("PROTOCOL_ERROR", `RST_STREAM on idle stream ${id}`);
  }
  return null;
}

/**
 * §6.9: a stream's WINDOW_UPDATE grows its send window; past 2^31-1 it is a stream
 * FLOW_CONTROL_ERROR (§6.9.1). On an idle stream a connection PROTOCOL_ERROR (§5.1); on a closed
 * one ignored (the peer may send it before it sees our END_STREAM).
 */
export function onStreamWindowUpdate(core: SessionCore, frame: WindowUpdateFrame): ConnectionError | null {
  const id = frame.streamId;
  const stream = core.table.get(id);
  if (stream === undefined) {
    return idleOrClosed(core, id) === "idle"
      ? connectionError("PROTOCOL_ERROR", `WINDOW_UPDATE on idle stream ${id}`)
      : null;
  }
  const grown = grownWindow(stream.sendWindow, frame.increment);
  if (grown === null) return core.resetStream(id, "FLOW_CONTROL_ERROR", `stream ${id}'s window past 2^31-1`);
  stream.sendWindow = grown;
  return null;
}

/** What a stream identifier not in the table names; even ones (which only a server opens, §5.1.1) are idle: never pushed. */
export function idleOrClosed(core: SessionCore, id: number): ReturnType<SessionCore["table"]["classify"]> {
  return id % 2 === 0 ? "idle" : core.table.classify(id);
}

export function tooManyResets(core: SessionCore): ConnectionError {
  const { resetBurst, resetRefillPerSecond } = core.options;
  return connectionError(
    "ENHANCE_YOUR_CALM",
    `stream resets beyond ${resetBurst} at once or ${resetRefillPerSecond} a second (CVE-2023-44487)`,
  );
}

export function tooManyWaiting(core: SessionCore): ConnectionError {
  return connectionError(
    "ENHANCE_YOUR_CALM",
    `more than ${core.options.maxQueuedRequests} requests waiting for a handler (CVE-2023-44487)`,
  );
}
