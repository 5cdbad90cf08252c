import { crc32 } from "./crc32.ts";
import type { ArchiveEntry } from "./entry.ts";
import {
  centralHeader,
  dataDescriptor,
  dosDateTime,
  end,
  localHeader,
  MAX32,
  needsZip64End,
  type WrittenEntry,
  zip64End,
} from "./zip-records.ts";

/**
 * A zip stream (PKWARE APPNOTE.TXT 6.3.10), written as the entries come. Each entry is stored
 * (method 0, §4.4.5): no compression keeps the CPU cost and memory flat, and what people put in
 * folders they download (photos, videos, archives) is mostly compressed already; tar.gz is there
 * for the rest. The CRC is known only once the content has streamed, so each entry sets general
 * purpose bit 3 and a data descriptor follows its content (§4.3.9); names are UTF-8 (bit 11).
 * ZIP64 (§4.5.3, §4.3.14) is used where a size, an offset or the count needs it. The central
 * directory is held in memory until the end: about 80 bytes and the name per entry.
 */
export async function* zipStream(entries: AsyncIterable<ArchiveEntry>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const written: WrittenEntry[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = encoder.encode(entry.kind === "directory" ? `${entry.path}/` : entry.path);
    const { time, date } = dosDateTime(entry.mtimeMs);
    // Content is read up to the size stat gave, so a file past 4 GiB - 1 is known to be one here.
    const zip64 = entry.size >= MAX32;
    const header = localHeader(name, time, date, zip64);
    const start = offset;
    yield header;
    offset += header.length;
    let crc = 0;
    let size = 0;
    if (entry.kind === "file") {
      for await (const piece of entry.content()) {
        const part = piece.length > entry.size - size ? piece.subarray(0, entry.size - size) : piece;
        crc = crc32(part, crc);
        size += part.length;
        offset += part.length;
        yield part;
        if (size >= entry.size) break;
      }
    }
    const descriptor = dataDescriptor(crc, size, zip64);
    yield descriptor;
    offset += descriptor.length;
    written.push({
      name,
      directory: entry.kind === "directory",
      dosTime: time,
      dosDate: date,
      crc,
      size,
      offset: start,
      zip64,
    });
  }
  yield* endOfZip(written, offset);
}

/** The central directory, one header at a time, then the end records. */
function* endOfZip(written: readonly WrittenEntry[], offset: number): Generator<Uint8Array> {
  let size = 0;
  for (const entry of written) {
    const header = centralHeader(entry);
    size += header.length;
    yield header;
  }
  const dir = { count: written.length, offset, size };
  if (needsZip64End(dir)) yield zip64End(dir, offset + size);
  yield end(dir);
}
