import { onConnectionFrame, type PeerState } from "./connection-frames.ts";
import { type ConnectionError, connectionError } from "./error.ts";
import type { Frame } from "./frame.ts";
import type { FrameEvent, FrameVerdict } from "./frame-reader.ts";
import { HeaderBlockAssembler } from "./header-block.ts";
import { onHeaderBlock } from "./header-frames.ts";
import type { SessionCore } from "./session-core.ts";
import { onData, onRstStream, onStreamWindowUpdate } from "./stream-frames.ts";

/** What the dispatch asks of the session beyond its core. */
export interface DispatchHooks {
  /** The session is over: read nothing more. */
  closed(): boolean;
  /** §6.8: the peer sent GOAWAY. */
  peerGoaway(code: number): void;
}

/**
 * The frames the reader hands on, each to its handler by type (RFC 9113 §6): the first must be
 * SETTINGS (§3.4); a stream error the reader found resets its stream (§5.4.2); field blocks are
 * joined over CONTINUATION (§6.10) by the assembler, whose limits end the connection.
 */
export class FrameDispatch {
  private readonly assembler: HeaderBlockAssembler;

  constructor(
    private readonly core: SessionCore,
    private readonly peer: PeerState,
    private readonly hooks: DispatchHooks,
  ) {
    this.assembler = new HeaderBlockAssembler({
      maxContinuations: core.options.maxContinuations,
      maxBytes: core.options.maxHeaderBlockBytes,
    });
  }

  /** One frame, or a stream error, from the reader. */
  onFrame(event: FrameEvent): FrameVerdict {
    if (this.hooks.closed()) return "stop";
    if (this.peer.settingsReceived !== true && !("type" in event && event.type === "SETTINGS" && !event.ack)) {
      return connectionError("PROTOCOL_ERROR", "the first frame is not SETTINGS (§3.4)");
    }
    if ("kind" in event) return this.core.resetStream(event.streamId, event.code, event.reason);
    return this.onKnownFrame(event);
  }

  private onKnownFrame(frame: Frame): ConnectionError | null {
    switch (frame.type) {
      case "DATA":
        return onData(this.core, frame);
      case "HEADERS":
      case "CONTINUATION":
      case "PUSH_PROMISE":
        return this.onFieldBlockFrame(frame);
      case "RST_STREAM":
        return onRstStream(this.core, frame);
      case "WINDOW_UPDATE":
        return frame.streamId === 0 ? onConnectionFrame(this.peer, frame) : onStreamWindowUpdate(this.core, frame);
      case "PRIORITY":
        return null; // §5.3.2: deprecated; the reader refused one depending on itself
      case "GOAWAY":
        this.hooks.peerGoaway(frame.errorCode);
        return null;
      default: // SETTINGS, PING
        return onConnectionFrame(this.peer, frame);
    }
  }

  /** §4.3, §6.10: HEADERS and its CONTINUATION frames joined, the whole block handled; PUSH_PROMISE refused (§8.4). */
  private onFieldBlockFrame(
    frame: Frame & { type: "HEADERS" | "CONTINUATION" | "PUSH_PROMISE" },
  ): ConnectionError | null {
    if (frame.type === "PUSH_PROMISE") return connectionError("PROTOCOL_ERROR", "PUSH_PROMISE from a client (§8.4)");
    const outcome = this.assembler.take(frame);
    switch (outcome.kind) {
      case "pending":
        return null;
      case "header-block":
        return onHeaderBlock(this.core, outcome.start, outcome.block);
      case "header-block-too-large":
        return connectionError("ENHANCE_YOUR_CALM", `${outcome.reason} (CVE-2024-27316)`);
      default:
        return outcome;
    }
  }
}
