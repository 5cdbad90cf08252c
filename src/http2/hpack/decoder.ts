import {
  type CompressionError,
  compressionError,
  type DecodeResult,
  type HeaderField,
  type HeaderListTooLarge,
  integerFailure,
} from "./decode-result.ts";
import { DynamicTable, type TableView } from "./dynamic-table.ts";
import { type Cursor, decodeInteger } from "./integer.ts";
import { STATIC_LENGTH, STATIC_TABLE } from "./static-table.ts";
import { StringReader } from "./string-literal.ts";

export interface HpackDecoderOptions {
  /**
   * The SETTINGS_HEADER_TABLE_SIZE in force when decoding starts (RFC 9113 §6.5.2; 4096, the
   * protocol's initial value, unless both sides agreed otherwise): the table's maximum size, and
   * the most a dynamic table size update may ask for (§4.2, §6.3).
   */
  readonly maxTableSize?: number;
  /** The most a field list may hold, each field counted as name + value + 32 octets (§4.1). */
  readonly maxHeaderListSize?: number;
  /** The most fields a list may hold. */
  readonly maxFields?: number;
}

/**
 * Decodes header blocks (RFC 7541 §3, §6), the one table of one HTTP/2 connection: each decode()
 * takes a whole field block (HEADERS and its CONTINUATIONs, joined) and returns its fields, or why
 * it is refused. A compression error is final: the connection must close (RFC 9113 §4.3), and
 * every later call returns the same error. Names and values are not checked here (RFC 9113 §8.2
 * belongs to the stream layer): they come out exactly as sent.
 */
export class HpackDecoder {
  private readonly table: DynamicTable;
  private readonly strings = new StringReader();
  private readonly cursor: Cursor = { pos: 0 };
  private readonly maxHeaderListSize: number;
  private readonly maxFields: number;
  /** The SETTINGS_HEADER_TABLE_SIZE in force: the most a size update may set (§6.3). */
  private allowed: number;
  /** After a setting below the table's maximum size, the most the next block's first update may set; else -1. */
  private requiredUpdate = -1;
  private failure: CompressionError | null = null;

  /** The block being decoded: its fields, its list's size and count, the limit it broke. */
  private fields: HeaderField[] = [];
  private listSize = 0;
  private fieldCount = 0;
  private overLimit: HeaderListTooLarge["limit"] | null = null;

  constructor(options: HpackDecoderOptions = {}) {
    this.allowed = options.maxTableSize ?? 4096;
    this.table = new DynamicTable(this.allowed);
    this.maxHeaderListSize = options.maxHeaderListSize ?? 65536;
    this.maxFields = options.maxFields ?? 100;
  }

  /** The dynamic table as it stands (for tests and diagnostics). */
  get dynamicTable(): TableView {
    return this.table;
  }

  /**
   * Our SETTINGS_HEADER_TABLE_SIZE changed, acknowledged by the peer (RFC 9113 §6.5.3): size
   * updates may now ask for up to maxTableSize. When it is below the table's maximum size, the
   * peer's encoder must shrink its table, so the next block must start with a size update no
   * larger than it (§4.2; the smallest one first if the setting changed more than once).
   */
  setMaxTableSize(maxTableSize: number): void {
    this.allowed = maxTableSize;
    if (maxTableSize < this.table.maxSize) {
      this.requiredUpdate = this.requiredUpdate < 0 ? maxTableSize : Math.min(this.requiredUpdate, maxTableSize);
    }
  }

  /** Decodes one whole header block: its fields, or a compression error, or a list over a limit. */
  decode(block: Uint8Array): DecodeResult {
    if (this.failure !== null) return this.failure;
    const failure = this.decodeBlock(block);
    const result = failure ?? this.outcome();
    this.fields = [];
    if (failure !== null) this.failure = failure;
    return result;
  }

  private decodeBlock(block: Uint8Array): CompressionError | null {
    this.listSize = 0;
    this.fieldCount = 0;
    this.overLimit = null;
    const cursor = this.cursor;
    cursor.pos = 0;
    let atStart = true;
    while (cursor.pos < block.length) {
      const b = block[cursor.pos]!;
      const isSizeUpdate = (b & 0xe0) === 0x20;
      const failure = isSizeUpdate ? this.sizeUpdateAt(atStart, block) : this.field(block, b);
      if (failure !== null) return failure;
      atStart &&= isSizeUpdate;
    }
    return this.requiredUpdate >= 0 ? missingUpdate() : null;
  }

  /** §4.2: a size update may only come at the beginning of a block, before its first field. */
  private sizeUpdateAt(atStart: boolean, block: Uint8Array): CompressionError | null {
    return atStart ? this.sizeUpdate(block) : compressionError("a dynamic table size update after a field");
  }

  /** A field's representation: indexed (1, §6.1) or a literal (§6.2), once any required update came. */
  private field(block: Uint8Array, first: number): CompressionError | null {
    if (this.requiredUpdate >= 0) return missingUpdate();
    return first >= 0x80 ? this.indexed(block) : this.literal(block, first);
  }

  private outcome(): DecodeResult {
    if (this.overLimit === null) return { kind: "fields", fields: this.fields };
    return { kind: "too-large", limit: this.overLimit, listSize: this.listSize, fieldCount: this.fieldCount };
  }

  /** §6.3: a new maximum size, at most the setting (§4.2), evicting entries that no longer fit (§4.3). */
  private sizeUpdate(block: Uint8Array): CompressionError | null {
    const size = decodeInteger(block, this.cursor, 5);
    if (size < 0) return integerFailure(size, "a dynamic table size update");
    if (size > this.allowed) {
      return compressionError(`a dynamic table size update to ${size} over SETTINGS_HEADER_TABLE_SIZE ${this.allowed}`);
    }
    if (this.requiredUpdate >= 0 && size > this.requiredUpdate) {
      return compressionError(
        `the first dynamic table size update after a lower setting must be at most ${this.requiredUpdate}`,
      );
    }
    this.requiredUpdate = -1;
    this.table.setMaxSize(size);
    return null;
  }

  /** §6.1: an indexed field, from either table (§2.3.3). */
  private indexed(block: Uint8Array): CompressionError | null {
    const index = decodeInteger(block, this.cursor, 7);
    if (index < 0) return integerFailure(index, "an index");
    if (index <= STATIC_LENGTH) {
      if (index === 0) return compressionError("index 0 (§6.1)");
      const entry = STATIC_TABLE[index]!;
      this.emit(entry[0], entry[1], false);
      return null;
    }
    const i = index - STATIC_LENGTH - 1;
    if (i >= this.table.length) return pastTheTables(index, this.table.length);
    this.emit(this.table.name(i), this.table.value(i), false);
    return null;
  }

  /**
   * §6.2: a literal field, its name indexed or literal; with incremental indexing (01, a 6-bit
   * prefix, §6.2.1) it joins the dynamic table; without indexing (0000) or never indexed (0001,
   * §6.2.3), 4-bit prefixes, it does not.
   */
  private literal(block: Uint8Array, first: number): CompressionError | null {
    const indexing = (first & 0x40) !== 0;
    const index = decodeInteger(block, this.cursor, indexing ? 6 : 4);
    if (index < 0) return integerFailure(index, "a name's index");
    const name = index === 0 ? this.strings.read(block, this.cursor) : this.nameAt(index);
    if (typeof name !== "string") return name;
    const value = this.strings.read(block, this.cursor);
    if (typeof value !== "string") return value;
    if (indexing) this.table.add(name, value);
    this.emit(name, value, !indexing && (first & 0x10) !== 0);
    return null;
  }

  /** The name at index (not 0) of either table. */
  private nameAt(index: number): string | CompressionError {
    if (index <= STATIC_LENGTH) return STATIC_TABLE[index]![0];
    const i = index - STATIC_LENGTH - 1;
    return i < this.table.length ? this.table.name(i) : pastTheTables(index, this.table.length);
  }

  /**
   * A decoded field joins the list, unless the list is over a limit: then decoding goes on (the
   * table must stay in step with the peer's, RFC 9113 §4.3) but the fields are dropped.
   */
  private emit(name: string, value: string, sensitive: boolean): void {
    this.listSize += name.length + value.length + 32;
    this.fieldCount++;
    if (this.overLimit !== null) return;
    if (this.listSize > this.maxHeaderListSize) this.overLimit = "max-header-list-size";
    else if (this.fieldCount > this.maxFields) this.overLimit = "max-fields";
    else this.fields.push({ name, value, sensitive });
    if (this.overLimit !== null) this.fields = [];
  }
}

/** §2.3.3: indices past both tables MUST be treated as a decoding error. */
function pastTheTables(index: number, dynamicLength: number): CompressionError {
  return compressionError(`index ${index} past the tables (61 static and ${dynamicLength} dynamic entries)`);
}

/** §4.2: after the setting went below the table's size, a block must start with a size update. */
function missingUpdate(): CompressionError {
  return compressionError("the block does not start with the dynamic table size update the lower setting requires");
}
