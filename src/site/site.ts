import type { App } from "../app.ts";
import { DEFAULT_FILE_CACHE } from "../static/file-cache.ts";
import type { Clock } from "../ports/clock.ts";
import type { Compressor } from "../ports/compress.ts";
import type { FileSystem } from "../ports/file-system.ts";
import { createRouter } from "./router.ts";
import type { SiteOptions } from "../static/options.ts";

export interface SiteDeps {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly compressor: Compressor;
  /**
   * This process's id, named in upload temporaries so that a supervisor of --workers can remove
   * a dead worker's (static/write/stale-temps.ts); 0 when absent.
   */
  readonly processId?: number;
  /** One line for the server's log (a file that changed while it was archived); absent: not said. */
  readonly warn?: (line: string) => void;
}

/**
 * The app the command line serves: /time, and the files under root (its real path). With an
 * app, a request goes to /time, else to an existing file (GET and HEAD), else to the app, in
 * place of the 404 (sundial --app, serve({ static })). A null root serves no files.
 */
export function site(
  deps: SiteDeps,
  root: string | null,
  options: SiteOptions,
  app?: App,
  onCacheLookUp?: (hit: boolean) => void,
): App {
  const files = root === null ? null : {
    root,
    site: options,
    cache: DEFAULT_FILE_CACHE,
    onCacheLookUp,
    writer: deps.processId ?? 0,
    ...(deps.warn === undefined ? {} : { warn: deps.warn }),
  };
  const handle = createRouter({ ...deps, files, fallback: app?.handle, basePath: options.basePath });
  return {
    handle,
    headers: [...siteHeaders(options), ...(app?.headers ?? [])],
    // PUT stores bodies: the site then reads them as they arrive (App.readsBodies).
    readsBodies: (root !== null && options.upload === true) || (app?.readsBodies ?? false),
  };
}

/** Fields on every response: nosniff (browsers must not guess types), and CORS when asked for. */
function siteHeaders(options: SiteOptions): ReadonlyArray<readonly [string, string]> {
  const fields: Array<readonly [string, string]> = [["X-Content-Type-Options", "nosniff"]];
  if (options.cors) {
    fields.push(["Access-Control-Allow-Origin", "*"]);
    fields.push(["Access-Control-Expose-Headers", "Content-Range, Content-Length, ETag, Accept-Ranges, Last-Modified"]);
  }
  return fields;
}

/** The folder to serve, by its real path (symlinks resolved), or why it cannot be served. */
export async function siteRoot(
  fs: FileSystem,
  dir: string,
): Promise<{ kind: "folder"; root: string } | { kind: "failed"; message: string }> {
  const root = await fs.realPath(dir);
  const info = root === null ? null : await fs.stat(root);
  if (root === null || info === null) return { kind: "failed", message: `folder not found: ${dir}` };
  if (info.kind !== "directory") return { kind: "failed", message: `not a folder: ${dir}` };
  return { kind: "folder", root };
}
