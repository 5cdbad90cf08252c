/** §4.1: an entry's size is its name's and value's octets plus 32 (names and values are latin1 strings). */
export function entrySize(name: string, value: string): number {
  return name.length + value.length + 32;
}

/** Told of each entry evicted, oldest first, with its insertion number (the first entry added is 1). */
export type EvictionListener = (name: string, value: string, insertion: number) => void;

/** What a table shows of itself: its size, its maximum size and its entries, newest first. */
export interface TableView {
  readonly length: number;
  readonly size: number;
  readonly maxSize: number;
  entries(): Array<[name: string, value: string]>;
}

/**
 * The dynamic table (RFC 7541 §2.3.2, §4): entries newest first, evicted oldest first so that its
 * size (§4.1) never exceeds its maximum size (§4.3, §4.4). The entries sit in a ring of arrays that
 * grows by doubling; at 32 octets an entry, a 4096-octet table holds at most 128 of them.
 */
export class DynamicTable implements TableView {
  private names: string[] = new Array<string>(16);
  private values: string[] = new Array<string>(16);
  /** Position of the oldest entry in the ring. */
  private oldest = 0;
  private count = 0;
  private octets = 0;
  private inserted = 0;

  constructor(private max: number, private readonly onEvict?: EvictionListener) {}

  /** The number of entries. */
  get length(): number {
    return this.count;
  }

  /** The table's size (§4.1): the sum of its entries' sizes. */
  get size(): number {
    return this.octets;
  }

  /** The maximum size (§4.2), as the encoder last set it. */
  get maxSize(): number {
    return this.max;
  }

  /** How many entries were ever added (an entry too large for the table is not): the newest one's insertion number. */
  get insertions(): number {
    return this.inserted;
  }

  /** The name of entry i, 0 the newest (HPACK index 62 is i = 0, §2.3.3). Callers check i < length. */
  name(i: number): string {
    return this.names[this.position(i)]!;
  }

  value(i: number): string {
    return this.values[this.position(i)]!;
  }

  /** The entries, newest first (for tests and diagnostics). */
  entries(): Array<[name: string, value: string]> {
    const out: Array<[string, string]> = [];
    for (let i = 0; i < this.count; i++) out.push([this.name(i), this.value(i)]);
    return out;
  }

  /**
   * §4.4: adds an entry after evicting the oldest ones until it fits; an entry larger than the
   * maximum size empties the table and is not added (not an error).
   */
  add(name: string, value: string): void {
    const size = entrySize(name, value);
    if (size > this.max) {
      this.evictTo(0);
      return;
    }
    this.evictTo(this.max - size);
    if (this.count === this.names.length) this.grow();
    const at = (this.oldest + this.count) & (this.names.length - 1);
    this.names[at] = name;
    this.values[at] = value;
    this.count++;
    this.octets += size;
    this.inserted++;
  }

  /** §4.3: a new maximum size evicts the oldest entries until the table fits in it. */
  setMaxSize(max: number): void {
    this.max = max;
    this.evictTo(max);
  }

  private position(i: number): number {
    return (this.oldest + this.count - 1 - i) & (this.names.length - 1);
  }

  private evictTo(size: number): void {
    while (this.octets > size) {
      const name = this.names[this.oldest]!;
      const value = this.values[this.oldest]!;
      const insertion = this.inserted - this.count + 1;
      this.names[this.oldest] = "";
      this.values[this.oldest] = "";
      this.oldest = (this.oldest + 1) & (this.names.length - 1);
      this.count--;
      this.octets -= entrySize(name, value);
      this.onEvict?.(name, value, insertion);
    }
  }

  private grow(): void {
    const names = new Array<string>(this.names.length * 2);
    const values = new Array<string>(this.values.length * 2);
    for (let i = 0; i < this.count; i++) {
      const from = (this.oldest + i) & (this.names.length - 1);
      names[i] = this.names[from]!;
      values[i] = this.values[from]!;
    }
    this.names = names;
    this.values = values;
    this.oldest = 0;
  }
}
