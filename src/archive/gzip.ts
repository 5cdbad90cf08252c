import type { GzipStream } from "../ports/compress.ts";

/**
 * Pieces compressed as one gzip member (RFC 1952) by the runtime's compressor (the Compressor
 * port). Pulled: the source is read only once the compressor has read the last piece and its
 * output was taken, so a slow client pauses the walk of the folder too, and a source that reuses
 * its buffer (ArchiveEntry.content) may. The output pieces are the compressor's own.
 *
 * Not CompressionStream: Node's resolves a write before its zlib has read the bytes (a reused
 * buffer came out corrupted), and a new buffer per piece instead grew Node's RSS by 270 MiB
 * for a 2 GiB folder (issue 24), the collector not keeping up with pieces its pipe still held.
 */
export async function* gzipStream(source: AsyncIterable<Uint8Array>, gzip: GzipStream): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    for await (const piece of source) yield* await gzip.write(piece);
    yield* await gzip.end();
    ended = true;
  } finally {
    if (!ended) gzip.close();
  }
}
