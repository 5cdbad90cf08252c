/** How the folder is served: the command line's file-serving flags. */
export interface SiteOptions {
  /** A folder without index.html gets a listing (else 404). */
  readonly listing: boolean;
  /** Serve and list names starting with "." (hidden by default, like miniserve). */
  readonly dotfiles: boolean;
  /** Encode compressible files on the fly (gzip, brotli) when the client accepts it. */
  readonly compress: boolean;
  /** Sent as Cache-Control on files and listings; null sends none (browsers then revalidate). */
  readonly cacheControl: string | null;
  /** Access-Control-Allow-Origin: * and answers to preflight requests. */
  readonly cors: boolean;
  /** A missing path serves /index.html (single-page applications). */
  readonly spa: boolean;
  /** Follow symlinks whose target stays inside the folder; false refuses every symlink. */
  readonly symlinks: boolean;
  /** How long file metadata (and small files' content) is trusted before the disk is asked again. */
  readonly cacheTtlMs: number;
  /**
   * The path the site is served under ("/files"; "" at the root), for a proxy that cannot send
   * X-Forwarded-Prefix: listings show it, and a request that still carries it has it removed.
   */
  readonly basePath: string;
  // Writing (docs/static-files.md, Writing files): each off when absent, so a site that only reads
  // is spelled as before.
  /** PUT stores the request body at the path. */
  readonly upload?: boolean;
  /** A PUT creates the folders missing on its path (else 409). */
  readonly mkdir?: boolean;
  /** DELETE removes a file, or an empty folder. */
  readonly allowDelete?: boolean;
  /** Largest body a PUT stores, else 413; absent: only --max-body bounds it. */
  readonly maxUpload?: number;
  /**
   * `?download=tar|tar.gz|zip` on a listed folder sends it as one archive, and listings link to
   * them (--archives). Off when absent: DEFAULT_SITE leaves it out, so the defaults read as before.
   */
  readonly archives?: boolean;
  /**
   * The paths --auth-path guards (canonical, "/private"), which no symlink may cross (safe-root.ts).
   * Set by the composer from the auth config, never an option of its own; absent: none.
   */
  readonly guardedPaths?: readonly string[];
}

export const DEFAULT_SITE: SiteOptions = {
  listing: true,
  dotfiles: false,
  compress: false,
  cacheControl: null,
  cors: false,
  spa: false,
  symlinks: true,
  cacheTtlMs: 1000,
  basePath: "",
};
