import type { MessageDeflate } from "./deflate.ts";
import { failure, type Opcode, type WebSocketFailure } from "./frame.ts";
import { encodeFrame } from "./frame-writer.ts";
import { InOrder } from "./in-order.ts";

/** With permessage-deflate on, a message send() is not told about is compressed from this size (smaller ones gain little). */
export const COMPRESS_FROM = 1024;

/** Where frames go: the connection's output (SessionLink.write). */
export type FrameWrite = (bytes: Uint8Array, onFlushed: () => void) => boolean;

/**
 * The frames a session sends, in order, with Bun's backpressure numbers: the bytes sent, -1 when
 * they were queued past the socket's high-water mark (a drain is then owed), never 0 (the session
 * decides to drop). A message being compressed (RFC 7692 §6.1: RSV1 on its frame) holds the data
 * and close frames sent after it, so they keep their order; pings and pongs go at once (§5.4:
 * control frames may come between messages).
 */
export class Outgoing {
  /** Bytes queued (or being compressed) and not yet flushed by the socket. */
  private buffered = 0;
  private blocked = false;
  /** send() returned -1: the app is told when the socket drains. */
  private owesDrain = false;
  private readonly order: InOrder;

  constructor(
    private readonly write: FrameWrite,
    private readonly deflate: MessageDeflate | null,
    private readonly failed: (failure: WebSocketFailure) => void,
    stepFailed: (error: unknown) => void,
  ) {
    this.order = new InOrder(() => {}, stepFailed);
  }

  get bufferedAmount(): number {
    return this.buffered;
  }

  /** Whether the client is not keeping up: the socket refuses more and over `limit` bytes wait. */
  over(limit: number): boolean {
    return this.blocked && this.buffered > limit;
  }

  /** A data message: compressed when permessage-deflate is on and `compress` says so (undefined: from COMPRESS_FROM bytes). */
  data(opcode: Opcode, payload: Uint8Array, compress: boolean | undefined): number {
    const deflate = this.deflate;
    if (deflate === null || !deflate.params.compress || !(compress ?? payload.length >= COMPRESS_FROM)) {
      return this.inTurn(opcode, payload);
    }
    const compressed = deflate.deflate(payload);
    this.buffered += payload.length;
    this.order.run(async () => {
      const bytes = await compressed;
      this.buffered -= payload.length;
      if (bytes === null) return this.failed(failure(1011, "compressing a message failed"));
      this.now(opcode, bytes, true);
    });
    return this.blocked ? this.owe() : payload.length;
  }

  /** A frame after the messages being compressed: written now when none is, else in its turn. */
  inTurn(opcode: Opcode, payload: Uint8Array): number {
    if (!this.order.busy) return this.now(opcode, payload);
    this.buffered += payload.length;
    this.order.run(() => {
      this.buffered -= payload.length;
      this.now(opcode, payload);
    });
    return this.blocked ? this.owe() : payload.length;
  }

  /** A frame written at once (a ping or pong). */
  now(opcode: Opcode, payload: Uint8Array, rsv1 = false): number {
    const frame = encodeFrame(opcode, payload, true, rsv1);
    this.buffered += frame.length;
    const flowing = this.write(frame, () => (this.buffered -= frame.length));
    if (flowing && !this.blocked) return payload.length;
    this.blocked = true;
    return this.owe();
  }

  /** Runs fn once the frames sent so far are written (ending the connection after the close frame). */
  then(fn: () => void): void {
    this.order.run(fn);
  }

  /** The socket took what was queued below its high-water mark: whether a drain was owed. */
  drained(): boolean {
    this.blocked = false;
    const owed = this.owesDrain;
    this.owesDrain = false;
    return owed;
  }

  private owe(): number {
    this.owesDrain = true;
    return -1;
  }
}
