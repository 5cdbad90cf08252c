/** Content codings the runtime can produce (RFC 9110 §8.4.1). */
export type CompressCoding = "br" | "gzip";

/** Compression, for on-the-fly encoding of small text files (--compress). */
export interface Compressor {
  /** The data encoded, or null when the runtime cannot do it. Never rejects. */
  compress(data: Uint8Array, coding: CompressCoding): Promise<Uint8Array | null>;
}
