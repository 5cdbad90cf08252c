import type { FileBody, HttpResponse } from "../http/response.ts";
import type { FileInfo } from "../ports/file-system.ts";
import type { ListingEntry } from "./listing/entry.ts";
import type { Validators } from "./validators.ts";

/**
 * What the static handler learns about a URL path, as one tagged union: the handler switches on
 * `kind` alone. A Resolution comes from the disk (src/static/resolver.ts) and is what the file
 * cache holds; a LookUp adds what the URL alone decides, before the disk is asked.
 */

/** One form of a file's content as sent: the file itself, a precompressed sibling, or encoded in memory. */
export interface Representation {
  /** The content coding (RFC 9110 §8.4), or null for the file as it is. */
  readonly coding: "br" | "zstd" | "gzip" | null;
  readonly validators: Validators;
  /** The 200 response, built once (its identity lets the connection reuse its head). */
  readonly response: HttpResponse;
  /** Header fields of a 304 for it (RFC 9110 §15.4.5: the validators and caching fields of the 200). */
  readonly notModified: HttpResponse;
}

/** What a URL path resolved to on disk, as the static handler needs it. */
export type Resolution =
  | {
    readonly kind: "file";
    /** Its real path, inside the root. */
    readonly path: string;
    /** As the opened file reported it (never from a lookup by name). */
    readonly info: FileInfo;
    /** Opens it again to send it, checked to be the same file and still inside the root. */
    readonly open: FileBody["open"];
    readonly contentType: string;
    /** The whole content for small files (read once, served from memory), else null. */
    readonly body: Uint8Array | null;
    /** The file as it is. */
    readonly identity: Representation;
    /** Precompressed siblings found next to it (name.br, name.zst, name.gz). */
    readonly siblings: readonly Representation[];
    /** Fields every representation carries (Cache-Control, Vary). */
    readonly common: ReadonlyArray<readonly [string, string]>;
    /** --compress applies: text-like, held in memory, within the size bounds. */
    readonly compressible: boolean;
    /**
     * Encodings made on the fly, cached with the resolution: a promise while one is being made,
     * then the result itself, so later requests are answered synchronously (null: not worth it
     * or failed).
     */
    readonly encoded: Map<string, Promise<Representation | null> | Representation | null>;
  }
  | { readonly kind: "listing"; readonly segments: readonly string[]; readonly entries: readonly ListingEntry[] }
  | { readonly kind: "directory" }
  | { readonly kind: "missing" };

export type FileResolution = Extract<Resolution, { readonly kind: "file" }>;
export type ListingResolution = Extract<Resolution, { readonly kind: "listing" }>;

/** The outcome of looking a URL path up: a resolution, or what the URL alone decided. */
export type LookUp =
  | Resolution
  /** A dot segment while dotfiles are not served: answered as missing (404 and its fallbacks). */
  | { readonly kind: "hidden" }
  /** A path that cannot be made safe (src/static/url-path.ts): answered with its status. */
  | { readonly kind: "refused"; readonly status: 400 };
