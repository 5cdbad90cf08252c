/**
 * Workers share the supervisor's stdout. A write of at most PIPE_BUF bytes to a pipe is atomic:
 * it is never interleaved with another process's write (POSIX write(2); Linux pipe(7): 4096
 * bytes). The access log writes batches of up to 64 KiB, which two workers' batches could cut
 * into each other mid-line. So a worker writes each batch in pieces of at most PIPE_BUF bytes
 * that end at a line's end; only a single line longer than that goes out alone and may mix.
 * (A regular file opened for appending, --log FILE, is not affected: each write lands whole.)
 */
export const PIPE_BUF = 4096;

const NEWLINE = 0x0a;

/** The batch as consecutive pieces, each ending at a "\n" and at most `max` bytes long where lines allow. */
export function linePieces(batch: Uint8Array, max = PIPE_BUF): Uint8Array[] {
  if (batch.length <= max) return [batch];
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (batch.length - start > max) {
    // The last line end within the next max bytes; else the end of this (long) line.
    let cut = batch.lastIndexOf(NEWLINE, start + max - 1);
    if (cut < start) cut = batch.indexOf(NEWLINE, start + max);
    if (cut === -1) break;
    pieces.push(batch.subarray(start, cut + 1));
    start = cut + 1;
  }
  if (start < batch.length) pieces.push(batch.subarray(start));
  return pieces;
}
