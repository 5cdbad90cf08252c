/** What an archive is made of: entries in order, each with its content read as it is written. */

export interface ArchiveEntry {
  /** The path inside the archive, "/"-separated, without a leading or trailing slash. */
  readonly path: string;
  readonly kind: "file" | "directory";
  /** Bytes, as stat gave them when the entry was found; 0 for folders. */
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * The content, at most `size` bytes, in pieces (a file that shrank gives fewer; the format
   * decides what to do about it). Folders give nothing. The iterator closes the file on return.
   * A piece may be a view of a buffer the next one is read into: it is valid until the next is
   * asked for, so a writer uses or copies it before it pulls again.
   */
  content(): AsyncIterable<Uint8Array>;
}

/** Unix seconds of a modification time, clamped to what a format can hold (0 .. max). */
export function unixSeconds(mtimeMs: number, max: number): number {
  if (!Number.isFinite(mtimeMs) || mtimeMs <= 0) return 0;
  return Math.min(Math.floor(mtimeMs / 1000), max);
}
