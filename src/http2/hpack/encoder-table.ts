import { DynamicTable } from "./dynamic-table.ts";
import { STATIC_LENGTH } from "./static-table.ts";

/**
 * The encoder's dynamic table (RFC 7541 §2.3.2) with what it needs to find entries: for each name
 * its newest entry, and for each name and value its newest entry, by insertion number (an entry's
 * index is then STATIC_LENGTH + 1 + how many entries came after it, §2.3.3). Evictions remove
 * them from the maps, so these never hold more than the table does.
 */
export class EncoderTable {
  readonly table: DynamicTable;
  private readonly pairs = new Map<string, Map<string, number>>();
  private readonly names = new Map<string, number>();

  constructor(maxSize: number) {
    this.table = new DynamicTable(maxSize, (name, value, insertion) => this.forget(name, value, insertion));
  }

  /** §4.4: adds the entry (the table evicts what it must first). */
  add(name: string, value: string): void {
    const before = this.table.insertions;
    this.table.add(name, value);
    const insertion = this.table.insertions;
    if (insertion === before) return;
    let values = this.pairs.get(name);
    if (values === undefined) this.pairs.set(name, values = new Map());
    values.set(value, insertion);
    this.names.set(name, insertion);
  }

  /** The HPACK index of an entry with this name and value, or 0. */
  pairIndex(name: string, value: string): number {
    const insertion = this.pairs.get(name)?.get(value);
    return insertion === undefined ? 0 : this.indexOf(insertion);
  }

  /** The HPACK index of the newest entry with this name, or 0. */
  nameIndex(name: string): number {
    const insertion = this.names.get(name);
    return insertion === undefined ? 0 : this.indexOf(insertion);
  }

  private indexOf(insertion: number): number {
    return STATIC_LENGTH + 1 + this.table.insertions - insertion;
  }

  /** An entry left the table: the maps forget it unless they point at a newer entry alike. */
  private forget(name: string, value: string, insertion: number): void {
    const values = this.pairs.get(name);
    if (values?.get(value) === insertion) {
      values.delete(value);
      if (values.size === 0) this.pairs.delete(name);
    }
    if (this.names.get(name) === insertion) this.names.delete(name);
  }
}
