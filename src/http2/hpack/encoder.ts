import { ByteWriter } from "./byte-writer.ts";
import { entrySize, type TableView } from "./dynamic-table.ts";
import { EncoderTable } from "./encoder-table.ts";
import { huffmanEncode, huffmanLength } from "./huffman-encode.ts";
import { defaultIndexing, type Indexing, type IndexingPolicy } from "./indexing.ts";
import { encodeInteger } from "./integer.ts";
import { staticNameIndex, staticPairIndex } from "./static-table.ts";

/** A field to encode. Names and values are latin1 strings (each code unit one octet, at most 0xff). */
export interface FieldToEncode {
  readonly name: string;
  readonly value: string;
  /** Encode as a literal never indexed (§6.2.3), as a decoder marks what came that way. */
  readonly sensitive?: boolean;
}

export interface HpackEncoderOptions {
  /**
   * The peer's SETTINGS_HEADER_TABLE_SIZE when encoding starts (RFC 9113 §6.5.2): 4096, the
   * protocol's initial value, unless both sides agreed otherwise. The table starts at this size.
   */
  readonly tableSize?: number;
  /** The most this encoder's table ever holds, whatever the peer allows (memory per connection). */
  readonly maxTableSize?: number;
  /** Huffman-code string literals when that is shorter (the default), always, or never (§5.2). */
  readonly huffman?: "shorter" | "always" | "never";
  /** Chooses which fields join the dynamic table; sensitive fields are never indexed whatever it says. */
  readonly indexing?: IndexingPolicy;
}

/**
 * Encodes field lists into header blocks (RFC 7541 §3, §6) for one HTTP/2 connection: a field in
 * the static table (such as :status 200, 204, 206, 304, 400, 404 and 500, entries 8 to 14) or the
 * dynamic table is one index (§6.1); otherwise a literal, its name indexed when either table has
 * it, which joins the dynamic table when the indexing policy says so and it takes at most 3/4 of
 * the table (a larger one would evict everything else).
 */
export class HpackEncoder {
  private readonly tables: EncoderTable;
  private readonly out = new ByteWriter();
  private readonly cap: number;
  private readonly huffman: "shorter" | "always" | "never";
  private readonly indexing: IndexingPolicy;
  /** Maximum sizes set since the last block (§4.2): the smallest and the last; -1 when none. */
  private smallestPending = -1;
  private lastPending = -1;

  constructor(options: HpackEncoderOptions = {}) {
    const tableSize = options.tableSize ?? 4096;
    this.cap = options.maxTableSize ?? 4096;
    this.huffman = options.huffman ?? "shorter";
    this.indexing = options.indexing ?? defaultIndexing;
    this.tables = new EncoderTable(tableSize);
    this.setMaxTableSize(tableSize);
  }

  /** The dynamic table as it stands (for tests and diagnostics). */
  get dynamicTable(): TableView {
    return this.tables.table;
  }

  /**
   * The peer's SETTINGS_HEADER_TABLE_SIZE changed (RFC 9113 §6.5.2): the table's maximum size
   * becomes the smaller of it and maxTableSize, signalled at the start of the next block (§4.2).
   */
  setMaxTableSize(peerSetting: number): void {
    const size = Math.min(peerSetting, this.cap);
    this.smallestPending = this.smallestPending < 0 ? size : Math.min(this.smallestPending, size);
    this.lastPending = size;
  }

  /** One header block holding the fields in order. */
  encode(fields: readonly FieldToEncode[]): Uint8Array {
    this.sizeUpdates();
    for (const field of fields) this.field(field);
    return this.out.take();
  }

  /**
   * §4.2: the size updates a changed maximum needs, at the block's start: the smallest size first
   * when the maximum went below the table's and came back up (so the peer evicts what we did),
   * then the last one; none when the maximum ends where it was without going lower.
   */
  private sizeUpdates(): void {
    if (this.lastPending < 0) return;
    const table = this.tables.table;
    const smallest = this.smallestPending;
    const last = this.lastPending;
    this.smallestPending = -1;
    this.lastPending = -1;
    if (smallest < table.maxSize) this.sizeUpdate(smallest);
    if (last !== table.maxSize) this.sizeUpdate(last);
  }

  /** §6.3: 001 and the new maximum size on a 5-bit prefix. */
  private sizeUpdate(size: number): void {
    encodeInteger(this.out, size, 5, 0x20);
    this.tables.table.setMaxSize(size);
  }

  private field(field: FieldToEncode): void {
    const { name, value } = field;
    const indexing: Indexing = field.sensitive === true ? "never" : this.indexing(name, value);
    if (indexing !== "never") {
      const index = staticPairIndex(name, value) || this.tables.pairIndex(name, value);
      if (index !== 0) {
        // §6.1: an indexed field, 1 and the index on a 7-bit prefix.
        encodeInteger(this.out, index, 7, 0x80);
        return;
      }
    }
    const nameIndex = staticNameIndex(name) || this.tables.nameIndex(name);
    if (indexing === "incremental" && entrySize(name, value) * 4 <= this.tables.table.maxSize * 3) {
      this.literal(0x40, 6, nameIndex, name, value);
      this.tables.add(name, value);
    } else {
      this.literal(indexing === "never" ? 0x10 : 0x00, 4, nameIndex, name, value);
    }
  }

  /**
   * §6.2: a literal field: its pattern (01 with incremental indexing, 0000 without, 0001 never
   * indexed) and its name's index on the prefix (0: the name follows as a string), then the value.
   */
  private literal(pattern: number, prefixBits: number, nameIndex: number, name: string, value: string): void {
    encodeInteger(this.out, nameIndex, prefixBits, pattern);
    if (nameIndex === 0) this.string(name);
    this.string(value);
  }

  /** §5.2: a string literal, Huffman-coded (H = 1) when the options and its length say so. */
  private string(text: string): void {
    const coded = this.huffman === "never" ? -1 : huffmanLength(text);
    const useHuffman = this.huffman === "always" || (this.huffman === "shorter" && coded < text.length);
    if (!useHuffman) {
      encodeInteger(this.out, text.length, 7, 0x00);
      this.out.latin1(text);
      return;
    }
    encodeInteger(this.out, coded, 7, 0x80);
    const buf = this.out.reserve(coded);
    this.out.advance(huffmanEncode(text, buf, this.out.length) - this.out.length);
  }
}
