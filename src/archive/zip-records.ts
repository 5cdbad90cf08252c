/**
 * The records of a zip file (PKWARE APPNOTE.TXT 6.3.10), each built as bytes: little-endian
 * fields at the offsets the note gives. zip.ts decides which to write and when.
 */

/** A 32-bit field that holds this value means "see the ZIP64 extra field" (APPNOTE §4.4.8). */
export const MAX32 = 0xffffffff;
/** A 16-bit count that holds this means "see the ZIP64 end record" (§4.4.21). */
export const MAX16 = 0xffff;
/** §4.4.4: bit 3, sizes and CRC follow the content in a data descriptor; bit 11, names are UTF-8. */
const FLAGS = (1 << 3) | (1 << 11);
/** §4.4.3.2: 2.0 for folders and data descriptors, 4.5 for ZIP64. */
const VERSION_20 = 20;
const VERSION_45 = 45;
/** §4.4.2: the upper byte 3 says the external attributes are Unix mode bits. */
const MADE_BY_UNIX = (3 << 8) | VERSION_45;

/** What the central directory needs to know about an entry once its content is written. */
export interface WrittenEntry {
  readonly name: Uint8Array;
  readonly directory: boolean;
  readonly dosTime: number;
  readonly dosDate: number;
  readonly crc: number;
  readonly size: number;
  /** Where its local header starts. */
  readonly offset: number;
  /** Its local header announced ZIP64 (the data descriptor has 8-byte sizes). */
  readonly zip64: boolean;
}

class Fields {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;
  constructor(length: number) {
    this.bytes = new Uint8Array(length);
    this.view = new DataView(this.bytes.buffer);
  }
  u16(value: number): this {
    this.view.setUint16(this.at, value, true);
    this.at += 2;
    return this;
  }
  u32(value: number): this {
    this.view.setUint32(this.at, value >>> 0, true);
    this.at += 4;
    return this;
  }
  u64(value: number): this {
    this.view.setBigUint64(this.at, BigInt(value), true);
    this.at += 8;
    return this;
  }
  raw(bytes: Uint8Array): this {
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
    return this;
  }
}

/** §4.3.7 local file header: CRC and sizes left 0 (bit 3); with ZIP64, both sizes in the extra field (§4.5.3). */
export function localHeader(name: Uint8Array, dosTime: number, dosDate: number, zip64: boolean): Uint8Array {
  const extra = zip64 ? new Fields(20).u16(0x0001).u16(16).u64(0).u64(0).bytes : new Uint8Array(0);
  return new Fields(30 + name.length + extra.length)
    .u32(0x04034b50).u16(zip64 ? VERSION_45 : VERSION_20).u16(FLAGS).u16(0) // method 0: stored
    .u16(dosTime).u16(dosDate).u32(0).u32(zip64 ? MAX32 : 0).u32(zip64 ? MAX32 : 0)
    .u16(name.length).u16(extra.length).raw(name).raw(extra).bytes;
}

/** §4.3.9 data descriptor, with its signature; 8-byte sizes when the local header was ZIP64 (§4.3.9.2). */
export function dataDescriptor(crc: number, size: number, zip64: boolean): Uint8Array {
  const fields = new Fields(zip64 ? 24 : 16).u32(0x08074b50).u32(crc);
  return (zip64 ? fields.u64(size).u64(size) : fields.u32(size).u32(size)).bytes;
}

/** §4.3.12 central directory header; §4.5.3: the ZIP64 extra holds only the fields that overflowed. */
export function centralHeader(entry: WrittenEntry): Uint8Array {
  const bigSize = entry.size >= MAX32;
  const bigOffset = entry.offset >= MAX32;
  const extraLength = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
  const extra = new Fields(extraLength === 0 ? 0 : 4 + extraLength);
  if (extraLength > 0) extra.u16(0x0001).u16(extraLength);
  if (bigSize) extra.u64(entry.size).u64(entry.size);
  if (bigOffset) extra.u64(entry.offset);
  // External attributes: the Unix mode in the upper 16 bits, MS-DOS's directory bit (0x10) below.
  const attributes = entry.directory ? ((0o40755 << 16) | 0x10) : (0o100644 << 16);
  const zip64 = entry.zip64 || extraLength > 0;
  return new Fields(46 + entry.name.length + extra.bytes.length)
    .u32(0x02014b50).u16(MADE_BY_UNIX).u16(zip64 ? VERSION_45 : VERSION_20).u16(FLAGS).u16(0)
    .u16(entry.dosTime).u16(entry.dosDate).u32(entry.crc)
    .u32(bigSize ? MAX32 : entry.size).u32(bigSize ? MAX32 : entry.size)
    .u16(entry.name.length).u16(extra.bytes.length).u16(0).u16(0).u16(0).u32(attributes)
    .u32(bigOffset ? MAX32 : entry.offset).raw(entry.name).raw(extra.bytes).bytes;
}

/** Where the central directory is, and how many entries it has. */
export interface Directory {
  readonly count: number;
  readonly offset: number;
  readonly size: number;
}

/** Whether the end needs the ZIP64 records: a count, size or offset past the classic fields (§4.4.1.4). */
export function needsZip64End(dir: Directory): boolean {
  return dir.count >= MAX16 || dir.size >= MAX32 || dir.offset >= MAX32;
}

/** §4.3.14 ZIP64 end of central directory record, then §4.3.15 its locator; `at` is where the record starts. */
export function zip64End(dir: Directory, at: number): Uint8Array {
  return new Fields(56 + 20)
    .u32(0x06064b50).u64(44).u16(MADE_BY_UNIX).u16(VERSION_45).u32(0).u32(0)
    .u64(dir.count).u64(dir.count).u64(dir.size).u64(dir.offset)
    .u32(0x07064b50).u32(0).u64(at).u32(1).bytes;
}

/** §4.3.16 end of central directory record; fields that overflowed hold their all-ones value. */
export function end(dir: Directory): Uint8Array {
  const count = Math.min(dir.count, MAX16);
  return new Fields(22)
    .u32(0x06054b50).u16(0).u16(0).u16(count).u16(count)
    .u32(Math.min(dir.size, MAX32)).u32(Math.min(dir.offset, MAX32)).u16(0).bytes;
}

/** §4.4.6: MS-DOS time and date (local time of no zone: we use UTC), 2-second steps, 1980 to 2107. */
export function dosDateTime(mtimeMs: number): { readonly time: number; readonly date: number } {
  const d = new Date(Number.isFinite(mtimeMs) ? mtimeMs : 0);
  const year = d.getUTCFullYear();
  if (year < 1980 || Number.isNaN(year)) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
