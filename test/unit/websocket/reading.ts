/** The frame reader and message assembler wired as the session wires them, collecting what comes out. */
import { FrameReader } from "../../../src/websocket/frame-reader.ts";
import { type Incoming, MessageAssembler } from "../../../src/websocket/message.ts";
import type { WebSocketFailure } from "../../../src/websocket/frame.ts";
export { concat, splitAt } from "../../support/byte-pieces.ts";

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
