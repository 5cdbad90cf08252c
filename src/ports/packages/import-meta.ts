/**
 * Keeps a module's `import.meta` pointing at its own file once a bundler has moved its code into
 * one bundle elsewhere (Bun.build keeps `import.meta` as it is, so `import.meta.url` would name
 * the bundle). The module's source is rewritten before the bundler reads it: every `import.meta`
 * becomes a call to one function appended at its end, which returns the bundle's own
 * `import.meta` with the path fields (url, dir, dirname, path, filename, file) and `resolve()` of
 * relative specifiers answered for the original file. Lines stay where they were (the function
 * goes after the last line), so stack traces through a source map still point at the right line.
 *
 * A text rewrite, not a parse: "import.meta" inside a string or a comment is rewritten too (a
 * string then holds the function's name; the code still runs).
 */

/** Where a module is, as `import.meta` says it in Bun and Node. */
export interface ModulePlace {
  /** The file URL, "file:///srv/app/app.ts". */
  readonly url: string;
  /** The absolute path, "/srv/app/app.ts". */
  readonly path: string;
  /** Its folder, "/srv/app". */
  readonly dir: string;
  /** Its name, "app.ts". */
  readonly file: string;
}

const IMPORT_META = /(?<![\w$.])import\s*\.\s*meta\b/g;
const PINNED = "__sundial_import_meta";

/** The source with `import.meta` pinned to `place`, or null when it has no `import.meta`. */
export function pinImportMeta(source: string, place: ModulePlace): string | null {
  if (source.search(IMPORT_META) < 0) return null;
  return `${source.replace(IMPORT_META, `${PINNED}()`)}\n${pinnedMeta(place)}\n`;
}

/**
 * A function declaration (hoisted, so a call on the module's first line finds it) that builds the
 * pinned object once: a proxy of the real import.meta whose path fields are this file's.
 */
function pinnedMeta(place: ModulePlace): string {
  const fields = JSON.stringify({
    url: place.url,
    dir: place.dir,
    dirname: place.dir,
    path: place.path,
    filename: place.path,
    file: place.file,
  });
  const resolve =
    `(specifier) => /^\\.{0,2}\\//.test(specifier) ? new URL(specifier, fields.url).href : import.meta.resolve(specifier)`;
  return `function ${PINNED}() { if (${PINNED}.pinned !== undefined) return ${PINNED}.pinned; ` +
    `const fields = ${fields}; fields.resolve = ${resolve}; ` +
    `return ${PINNED}.pinned = new Proxy(import.meta, { get: (meta, key) => Object.hasOwn(fields, key) ? fields[key] : Reflect.get(meta, key, meta) }); }`;
}
