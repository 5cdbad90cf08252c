/** What a listing is made of: its entries and its order (shared by the page and its HTML). */

/** One name in a folder, as the file system reports it. */
export interface ListingEntry {
  readonly name: string;
  readonly kind: "file" | "directory";
  /** Bytes; ignored for folders (their size on disk means nothing to a reader). */
  readonly size: number;
  readonly mtimeMs: number;
}

export type SortKey = "name" | "size" | "time";
export type SortOrder = "asc" | "desc";

export interface ListingSort {
  readonly key: SortKey;
  readonly order: SortOrder;
}
