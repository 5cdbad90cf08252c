import type { RequestHead } from "../http/parser/request-head.ts";
import { utf8 } from "../http/response.ts";
import type { Clock } from "../ports/clock.ts";
import { firstFrames, type PeerState } from "./connection-frames.ts";
import { type ConnectionError, connectionError, type ErrorCodeName } from "./error.ts";
import { ReceiveWindow } from "./flow-window.ts";
import { FrameDispatch } from "./frame-dispatch.ts";
import { FrameReader } from "./frame-reader.ts";
import { encodeGoaway, encodeRstStream } from "./frame-writer.ts";
import { type HandlerPool, unboundedPool } from "./handler-pool.ts";
import { HpackDecoder } from "./hpack/decoder.ts";
import { HpackEncoder } from "./hpack/encoder.ts";
import { type Http2Options, INITIAL_WINDOW } from "./limits.ts";
import { RateBucket } from "./rate-bucket.ts";
import { ReceivedBody } from "./received-body.ts";
import { Responder, type SessionPhase } from "./responder.ts";
import { SendScheduler } from "./send-scheduler.ts";
import type { SessionCore } from "./session-core.ts";
import type { Http2Events, Http2Link } from "./session-link.ts";
import { StallWatch } from "./stall-watch.ts";
import { ServerStream, type StreamHost } from "./stream.ts";
import { tooManyResets, tooManyWaiting } from "./stream-frames.ts";
import { afterRemoteEnd, openedState, remoteOpen } from "./stream-state.ts";
import { StreamTable } from "./stream-table.ts";

export type { Http2Events, Http2Link, Http2Stream } from "./session-link.ts";

/**
 * The HTTP/2 protocol engine of one server connection (RFC 9113), after the client preface: our
 * SETTINGS first, then frames read (frame-reader.ts) and handled by type, streams through their
 * states (§5.1), requests handed to the connection (Http2Events.request) and responses sent
 * flow-controlled (send-scheduler.ts), with the limits of limits.ts. A connection error sends
 * GOAWAY and ends the link; a stream error, RST_STREAM. Nothing the peer sends throws: a bug
 * caught in a turn of input or output is a GOAWAY INTERNAL_ERROR and a log line.
 *
 *   running ──GOAWAY sent (shutdown) or received, input ended──> draining ──streams done──> closed
 *   any ──connection error, socket gone──> closed
 */
export class Http2Session implements SessionCore {
  readonly table: StreamTable;
  readonly out: SendScheduler;
  readonly decoder: HpackDecoder;
  readonly receiveWindow: ReceiveWindow;
  readonly resets: RateBucket;
  private readonly reader: FrameReader;
  private readonly peer: PeerState;
  private readonly responder: Responder;
  private readonly stalls: StallWatch;
  private phase: SessionPhase = "running";
  private newStreams = 0;
  /** The last stream id our GOAWAY NO_ERROR announced (shutdown), or null before one. */
  private announcedLast: number | null = null;
  /** Why the last stream was reset by us (§5.4.2 sends no reason: kept for diagnostics). */
  private lastReset = "";
  /** Where each stream's respond() goes. */
  private readonly streamHost: StreamHost = {
    respond: (stream, response, common, isHead) =>
      this.guard(() => this.responder.respond(stream, response, common, isHead)),
  };

  constructor(
    private readonly link: Http2Link,
    readonly options: Http2Options,
    readonly events: Http2Events,
    private readonly clock: Clock,
    pool: HandlerPool = unboundedPool(),
  ) {
    this.decoder = new HpackDecoder({
      maxHeaderListSize: options.maxHeaderListSize,
      maxFields: options.maxHeaderFields,
    });
    const encoder = new HpackEncoder({ maxTableSize: options.headerTableSize });
    let dispatch: FrameDispatch | null = null;
    this.reader = new FrameReader((event) => dispatch!.onFrame(event));
    this.receiveWindow = new ReceiveWindow(options.connectionWindowSize, INITIAL_WINDOW);
    this.resets = new RateBucket(clock, options.resetBurst, options.resetRefillPerSecond);
    this.table = new StreamTable(options.maxConcurrentStreams, options.maxQueuedRequests, (s) => this.run(s), pool);
    this.out = new SendScheduler(link, encoder, {
      ended: (stream) => this.responder.ended(stream),
      flushed: (blocked, oldestStall) => this.flushed(blocked, oldestStall),
      now: () => clock.now(),
    });
    this.peer = { reader: this.reader, decoder: this.decoder, encoder, out: this.out, table: this.table, options };
    dispatch = new FrameDispatch(this, this.peer, {
      closed: () => this.phase === "closed",
      peerGoaway: (code) => {
        events.log(`HTTP/2 peer sent GOAWAY (code ${code})`);
        this.drain();
      },
    });
    this.responder = new Responder(this, () => this.phase, (fn) => this.guard(fn));
    this.stalls = new StallWatch(clock, options.zeroWindowTimeoutMs, () => {
      this.fail(connectionError("ENHANCE_YOUR_CALM", `a window held at zero for ${options.zeroWindowTimeoutMs} ms`));
    });
  }

  /** Whether the client's first SETTINGS came (§3.4): the connection's preface deadline may stop. */
  get settingsReceived(): boolean {
    return this.peer.settingsReceived === true;
  }

  /** Requests handed to handlers and not answered, and those waiting for a handler slot. */
  get streamsInFlight(): number {
    return this.table.inFlight;
  }

  /** Streams not closed (§5.1), responses still being sent included: 0 when the connection is idle. */
  get openStreams(): number {
    return this.table.openCount;
  }

  /** Why the last stream was reset by us, for diagnostics ("" when none was). */
  get lastStreamError(): string {
    return this.lastReset;
  }

  get accepting(): boolean {
    return this.phase === "running";
  }

  get peerInitialWindow(): number {
    return this.peer.settings?.initialWindowSize ?? INITIAL_WINDOW;
  }

  /** Starts after the client preface: our SETTINGS and the connection window's raise (§3.4, §6.9.2), then `rest`. */
  start(rest: Uint8Array): void {
    this.guard(() => {
      for (const frame of firstFrames(this.options, this.receiveWindow)) this.out.queueControl(frame);
      this.out.flush();
    });
    if (rest.length > 0) this.feed(rest);
  }

  /** Input from the peer; the bytes are valid only during the call. */
  feed(chunk: Uint8Array): void {
    if (this.phase === "closed") return;
    this.newStreams = 0;
    this.guard(() => {
      // What the chunk's frames cause leaves together at its end (SendScheduler.deferred).
      this.out.deferred = true;
      let failure: ConnectionError | null;
      try {
        failure = this.reader.feed(chunk);
      } finally {
        this.out.deferred = false;
      }
      if (failure !== null) return this.fail(failure);
      this.out.flush();
    });
  }

  /** The peer half-closed: no more frames. Requests still arriving are abandoned; the rest finish. */
  inputEnded(): void {
    if (this.phase === "closed") return;
    this.guard(() => {
      for (const stream of [...this.table.streams()]) if (remoteOpen(stream.state)) this.peerReset(stream);
      this.drain();
    });
  }

  drained(): void {
    this.guard(() => this.out.drained());
  }

  /** The socket is gone: every stream abandoned, nothing more written. */
  gone(): void {
    this.close(null, "gone");
  }

  /** Graceful shutdown (§6.8): GOAWAY NO_ERROR with the last stream id; in-flight streams finish, then the link ends. */
  shutdown(): void {
    if (this.phase !== "running") return;
    this.guard(() => {
      this.announcedLast = this.table.lastTakenId;
      this.out.queueControl(encodeGoaway(this.announcedLast, "NO_ERROR"));
      for (const stream of this.table.streams()) stream.source?.finish();
      this.drain();
    });
  }

  countNewStream(): boolean {
    return ++this.newStreams <= this.options.maxNewStreamsPerRead;
  }

  openStream(id: number, head: RequestHead, endStream: boolean): ServerStream {
    let stream: ServerStream | null = null;
    const body = endStream ? null : new ReceivedBody(declaredLength(head), this.options.maxBodyBytes, {
      read: (n) => this.guard(() => this.credited(stream, n)),
      discarded: (n) => this.guard(() => this.credited(null, n)),
    });
    const windows = { send: this.peerInitialWindow, receive: this.options.initialWindowSize };
    stream = new ServerStream(id, head, body, openedState(endStream), windows, this.streamHost);
    this.table.add(stream);
    return stream;
  }

  dispatch(stream: ServerStream): ConnectionError | null {
    return this.table.dispatch(stream) ? null : tooManyWaiting(this);
  }

  resetStream(id: number, code: ErrorCodeName, reason: string, peerCaused = true): ConnectionError | null {
    if (peerCaused && !this.resets.take()) return tooManyResets(this);
    this.lastReset = `${code} on stream ${id}: ${reason}`;
    this.out.queueControl(encodeRstStream(id, code));
    const stream = this.table.get(id);
    if (stream === undefined) this.table.noteReset(id);
    else {
      stream.abandon();
      this.out.remove(stream);
      this.table.close(stream, "reset-by-us");
    }
    return null;
  }

  peerReset(stream: ServerStream): void {
    stream.abandon();
    this.out.remove(stream);
    this.table.close(stream, "closed");
  }

  remoteEnded(stream: ServerStream): void {
    stream.state = afterRemoteEnd(stream.state);
    if (stream.state === "closed") this.table.close(stream, "closed");
  }

  credit(stream: ServerStream | null, n: number): void {
    if (n === 0) return;
    if (stream !== null && remoteOpen(stream.state)) {
      const increment = stream.receiveWindow.release(n);
      if (increment > 0) this.out.queueWindowUpdate(stream.id, increment);
    }
    const increment = this.receiveWindow.release(n);
    if (increment > 0) this.out.queueWindowUpdate(0, increment);
  }

  /** Credit from outside a read (the app read, or a body discarded), written at once. */
  private credited(stream: ServerStream | null, n: number): void {
    if (this.phase === "closed") return;
    this.credit(stream, n);
    this.out.flush();
  }

  /** A request to its handler (the connection runs the app); a wiring that throws is logged and the stream reset. */
  private run(stream: ServerStream): void {
    try {
      this.events.request(stream);
    } catch (error) {
      this.events.log(`HTTP/2 request handler threw: ${error instanceof Error ? error.message : String(error)}`);
      this.resetStream(stream.id, "INTERNAL_ERROR", "handler threw", false);
      this.table.settle(stream);
    }
  }

  /** After each flush: the zero-window watch told; a draining session whose streams are done ends. */
  private flushed(blocked: boolean, oldestStall: number | null): void {
    if (!blocked) this.stalls.set(oldestStall);
    if (this.phase !== "draining" || this.table.openCount > 0) return;
    // §6.8: a GOAWAY before the close, unless shutdown() sent one.
    const goaway = this.announcedLast === null ? encodeGoaway(this.table.lastTakenId, "NO_ERROR") : null;
    this.close(goaway, "end");
  }

  /** No new streams from now on; the session closes once the streams in the table are done. */
  private drain(): void {
    if (this.phase === "running") this.phase = "draining";
    this.out.flush();
  }

  /**
   * §5.4.1: a connection error: GOAWAY with the last stream id and the code, then the link ends
   * (cut at once where the peer reads nothing: ConnectionError.cut).
   */
  private fail(error: ConnectionError): void {
    if (this.phase === "closed") return;
    this.events.log(`HTTP/2 connection error ${error.code}: ${error.reason}`);
    // §6.8: streams after a GOAWAY are ignored, never taken: a later GOAWAY never names a higher one.
    this.close(encodeGoaway(this.table.lastTakenId, error.code, utf8(error.reason)), error.cut ? "cut" : "end");
  }

  /**
   * The end: streams abandoned, queues dropped; then the link ended after the control frames
   * still queued and a last frame ("end"), destroyed after the last frame ("cut"), or left
   * alone ("gone").
   */
  private close(last: Uint8Array | null, how: "end" | "cut" | "gone"): void {
    if (this.phase === "closed") return;
    this.phase = "closed";
    this.stalls.stop();
    this.table.clearQueue();
    const pending = this.out.stop();
    for (const stream of [...this.table.streams()]) this.peerReset(stream);
    if (how === "end") { for (const frame of pending) this.link.write(frame); }
    if (how !== "gone" && last !== null) this.link.write(last);
    if (how === "end") this.link.end();
    if (how === "cut") this.link.destroy();
    this.events.closed();
  }

  /** Runs a turn of work; a bug thrown in it is a GOAWAY INTERNAL_ERROR and a log line, never the caller's. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.events.log(
        `HTTP/2 internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      this.fail(connectionError("INTERNAL_ERROR", "internal error"));
    }
  }
}

function declaredLength(head: RequestHead): number | null {
  return head.body.kind === "length" ? head.body.length : null;
}
