import * as zlib from "node:zlib";
import type { Compressor } from "../../src/ports/compress.ts";
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
  rawDeflate: nodeRawDeflate,
  rawInflate: nodeRawInflate,
};
