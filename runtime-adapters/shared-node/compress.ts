import * as zlib from "node:zlib";
import type { Compressor, GzipStream } from "../../src/ports/compress.ts";
import { nodeRawDeflate, nodeRawInflate } from "./raw-deflate.ts";

/** Brotli at quality 5 and gzip at level 6: results are cached, but the first request waits for them. */
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
const GZIP = { level: 6 };

export const nodeCompressor: Compressor = {
  compress: (data, coding) =>
    new Promise((resolve) => {
      const done = (error: Error | null, out: Buffer): void =>
        resolve(error === null ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : null);
      if (coding === "br") zlib.brotliCompress(data, BROTLI, done);
      else zlib.gzip(data, GZIP, done);
    }),
  gzipStream,
  rawDeflate: nodeRawDeflate,
  rawInflate: nodeRawInflate,
};

/**
 * A zlib Gzip transform driven one write at a time: a write's callback runs once zlib has read
 * all of its bytes (its output already emitted), which is what lets the caller reuse them.
 */
function gzipStream(): GzipStream {
  const gz = zlib.createGzip(GZIP);
  let output: Uint8Array[] = [];
  let failure: Error | null = null;
  gz.on("data", (piece: Buffer) => output.push(piece));
  gz.on("error", (error) => (failure = error));
  const take = (): Uint8Array[] => {
    const out = output;
    output = [];
    return out;
  };
  const settle = (resolve: (out: Uint8Array[]) => void, reject: (error: Error) => void) => (error?: Error | null) => {
    const cause = error ?? failure;
    if (cause) reject(cause);
    else resolve(take());
  };
  return {
    write: (bytes) => new Promise((resolve, reject) => void gz.write(bytes, settle(resolve, reject))),
    end: () =>
      new Promise((resolve, reject) => {
        const done = settle(resolve, reject);
        gz.once("end", () => done());
        gz.once("error", done);
        gz.end();
      }),
    close: () => void gz.destroy(),
  };
}
