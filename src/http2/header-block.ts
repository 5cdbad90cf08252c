import { type ConnectionError, connectionError } from "./error.ts";
import type { ContinuationFrame, HeadersFrame, PushPromiseFrame } from "./frame.ts";

/** How far a field block may go before the connection gives up on it (CVE-2024-27316). */
export interface HeaderBlockLimits {
  /** CONTINUATION frames after the HEADERS or PUSH_PROMISE (8 by default). */
  readonly maxContinuations: number;
  /** Bytes of the compressed block, all fragments together (64 KiB by default). */
  readonly maxBytes: number;
}

export const DEFAULT_HEADER_BLOCK_LIMITS: HeaderBlockLimits = { maxContinuations: 8, maxBytes: 64 * 1024 };

/** The frame that opened a block, without its fragment (which may be a view of a piece long gone). */
export type HeaderBlockStart = Omit<HeadersFrame, "fragment"> | Omit<PushPromiseFrame, "fragment">;

/**
 * What one frame of a field block gives: more to come; the whole block (`block` is a view of
 * the frame when it came in one, else the assembler's copy); or a block over the limits, which
 * the connection cannot decode and so must end (GOAWAY ENHANCE_YOUR_CALM, or as its policy
 * says: the HPACK state is lost either way, §4.3).
 */
export type HeaderBlockOutcome =
  | { readonly kind: "pending" }
  | { readonly kind: "header-block"; readonly start: HeaderBlockStart; readonly block: Uint8Array }
  | { readonly kind: "header-block-too-large"; readonly streamId: number; readonly reason: string }
  | ConnectionError;

const PENDING = { kind: "pending" } as const;

/**
 * Joins a field block's fragments (RFC 9113 §4.3): a HEADERS or PUSH_PROMISE, then the
 * CONTINUATION frames up to END_HEADERS (§6.10). It counts frames and bytes as each fragment
 * arrives and fails at the one that goes over, before copying it: it never holds more than
 * `maxBytes`. The reader (frame-reader.ts) already refuses anything but CONTINUATION on the
 * same stream inside a block; frames out of sequence here are a PROTOCOL_ERROR all the same.
 */
export class HeaderBlockAssembler {
  private start: HeaderBlockStart | null = null;
  private buffer: Uint8Array = new Uint8Array(0);
  private size = 0;
  private continuations = 0;

  constructor(private readonly limits: HeaderBlockLimits = DEFAULT_HEADER_BLOCK_LIMITS) {}

  /** Takes the next frame of a block. */
  take(frame: HeadersFrame | PushPromiseFrame | ContinuationFrame): HeaderBlockOutcome {
    if (frame.type === "CONTINUATION") return this.continueBlock(frame);
    if (this.start !== null) return connectionError("PROTOCOL_ERROR", `${frame.type} inside a field block`);
    if (frame.fragment.length > this.limits.maxBytes) return this.tooLarge(frame.streamId, frame.fragment.length);
    const { fragment, ...start } = frame;
    if (frame.endHeaders) return { kind: "header-block", start, block: fragment };
    this.start = start;
    this.append(fragment);
    return PENDING;
  }

  private continueBlock(frame: ContinuationFrame): HeaderBlockOutcome {
    const start = this.start;
    if (start === null || start.streamId !== frame.streamId) {
      return connectionError("PROTOCOL_ERROR", `CONTINUATION on stream ${frame.streamId} out of sequence`);
    }
    if (++this.continuations > this.limits.maxContinuations) {
      return this.fail(start.streamId, `more than ${this.limits.maxContinuations} CONTINUATION frames`);
    }
    const total = this.size + frame.fragment.length;
    if (total > this.limits.maxBytes) return this.tooLarge(start.streamId, total);
    this.append(frame.fragment);
    if (!frame.endHeaders) return PENDING;
    const block = this.buffer.subarray(0, this.size);
    this.reset();
    return { kind: "header-block", start, block };
  }

  /** Copies a fragment in, growing the buffer by doubling, never past maxBytes. */
  private append(fragment: Uint8Array): void {
    const needed = this.size + fragment.length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.min(this.limits.maxBytes, Math.max(needed, this.buffer.length * 2, 1024)));
      grown.set(this.buffer.subarray(0, this.size));
      this.buffer = grown;
    }
    this.buffer.set(fragment, this.size);
    this.size = needed;
  }

  private tooLarge(streamId: number, bytes: number): HeaderBlockOutcome {
    return this.fail(streamId, `field block of ${bytes} bytes over ${this.limits.maxBytes}`);
  }

  private fail(streamId: number, reason: string): HeaderBlockOutcome {
    this.reset();
    return { kind: "header-block-too-large", streamId, reason };
  }

  /** Gives the buffer away with the block (or drops it): the next block starts afresh. */
  private reset(): void {
    this.start = null;
    this.buffer = new Uint8Array(0);
    this.size = 0;
    this.continuations = 0;
  }
}
