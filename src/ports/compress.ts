/** Content codings the runtime can produce (RFC 9110 §8.4.1). */
export type CompressCoding = "br" | "gzip";

/** Compression, for on-the-fly encoding of small text files (--compress) and of archives (tar.gz). */
export interface Compressor {
  /** The data encoded, or null when the runtime cannot do it. Never rejects. */
  compress(data: Uint8Array, coding: CompressCoding): Promise<Uint8Array | null>;
  /** A new gzip member (RFC 1952) written piece by piece, for what is compressed as it is sent. */
  gzipStream(): GzipStream;
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
