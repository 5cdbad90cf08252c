import { sendable } from "./flow-window.ts";
import { encodeData, encodeHeaders, encodeWindowUpdate } from "./frame-writer.ts";
import type { HpackEncoder } from "./hpack/encoder.ts";
import { INITIAL_WINDOW } from "./limits.ts";
import type { Http2Link } from "./session-link.ts";
import { MIN_MAX_FRAME_SIZE } from "./settings.ts";
import type { ServerStream } from "./stream.ts";

/** What the scheduler tells the session. */
export interface SchedulerHooks {
  /** END_STREAM went out on the stream (with its HEADERS or its last DATA). */
  ended(stream: ServerStream): void;
  /**
   * A flush is over. Unless the link is full (`blocked`), `oldestStall` says since when a stream
   * has had bytes and no window (null: none).
   */
  flushed(blocked: boolean, oldestStall: number | null): void;
  now(): number;
}

const EMPTY = new Uint8Array(0);

/**
 * Frames gathered into one write up to this many bytes (a frame larger than what is left goes in
 * the next): a DATA frame of the default SETTINGS_MAX_FRAME_SIZE with its header, so a full link
 * holds at most one such write more than its high-water mark, as when each frame was a write.
 */
export const WRITE_BATCH = 16 * 1024 + 9;

/**
 * Everything the session sends, in order of urgency: control frames (SETTINGS and PING
 * acknowledgements, RST_STREAM, GOAWAY), then WINDOW_UPDATE (one per stream, increments added up
 * while they wait), then responses' HEADERS in the order they came
 * (each block HPACK-encoded when written, so blocks reach the peer in the order the encoder's
 * table saw them, and written whole with its CONTINUATION frames, §6.10), then DATA round-robin
 * over the streams with bytes and window, one frame per turn, never past either window or the
 * peer's SETTINGS_MAX_FRAME_SIZE (§6.9.1, §4.2). The frames of one flush leave in writes of up
 * to WRITE_BATCH bytes, not one write each (a read of 7,000 PINGs is four writes of their
 * acknowledgements, not 7,000). Writing stops when the link says false and goes on at
 * drained(): what waits meanwhile is bounded (one piece per stream, one write's frames,
 * acknowledgements counted by the session).
 */
export class SendScheduler {
  private readonly control: Array<{ readonly bytes: Uint8Array; readonly ack: boolean }> = [];
  private acks = 0;
  /** WINDOW_UPDATE increments by stream (0: the connection), added up until written. */
  private readonly credits = new Map<number, number>();
  private readonly headerQueue: ServerStream[] = [];
  private readonly sending: ServerStream[] = [];
  private cursor = 0;
  /** What we may still send on the connection (§6.9): 65,535 until WINDOW_UPDATE moves it (§6.9.2). */
  connectionWindow = INITIAL_WINDOW;
  /** The peer's SETTINGS_MAX_FRAME_SIZE (§4.2). */
  maxFrameSize = MIN_MAX_FRAME_SIZE;
  private blocked = false;
  /** Frames taken from the queues and not yet written: one write once WRITE_BATCH is reached or the flush ends. */
  private readonly batch: Uint8Array[] = [];
  private batchBytes = 0;
  /** Acknowledgements among the batch's frames: still pending until the batch is written. */
  private batchAcks = 0;
  /** The frame next() returned last is an acknowledgement. */
  private tookAck = false;
  private flushing = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly link: Http2Link,
    private readonly encoder: HpackEncoder,
    private readonly hooks: SchedulerHooks,
  ) {}

  /** SETTINGS and PING acknowledgements queued or gathered for a write, and not yet written (the flood limit). */
  get pendingAcks(): number {
    return this.acks;
  }

  /** Whether the link refused more and drained() has not come yet. */
  get waitingForDrain(): boolean {
    return this.blocked;
  }

  /** A control frame; `ack` counts it among the acknowledgements. */
  queueControl(bytes: Uint8Array, ack = false): void {
    this.control.push({ bytes, ack });
    if (ack) this.acks++;
  }

  /** Credit for the peer (§6.9): one WINDOW_UPDATE per stream however many come before it is written. */
  queueWindowUpdate(streamId: number, increment: number): void {
    this.credits.set(streamId, (this.credits.get(streamId) ?? 0) + increment);
  }

  /** A response is ready: its HEADERS after those before it, then its DATA. */
  queueResponse(stream: ServerStream): void {
    this.headerQueue.push(stream);
  }

  /** A stream reset or abandoned: nothing more of it goes out (a queued HEADERS is never encoded). */
  remove(stream: ServerStream): void {
    this.credits.delete(stream.id);
    drop(this.headerQueue, stream);
    drop(this.sending, stream);
  }

  /** The link took what it had queued. */
  drained(): void {
    this.blocked = false;
    this.flush();
  }

  /**
   * While the session reads a chunk (deferred), a flush waits for the chunk's end, so that what
   * its frames caused (acknowledgements, responses answered at once) leaves in as few writes as
   * it fits in.
   */
  deferred = false;

  /** Writes what can be written now, unless deferred (the session flushes at the chunk's end). */
  flush(): void {
    if (!this.deferred) this.flushNow();
  }

  /** Writes what can be written now, deferred or not; safe to call from inside a write's consequences (it loops again). */
  flushNow(): void {
    if (this.flushing) {
      this.again = true;
      return;
    }
    if (this.blocked || this.stopped) return;
    this.flushing = true;
    try {
      do {
        this.again = false;
        for (let frame = this.next(); frame !== null && !this.stopped; frame = this.next()) {
          const room = this.batchBytes + frame.length <= WRITE_BATCH || this.writeBatch();
          // Taken from its queue, the frame is the next write's even when the link is full now.
          this.batch.push(frame);
          this.batchBytes += frame.length;
          if (this.tookAck) this.batchAcks++;
          this.tookAck = false;
          if (!room) break;
        }
        if (!this.blocked && !this.stopped) this.writeBatch();
      } while (this.again && !this.blocked && !this.stopped);
    } finally {
      this.flushing = false;
    }
    if (!this.stopped) this.hooks.flushed(this.blocked, this.blocked ? null : this.oldestStall());
  }

  /**
   * The frames gathered as one write (a single frame as it is); false when the link is full
   * (blocked until drained()).
   */
  private writeBatch(): boolean {
    if (this.batch.length === 0) return true;
    const bytes = this.batch.length === 1 ? this.batch[0]! : concat(this.batch, this.batchBytes);
    this.batch.length = 0;
    this.batchBytes = 0;
    this.acks -= this.batchAcks;
    this.batchAcks = 0;
    if (this.link.write(bytes)) return true;
    this.blocked = true;
    return false;
  }

  /**
   * Writes nothing more from the queues (the session ends); what is still to be written is
   * returned: frames gathered for a write (when a frame's consequences ended the session in the
   * middle of a flush), then the control frames still queued.
   */
  stop(): Uint8Array[] {
    this.stopped = true;
    const control = [...this.batch.splice(0), ...this.control.splice(0).map((c) => c.bytes)];
    this.batchBytes = 0;
    this.batchAcks = 0;
    this.headerQueue.length = 0;
    this.sending.length = 0;
    this.credits.clear();
    this.acks = 0;
    return control;
  }

  private next(): Uint8Array | null {
    const control = this.control.shift();
    if (control !== undefined) {
      this.tookAck = control.ack;
      return control.bytes;
    }
    for (const [streamId, increment] of this.credits) {
      this.credits.delete(streamId);
      return encodeWindowUpdate(streamId, increment);
    }
    const stream = this.headerQueue.shift();
    if (stream !== undefined) return this.headersOf(stream);
    return this.nextData();
  }

  /** §6.2: the response's HEADERS (and CONTINUATION frames), END_STREAM when it has no body. */
  private headersOf(stream: ServerStream): Uint8Array {
    const block = this.encoder.encode(stream.headers!);
    stream.headers = null;
    const endStream = stream.source === null;
    const frames = encodeHeaders(stream.id, block, { endStream, maxFrameSize: this.maxFrameSize });
    if (endStream) this.hooks.ended(stream);
    else this.sending.push(stream);
    return frames;
  }

  /** One DATA frame from the next stream in turn that has bytes (or its end) and window. */
  private nextData(): Uint8Array | null {
    const count = this.sending.length;
    for (let k = 0; k < count; k++) {
      const stream = this.sending[(this.cursor + k) % count]!;
      const frame = this.dataOf(stream);
      if (frame === null) continue;
      const at = this.sending.indexOf(stream);
      if (stream.finished || stream.source === null) {
        if (at >= 0) this.sending.splice(at, 1);
        this.cursor = at < 0 ? 0 : at;
      } else this.cursor = at + 1;
      return frame;
    }
    return null;
  }

  /** §6.1, §6.9.1: a DATA frame of the stream's next bytes that fit, or its END_STREAM; null when it must wait. */
  private dataOf(stream: ServerStream): Uint8Array | null {
    const source = stream.source!;
    const piece = source.peek();
    if (piece === null) return null;
    if (piece === "end") {
      this.hooks.ended(stream);
      return encodeData(stream.id, EMPTY, true);
    }
    const n = sendable(piece.length, stream.sendWindow, this.connectionWindow, this.maxFrameSize);
    if (n === 0) return null;
    const end = n === piece.length && source.last;
    const frame = encodeData(stream.id, piece.subarray(0, n), end);
    stream.sendWindow -= n;
    stream.bodyBytesSent += n;
    this.connectionWindow -= n;
    stream.stalledSince = null;
    source.consume(n);
    if (end) this.hooks.ended(stream);
    return frame;
  }

  /** Marks the streams that have bytes and no window since now, clears the others; the oldest mark. */
  private oldestStall(): number | null {
    let oldest: number | null = null;
    for (const stream of this.sending) {
      const piece = stream.source?.peek() ?? null;
      const stalled = piece instanceof Uint8Array && (stream.sendWindow <= 0 || this.connectionWindow <= 0);
      if (!stalled) stream.stalledSince = null;
      else stream.stalledSince ??= this.hooks.now();
      if (stream.stalledSince !== null && (oldest === null || stream.stalledSince < oldest)) {
        oldest = stream.stalledSince;
      }
    }
    return oldest;
  }
}

function concat(frames: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const frame of frames) {
    out.set(frame, at);
    at += frame.length;
  }
  return out;
}

function drop(list: ServerStream[], stream: ServerStream): void {
  const at = list.indexOf(stream);
  if (at >= 0) list.splice(at, 1);
}
