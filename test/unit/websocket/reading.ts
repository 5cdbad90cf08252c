/** The frame reader and message assembler wired as the session wires them, collecting what comes out. */
import { FrameReader } from "../../../src/websocket/frame-reader.ts";
import { type Incoming, MessageAssembler } from "../../../src/websocket/message.ts";
import type { WebSocketFailure } from "../../../src/websocket/frame.ts";

export interface Read {
  readonly incoming: Incoming[];
  readonly failure: WebSocketFailure | null;
}

/** Feeds the pieces in order; stops at a close (as the session does) or a failure. */
export function readPieces(pieces: readonly Uint8Array[], maxPayload = 1024 * 1024): Read {
  const incoming: Incoming[] = [];
  const assembler = new MessageAssembler(maxPayload, (m) => {
    incoming.push(m);
    return m.kind === "close" ? "stop" : null;
  });
  const reader = new FrameReader(maxPayload, (event) => assembler.take(event));
  for (const piece of pieces) {
    const failure = reader.feed(piece);
    if (failure !== null) return { incoming, failure };
  }
  return { incoming, failure: null };
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** bytes cut at the given offsets (sorted, within bounds). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}
