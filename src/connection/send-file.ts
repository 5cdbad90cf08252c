import { readFully } from "../io/read-fully.ts";
import type { FileBody, PartsBody } from "../http/response.ts";
import type { OpenFile } from "../ports/file-system.ts";
import { SEND_BUFFERS } from "./send-buffers.ts";

/** Files up to this size are read whole, straight behind their head, and leave in one write. */
const SMALL_FILE = 64 * 1024;

/** What the connection lends the sender while a file goes out. */
export interface OutputEvents {
  /** True once the connection is gone (closed, aborted, timed out). */
  gone(): boolean;
  /** Queues bytes on the socket; onFlushed runs once it no longer holds them. */
  write(bytes: Uint8Array, onFlushed?: () => void): boolean;
  /** Resolves at the next output event (drain, a flushed chunk, close); the send timeout runs meanwhile. */
  waitForOutput(): Promise<void>;
  /**
   * Resolves once the socket is below its high-water mark (at once when it already is). The
   * connection keeps that as a level, so a drain that came during an await is not lost.
   */
  drained(): Promise<void>;
  /** Signals an output event. */
  wake(): void;
}

export type SendResult =
  | { readonly kind: "sent" }
  /** The file vanished or shrank: the promised Content-Length cannot be met, so the connection must close. */
  | { readonly kind: "failed" }
  | { readonly kind: "gone" };

const GONE: SendResult = { kind: "gone" };
const SENT: SendResult = { kind: "sent" };
const FAILED: SendResult = { kind: "failed" };

interface Slot {
  readonly buffer: Uint8Array;
  busy: boolean;
}

/** Writes the head and the byte range [start, end) of a file, with backpressure and bounded memory. */
export async function sendFile(
  headBytes: Uint8Array,
  body: FileBody,
  events: OutputEvents,
): Promise<SendResult> {
  const file = await body.open();
  if (file === null) return events.gone() ? GONE : FAILED;
  const length = body.end - body.start;
  if (length <= SMALL_FILE) {
    try {
      if (events.gone()) return GONE;
      const whole = new Uint8Array(headBytes.length + length);
      whole.set(headBytes);
      const n = await readFully(file, whole.subarray(headBytes.length), body.start);
      if (events.gone()) return GONE;
      if (n !== length) return FAILED;
      events.write(whole);
      return SENT;
    } finally {
      await file.close();
    }
  }
  const slots: Slot[] = [];
  try {
    let result: SendResult;
    try {
      result = events.gone() ? GONE : await stream(file, headBytes, body, events, slots);
    } finally {
      await file.close();
    }
    // The file is closed already; the next pipelined response waits until the client has taken this one.
    while (result === SENT && slots.some((s) => s.busy) && !events.gone()) await events.waitForOutput();
    return events.gone() ? GONE : result;
  } finally {
    for (const slot of slots) {
      if (slot.busy) SEND_BUFFERS.forget(slot.buffer);
      else SEND_BUFFERS.release(slot.buffer);
    }
  }
}

/**
 * Two buffers in turn (src/connection/send-buffers.ts): one is read into while the other is being
 * written. A buffer is reused only after the connection has flushed it, so at most two chunks
 * per response are in memory however slow the client is. The buffers are left in `slots`,
 * some possibly still being written.
 */
async function stream(
  file: OpenFile,
  headBytes: Uint8Array,
  body: FileBody,
  events: OutputEvents,
  slots: Slot[],
): Promise<SendResult> {
  if (headBytes.length > 0) events.write(headBytes);
  let position = body.start;
  // Two buffers while the shared budget lasts; past it, many clients are slow and one small one each will do.
  const turns = SEND_BUFFERS.plentiful ? 2 : 1;
  for (let turn = 0; position < body.end; turn = (turn + 1) % turns) {
    const slot = (slots[turn] ??= { buffer: SEND_BUFFERS.acquire(), busy: false });
    while (slot.busy && !events.gone()) await events.waitForOutput();
    if (events.gone()) return GONE;
    const size = slot.buffer.length;
    const want = Math.min(size, body.end - position);
    const n = await file.read(want === size ? slot.buffer : slot.buffer.subarray(0, want), position);
    if (events.gone()) return GONE;
    if (n <= 0) return FAILED;
    position += n;
    slot.busy = true;
    events.write(n === size ? slot.buffer : slot.buffer.subarray(0, n), () => {
      slot.busy = false;
      events.wake();
    });
  }
  return SENT;
}

const NOTHING = new Uint8Array(0);

/**
 * Writes the head, then each piece in order: bytes as they are, file ranges through sendFile
 * (multipart/byteranges, RFC 9110 §14.6). Waits for the socket to drain between pieces.
 */
export async function sendParts(
  headBytes: Uint8Array,
  body: PartsBody,
  events: OutputEvents,
): Promise<SendResult> {
  events.write(headBytes);
  for (const piece of body.pieces) {
    await events.drained();
    if (events.gone()) return GONE;
    if (piece instanceof Uint8Array) {
      events.write(piece);
      continue;
    }
    const result = await sendFile(NOTHING, piece, events);
    if (result.kind !== "sent") return result;
  }
  return SENT;
}
