/** Frames fed to a FrameReader piece by piece, with what comes out collected; raw frames built byte by byte. */
import type { ConnectionError } from "../../../src/http2/error.ts";
import { type FrameEvent, FrameReader } from "../../../src/http2/frame-reader.ts";
import { writeFrameHeader } from "../../../src/http2/frame-writer.ts";
export { bytewise, concat, splitAt } from "../../support/byte-pieces.ts";

export interface Read {
  readonly events: FrameEvent[];
  readonly error: ConnectionError | null;
}

/** Feeds the pieces in order, until a connection error; each event's bytes copied (a view lives only during the call). */
export function readPieces(pieces: readonly Uint8Array[], maxFrameSize?: number): Read {
  const events: FrameEvent[] = [];
  const reader = new FrameReader((event) => {
    events.push(copied(event));
    return null;
  }, maxFrameSize);
  for (const piece of pieces) {
    const error = reader.feed(piece);
    if (error !== null) return { events, error };
  }
  return { events, error: null };
}

/** The event with each byte field a plain copy of its own. */
export function copied(event: FrameEvent): FrameEvent {
  const out: Record<string, unknown> = { ...event };
  for (const [key, value] of Object.entries(out)) {
    if (value instanceof Uint8Array) out[key] = new Uint8Array(value);
  }
  return out as unknown as FrameEvent;
}

/** A frame of any type, valid or not: `length` overrides the announced length, `reserved` sets the R bit. */
export function rawFrame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array | readonly number[] = [],
  options: { length?: number; reserved?: boolean } = {},
): Uint8Array {
  const bytes = payload instanceof Uint8Array ? payload : Uint8Array.from(payload);
  const out = new Uint8Array(9 + bytes.length);
  writeFrameHeader(out, 0, options.length ?? bytes.length, type, flags, streamId);
  if (options.reserved === true) out[5] = out[5]! | 0x80;
  out.set(bytes, 9);
  return out;
}

/** An open field block on stream 1 (HEADERS without END_HEADERS), for CONTINUATION cases. */
export const OPEN_BLOCK: Uint8Array = rawFrame(0x1, 0, 1, [0x82]);

/** A SETTINGS pair's 6 bytes (RFC 9113 §6.5.1). */
export function setting(id: number, value: number): number[] {
  return [id >> 8, id & 0xff, ...u32(value)];
}

export function u32(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}
