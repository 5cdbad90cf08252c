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

/** What a listing offers beside its entries, by the site's flags; each off when absent. */
export interface ListingFeatures {
  /** Links to the folder as zip, tar.gz and tar (--archives). */
  readonly archives?: boolean;
  /** A form that posts files and a new folder's name to the folder (--upload). */
  readonly upload?: boolean;
  /** A delete button per entry, working with JavaScript only (--allow-delete). */
  readonly allowDelete?: boolean;
}
