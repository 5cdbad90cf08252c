import { type ArchiveEntry, unixSeconds } from "./entry.ts";

/**
 * A tar stream (POSIX.1-2001 pax Interchange Format, IEEE Std 1003.1 `pax`, "ustar Interchange
 * Format" and "pax Header Block"), written as the entries come: a 512-byte ustar header per entry,
 * its content padded to a 512-byte block, two zero blocks at the end. Names longer than the
 * header's 100 bytes or not ASCII, and sizes past the 11 octal digits (8 GiB - 1), go in a pax
 * extended header ('x') before the entry.
 */

const BLOCK = 512;
/** 11 octal digits: the largest size and mtime a ustar header holds. */
const MAX_OCTAL_11 = 0o77777777777;
const encoder = new TextEncoder();

/** Told when a file gave fewer bytes than its header promised (it shrank): the rest is zeros. */
export type ShortFile = (path: string, promised: number, given: number) => void;

export async function* tarStream(
  entries: AsyncIterable<ArchiveEntry>,
  onShort: ShortFile = () => {},
): AsyncGenerator<Uint8Array> {
  for await (const entry of entries) {
    yield headerFor(entry);
    if (entry.kind === "file") yield* contentOf(entry, onShort);
  }
  // ustar: "two consecutive 512-byte blocks of zeros" end the archive.
  yield new Uint8Array(2 * BLOCK);
}

/** Exactly `size` bytes, then padding to the block: the header's size is what a reader skips by. */
async function* contentOf(entry: ArchiveEntry, onShort: ShortFile): AsyncGenerator<Uint8Array> {
  let given = 0;
  for await (const piece of entry.content()) {
    const room = entry.size - given;
    if (room <= 0) break;
    const part = piece.length > room ? piece.subarray(0, room) : piece;
    given += part.length;
    yield part;
  }
  if (given < entry.size) {
    onShort(entry.path, entry.size, given);
    yield* zeros(entry.size - given);
  }
  const tail = entry.size % BLOCK;
  if (tail !== 0) yield new Uint8Array(BLOCK - tail);
}

function* zeros(count: number): Generator<Uint8Array> {
  const chunk = new Uint8Array(Math.min(count, 64 * 1024));
  for (let left = count; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

/** The entry's header block, after a pax header when the ustar fields cannot hold it. */
export function headerFor(entry: ArchiveEntry): Uint8Array {
  const name = entry.kind === "directory" ? `${entry.path}/` : entry.path;
  const nameBytes = encoder.encode(name);
  const records: string[] = [];
  const fitsName = nameBytes.length <= 100 && nameBytes.length === name.length;
  if (!fitsName) records.push(paxRecord("path", name));
  if (entry.size > MAX_OCTAL_11) records.push(paxRecord("size", String(entry.size)));
  const header = ustarHeader({
    name: fitsName ? nameBytes : asciiFallback(name),
    size: entry.size > MAX_OCTAL_11 ? 0 : entry.size,
    mtime: unixSeconds(entry.mtimeMs, MAX_OCTAL_11),
    type: entry.kind === "directory" ? "5" : "0",
    mode: entry.kind === "directory" ? 0o755 : 0o644,
  });
  if (records.length === 0) return header;
  const data = encoder.encode(records.join(""));
  const pax = ustarHeader({
    name: asciiFallback(`PaxHeader/${name}`),
    size: data.length,
    mtime: 0,
    type: "x",
    mode: 0o644,
  });
  const out = new Uint8Array(BLOCK + padded(data.length) + BLOCK);
  out.set(pax, 0);
  out.set(data, BLOCK);
  out.set(header, BLOCK + padded(data.length));
  return out;
}

/** pax: "%d %s=%s\n", the length counting itself (its digits may add one more digit). */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bytes = encoder.encode(body).length;
  let digits = 1;
  while (String(bytes + digits).length > digits) digits++;
  return `${bytes + digits}${body}`;
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** The header's name when the real one is in a pax record: printable ASCII, 100 bytes at most. */
function asciiFallback(name: string): Uint8Array {
  return encoder.encode(name.replace(/[^\x20-\x7e]/g, "_").slice(0, 100));
}

interface UstarFields {
  readonly name: Uint8Array;
  readonly size: number;
  readonly mtime: number;
  readonly type: "0" | "5" | "x";
  readonly mode: number;
}

/** One ustar header block: fields at their offsets, numbers in octal ended by NUL. */
function ustarHeader(fields: UstarFields): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block.set(fields.name, 0);
  octal(block, 100, 8, fields.mode);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, fields.size);
  octal(block, 136, 12, fields.mtime);
  block[156] = fields.type.charCodeAt(0);
  block.set(encoder.encode("ustar\u000000"), 257); // magic "ustar" NUL, version "00"
  // The checksum: the sum of the header's bytes with its own field read as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  octal(block, 148, 7, sum);
  return block;
}

/** `value` in octal, zero-padded to width - 1 digits, then NUL. */
function octal(block: Uint8Array, offset: number, width: number, value: number): void {
  block.set(encoder.encode(value.toString(8).padStart(width - 1, "0")), offset);
  block[offset + width - 1] = 0;
}
