/** How a stream no longer in the table ended, as far as frames that still come for it go. */
export type ClosedHow = "reset-by-us" | "closed";

/**
 * What a frame's stream identifier names when the stream is not in the table (RFC 9113 §5.1,
 * §5.1.1): a stream the peer has not opened yet ("idle"), one it closed or we reset lately, or a
 * lower identifier it skipped (implicitly closed, never used; or used so long ago that it is
 * forgotten, which reads the same).
 */
export type UnknownStream = "idle" | ClosedHow | "never-used";

/**
 * The streams closed lately, remembered in a bounded ring (oldest forgotten first): frames on a
 * stream we reset are to be ignored (§5.1 "closed": the peer may have sent them before it saw our
 * RST_STREAM), others are errors, and a HEADERS on an identifier never used is a PROTOCOL_ERROR
 * (§5.1.1) where one on a stream that was used and closed is STREAM_CLOSED.
 */
export class ClosedStreams {
  private readonly how = new Map<number, ClosedHow>();
  private readonly order: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 256) {}

  /** Notes a stream as closed (a later note of the same stream replaces the earlier). */
  note(streamId: number, how: ClosedHow): void {
    if (this.how.has(streamId)) {
      this.how.set(streamId, how);
      return;
    }
    if (this.order.length === this.capacity) {
      this.how.delete(this.order[this.next]!);
      this.order[this.next] = streamId;
      this.next = (this.next + 1) % this.capacity;
    } else this.order.push(streamId);
    this.how.set(streamId, how);
  }

  /**
   * What a peer-initiated identifier not in the table names, given the highest one the peer has
   * opened: above it, idle (§5.1.1); else as remembered, or never used.
   */
  classify(streamId: number, lastPeerStreamId: number): UnknownStream {
    if (streamId > lastPeerStreamId) return "idle";
    return this.how.get(streamId) ?? "never-used";
  }
}
