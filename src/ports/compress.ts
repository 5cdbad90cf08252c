/** Content codings the runtime can produce (RFC 9110 §8.4.1). */
export type CompressCoding = "br" | "gzip";

/**
 * A raw DEFLATE stream (RFC 1951: no zlib or gzip wrapper) that keeps its window from one call
 * to the next: permessage-deflate's compressor (RFC 7692 §7.2.1). Calls are answered in order,
 * one at a time, however many are made before the first resolves.
 */
export interface RawDeflateStream {
  /**
   * The data compressed and flushed with a sync flush, so the output ends on a byte boundary with
   * an empty stored block (0x00 0x00 0xff 0xff) and holds everything given so far. null when the
   * runtime failed (the stream is then closed). Never rejects.
   */
  deflate(data: Uint8Array): Promise<Uint8Array | null>;
  /** Frees the stream (its window): nothing more is asked of it. */
  close(): void;
}

/** How an inflate call ended: all input inflated, stopped by the caller, or not valid DEFLATE data. */
export type InflateEnd = "done" | "stopped" | "failed";

/** A raw DEFLATE decompressor that keeps its window from one call to the next (RFC 7692 §7.2.2). */
export interface RawInflateStream {
  /**
   * Inflates data (then flushes it out), handing each piece of output to onOutput as the
   * decompressor produces it (pieces of at most a chunk, 16 KiB): onOutput returning false stops
   * it at once, so no more than one chunk past what the caller accepted is ever produced (a
   * small input that inflates to gigabytes costs a chunk). "stopped" or "failed" close the
   * stream. Calls are answered in order, one at a time. Never rejects.
   */
  inflate(data: Uint8Array, onOutput: (piece: Uint8Array) => boolean): Promise<InflateEnd>;
  close(): void;
}

/**
 * Compression, for on-the-fly encoding of small text files (--compress), of archives (tar.gz),
 * and WebSocket's permessage-deflate.
 */
export interface Compressor {
  /** The data encoded, or null when the runtime cannot do it. Never rejects. */
  compress(data: Uint8Array, coding: CompressCoding): Promise<Uint8Array | null>;
  /** A new gzip member (RFC 1952) written piece by piece, for what is compressed as it is sent. */
  gzipStream(): GzipStream;
  /** A raw deflate stream with a window of 2^windowBits bytes (9-15). Absent: permessage-deflate is never negotiated. */
  rawDeflate?(windowBits: number): RawDeflateStream;
  /** A raw inflate stream for data compressed with a window of at most 2^windowBits bytes (8-15). */
  rawInflate?(windowBits: number): RawInflateStream;
}

/**
 * One gzip member made as its input comes. The caller writes a piece and waits: only then may it
 * fill that buffer again, so an archive of any size goes through one read buffer.
 */
export interface GzipStream {
  /** Compresses all of bytes; resolves once they were read, with the output made so far (perhaps none). */
  write(bytes: Uint8Array): Promise<Uint8Array[]>;
  /** Ends the member: the rest of the output. */
  end(): Promise<Uint8Array[]>;
  /** Gives it up (a download abandoned): the compressor's memory is freed. Never throws. */
  close(): void;
}
