/**
 * A response body as the send scheduler takes it (RFC 9113 §6.1): one piece at a time, sliced
 * into DATA frames as the windows allow. A source holds at most one piece (a producer's, or a
 * file buffer read into), so what a stream buffers is bounded whatever the peer's windows do.
 */
export interface BodySource {
  /**
   * The bytes ready to go (a view, valid until consume() or cancel()), "end" once every byte went
   * (END_STREAM follows on an empty DATA frame), or null while the next piece is on its way
   * (the source calls SourceHooks.wake() when it comes).
   */
  peek(): Uint8Array | "end" | null;
  /** n bytes of the piece peek() gave went out (copied into a frame). */
  consume(n: number): void;
  /** Whether the piece peek() gives holds the body's last bytes: END_STREAM may go with them. */
  readonly last: boolean;
  /**
   * The stream ends cleanly soon (the server shuts down): a body with no end of its own (server-
   * sent events) ends after what it queued; others go on.
   */
  finish(): void;
  /** The stream is over (reset, connection gone): stop producing, release what is held. */
  cancel(): void;
}

/** What a source tells the stream that sends it. */
export interface SourceHooks {
  /** A piece came (or the end): the scheduler may write again. */
  wake(): void;
  /** The body cannot be completed (a producer failed, a file vanished, a wrong length): the stream is reset. */
  fail(reason: string): void;
}

/** A body in memory: one piece, the last. */
export class BytesSource implements BodySource {
  private at = 0;
  readonly last = true;

  constructor(private readonly bytes: Uint8Array) {}

  peek(): Uint8Array | "end" {
    return this.at < this.bytes.length ? this.bytes.subarray(this.at) : "end";
  }

  consume(n: number): void {
    this.at += n;
  }

  finish(): void {}

  cancel(): void {
    this.at = this.bytes.length;
  }
}
