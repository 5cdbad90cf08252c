import * as zlib from "node:zlib";
import type { InflateEnd, RawDeflateStream, RawInflateStream } from "../../src/ports/compress.ts";

/** zlib's output pieces: the most an inflate produces past the point its caller said stop. */
const CHUNK = 16 * 1024;

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function joined(pieces: readonly Buffer[]): Uint8Array {
  return pieces.length === 1 ? bytes(pieces[0]!) : bytes(Buffer.concat(pieces));
}

/** Flushes with Z_SYNC_FLUSH; then, whether the flush failed (Deno says so here; Node and Bun never call back on failure). */
function afterFlush(stream: zlib.DeflateRaw | zlib.InflateRaw, then: (failed: boolean) => void): void {
  const flush = stream.flush as (kind: number, callback: (error?: unknown) => void) => void;
  flush.call(stream, zlib.constants.Z_SYNC_FLUSH, (error) => then(error !== undefined && error !== null));
}

/**
 * Runs calls one after another: a zlib stream's output is told apart per call only when the next
 * write starts after the previous flush came back.
 */
function inTurn(): <T>(run: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (run) => {
    const next = last.then(run);
    last = next;
    return next;
  };
}

/**
 * permessage-deflate's compressor on node:zlib (Node, and the node:zlib of Deno and Bun): a
 * DeflateRaw stream kept open, each message written then flushed with Z_SYNC_FLUSH (RFC 7692
 * §7.2.1), collecting what the flush produced.
 */
export function nodeRawDeflate(windowBits: number): RawDeflateStream {
  const stream = zlib.createDeflateRaw({ windowBits, chunkSize: CHUNK });
  let broken = false;
  stream.on("error", () => (broken = true));
  const turn = inTurn();
  const deflate = (data: Uint8Array): Promise<Uint8Array | null> =>
    new Promise((resolve) => {
      if (broken || stream.destroyed) return resolve(null);
      const pieces: Buffer[] = [];
      const onData = (piece: Buffer): number => pieces.push(piece);
      const finish = (out: Uint8Array | null): void => {
        stream.off("data", onData);
        stream.off("error", onError);
        resolve(out);
      };
      const onError = (): void => finish(null);
      stream.on("data", onData);
      stream.once("error", onError);
      stream.write(data);
      afterFlush(stream, (error) => finish(error || broken ? null : joined(pieces)));
    });
  return {
    deflate: (data) => turn(() => deflate(data)),
    close: () => stream.close(),
  };
}

/**
 * permessage-deflate's decompressor on node:zlib: an InflateRaw stream kept open, each message
 * written then flushed, its output handed on piece by piece as zlib produces it. A caller that
 * says stop closes the stream at once: node's zlib checks for that between pieces, so it
 * produces at most one more (RFC 7692 §8.1's concern: a small message that inflates to a lot).
 * A message that ended its DEFLATE stream (a final block, §7.2.3.4) ends the window: the next
 * one starts a new stream, as its sender's compressor did.
 */
export function nodeRawInflate(windowBits: number): RawInflateStream {
  let current = open(windowBits);
  const turn = inTurn();
  return {
    inflate: (data, onOutput) =>
      turn(() => {
        if (current.ended) current = open(windowBits);
        return inflateOn(current, data, onOutput);
      }),
    close: () => current.stream.close(),
  };
}

interface Inflater {
  readonly stream: zlib.InflateRaw;
  failed: boolean;
  ended: boolean;
}

function open(windowBits: number): Inflater {
  const inflater: Inflater = {
    stream: zlib.createInflateRaw({ windowBits, chunkSize: CHUNK }),
    failed: false,
    ended: false,
  };
  inflater.stream.on("error", () => (inflater.failed = true));
  inflater.stream.on("end", () => (inflater.ended = true));
  return inflater;
}

function inflateOn(
  inflater: Inflater,
  data: Uint8Array,
  onOutput: (piece: Uint8Array) => boolean,
): Promise<InflateEnd> {
  const stream = inflater.stream;
  return new Promise((resolve) => {
    if (inflater.failed || stream.destroyed) return resolve("failed");
    let stopped = false;
    let finished = false;
    const finish = (end: InflateEnd): void => {
      if (finished) return;
      finished = true;
      stream.off("data", onData);
      stream.off("error", onError);
      resolve(end);
    };
    const onData = (piece: Buffer): void => {
      if (stopped || onOutput(bytes(piece))) return;
      stopped = true;
      stream.close();
      finish("stopped");
    };
    const onError = (): void => finish("failed");
    stream.on("data", onData);
    stream.once("error", onError);
    stream.write(data);
    // Node and Bun only emit "error" for bad data; Deno's flush calls back with it first.
    afterFlush(stream, (error) => finish(error || inflater.failed ? "failed" : "done"));
  });
}
