import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { pinImportMeta } from "../../src/ports/packages/import-meta.ts";
import { isBareSpecifier, type PackageFiles, resolvePackage } from "../../src/ports/packages/resolve-package.ts";

/**
 * --app in a compiled Bun executable. Its resolver looks for no packages on disk (since Bun 1.3.4,
 * oven-sh/bun#27058), so `import(app)` of an app that imports "hono" fails, and so do
 * Bun.resolveSync and runtime plugins. An app without packages is imported as it is; one that
 * fails for a missing package (a static import fails before any of the app runs) is bundled
 * instead, by Bun.build, which still works there when a plugin names each package's file itself.
 */
export async function importCompiledApp(file: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(path.resolve(file)).href);
  } catch (error) {
    if (!isMissingPackage(error)) throw error;
  }
  return importBundledApp(path.resolve(file));
}

/** Bun's (and Node's) words for a bare specifier that found no package. */
function isMissingPackage(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "ERR_MODULE_NOT_FOUND" && typeof message === "string" && message.startsWith("Cannot find package");
}

/**
 * The app bundled with its packages resolved by Node's algorithm (src/ports/packages/), into a
 * temporary folder removed once the bundle is imported. Relative imports and builtins are Bun's
 * own; each module's import.meta keeps naming its own file; an inline source map keeps stack
 * traces on the original files and lines.
 */
async function importBundledApp(entry: string): Promise<unknown> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-app-"));
  try {
    return await import(pathToFileURL(await bundle(entry, outdir)).href);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The bundle's entry file, or the first reason it could not be built, as an Error. */
async function bundle(entry: string, outdir: string): Promise<string> {
  const failures: Error[] = [];
  const built = await Bun.build({
    entrypoints: [entry],
    outdir,
    target: "bun",
    format: "esm",
    sourcemap: "inline",
    throw: false,
    plugins: [{ name: "sundial-app", setup: (build) => setupPlugin(build, failures) }],
  });
  if (failures[0] !== undefined) throw failures[0];
  const output = built.outputs.find((artifact) => artifact.kind === "entry-point");
  if (built.success && output !== undefined) return output.path;
  throw buildError(built.logs);
}

function setupPlugin(build: Bun.PluginBuilder, failures: Error[]): void {
  const files = cachedFiles();
  build.onResolve({ filter: /.*/ }, (args) => {
    if (!isBareSpecifier(args.path) || isBuiltin(args.path)) return undefined;
    const resolved = resolvePackage(files, args.path, slashed(args.importer), conditions(args.kind));
    // The real path, as Node and Bun resolve by default: one copy of a package reached through
    // two links, and a pnpm package's own dependencies found beside its real folder.
    if (resolved.kind === "found") return { path: fs.realpathSync(resolved.path) };
    const failure = Object.assign(new Error(resolved.message), { code: resolved.code });
    failures.push(failure);
    throw failure;
  });
  build.onLoad({ filter: /\.m?[jt]sx?$/ }, (args) => {
    const pinned = pinImportMeta(fs.readFileSync(args.path, "utf8"), {
      url: pathToFileURL(args.path).href,
      path: args.path,
      dir: path.dirname(args.path),
      file: path.basename(args.path),
    });
    return pinned === null ? undefined : { contents: pinned, loader: loaderOf(args.path) };
  });
}

/** The "exports" conditions Bun itself answers to (it prefers "node" to "module", and reads "main", not "module"). */
function conditions(kind: Bun.ImportKind): readonly string[] {
  const require = kind === "require-call" || kind === "require-resolve";
  return ["bun", "node", require ? "require" : "import"];
}

function loaderOf(file: string): "ts" | "tsx" | "jsx" | "js" {
  if (file.endsWith(".tsx")) return "tsx";
  if (file.endsWith(".jsx")) return "jsx";
  return /\.m?ts$/.test(file) ? "ts" : "js";
}

/** Windows paths with "/" for the resolver (Bun takes either). */
function slashed(file: string): string {
  return file.replaceAll("\\", "/");
}

/** The resolver's file questions on node:fs, each answer kept for the one build. */
function cachedFiles(): PackageFiles {
  const stats = new Map<string, fs.Stats | undefined>();
  const texts = new Map<string, string | null>();
  const stat = (file: string): fs.Stats | undefined => {
    if (!stats.has(file)) stats.set(file, fs.statSync(file, { throwIfNoEntry: false }));
    return stats.get(file);
  };
  return {
    isFile: (file) => stat(file)?.isFile() ?? false,
    isDirectory: (file) => stat(file)?.isDirectory() ?? false,
    readText: (file) => {
      if (!texts.has(file)) texts.set(file, stat(file)?.isFile() ? fs.readFileSync(file, "utf8") : null);
      return texts.get(file) ?? null;
    },
  };
}

/** The first error of a failed build, with where it is: one line for the command line. */
function buildError(logs: readonly (BuildMessage | ResolveMessage)[]): Error {
  const errors = logs.filter((log) => log.level === "error");
  const first = errors[0];
  if (first === undefined) return new Error("the app could not be bundled");
  const at = first.position === null
    ? ""
    : ` at ${first.position.file}:${first.position.line}:${first.position.column}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new Error(`${first.message}${at}${more}`);
}
