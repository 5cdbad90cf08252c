import type { HttpError } from "../http/http-error.ts";
import type { RequestBody } from "../http/request-body.ts";

/** Why a body read failed, as Fetch reports it (a TypeError, Fetch §6.2 "consume body"). */
function failure(error: HttpError | null): TypeError {
  return new TypeError(
    error === null
      ? "the client went away before its request body ended"
      : `the request body was refused (${error.status})`,
  );
}

/** The whole body in one buffer. */
export async function readWhole(body: RequestBody): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const read = await body.read();
    if (read.kind === "end") break;
    if (read.kind === "failed") throw failure(read.error);
    parts.push(read.bytes);
    total += read.bytes.length;
  }
  return joinPieces(parts, total);
}

/** Pieces of a body as one buffer (the piece itself when there is one). */
export function joinPieces(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

/**
 * The body as a ReadableStream that reads the socket only when its consumer asks (high-water
 * mark 0): an app that reads slowly holds the socket paused, and the client's TCP window fills.
 */
export function bodyStream(body: RequestBody): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const read = await body.read();
        if (read.kind === "data") controller.enqueue(read.bytes);
        else if (read.kind === "end") controller.close();
        else controller.error(failure(read.error));
      },
      cancel() {
        body.cancel();
      },
    },
    { highWaterMark: 0 },
  );
}

/** A Uint8Array's bytes as an ArrayBuffer of their own. */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}
