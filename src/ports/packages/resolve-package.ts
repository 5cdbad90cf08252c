/**
 * Where a bare specifier ("hono", "hono/basic-auth", "@scope/name", "#internal") leads on disk,
 * by Node's package resolution (https://nodejs.org/api/esm.html#resolution-algorithm-specification:
 * PACKAGE_RESOLVE, PACKAGE_SELF_RESOLVE, PACKAGE_IMPORTS_RESOLVE, with CommonJS's legacy "main"
 * and index files where a package has no "exports"). Pure logic over three file questions, so
 * the one runtime whose resolver cannot do it (a compiled Bun executable looks for no packages on
 * disk) can answer its bundler with it, and a unit test can run it on a fake tree.
 */
import { type MapTarget, resolveExports, resolveImports } from "./exports-map.ts";

/** The file questions the resolver asks. Paths are absolute, with "/" between segments. */
export interface PackageFiles {
  /** The file's text, or null when there is no such file. */
  readonly readText: (path: string) => string | null;
  readonly isFile: (path: string) => boolean;
  readonly isDirectory: (path: string) => boolean;
}

/** code: Node's error code for the same failure. */
export type PackageResolution =
  | { readonly kind: "found"; readonly path: string }
  | { readonly kind: "failed"; readonly code: string; readonly message: string };

/**
 * Extensions tried for a path without one (a "main" or a subpath of a package without "exports"):
 * JavaScript first, as Bun does inside node_modules, then TypeScript, then JSON.
 */
const EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".jsx", ".json"];

/** A specifier a package resolves: not relative, not absolute, not a URL or a scheme ("node:", "bun:"). */
export function isBareSpecifier(specifier: string): boolean {
  if (specifier === "" || specifier.startsWith("/") || specifier.startsWith("\\")) return false;
  if (specifier === "." || specifier === ".." || /^\.\.?[/\\]/.test(specifier)) return false;
  return !/^[a-z][a-z0-9+.-]*:/i.test(specifier);
}

/**
 * PACKAGE_RESOLVE for `specifier` imported from the file `importer`. `conditions` are the
 * "exports" conditions the runtime answers to, in no particular order ("default" always matches).
 */
export function resolvePackage(
  files: PackageFiles,
  specifier: string,
  importer: string,
  conditions: readonly string[],
): PackageResolution {
  if (specifier.startsWith("#")) return resolveHashImport(files, specifier, importer, conditions);
  const parsed = parseSpecifier(specifier);
  if (parsed === null) {
    return failed("ERR_INVALID_MODULE_SPECIFIER", `Invalid module "${specifier}" imported from ${importer}`);
  }
  const self = selfReference(files, parsed, importer, conditions);
  if (self !== null) return self;
  for (let dir: string | null = parentDir(importer); dir !== null; dir = parentDir(dir)) {
    if (baseName(dir) === "node_modules") continue;
    const packageDir = joinPath(dir, `node_modules/${parsed.name}`);
    if (files.isDirectory(packageDir)) return resolveInPackage(files, packageDir, parsed.subpath, importer, conditions);
  }
  return failed("ERR_MODULE_NOT_FOUND", `Cannot find package '${parsed.name}' imported from ${importer}`);
}

interface ParsedSpecifier {
  readonly name: string;
  /** "." for the package itself, "./x" for a subpath. */
  readonly subpath: string;
}

/** The package's name (one segment, two when scoped) and the rest as a subpath, or null when invalid. */
function parseSpecifier(specifier: string): ParsedSpecifier | null {
  const segments = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  if (segments.length < nameLength) return null;
  const name = segments.slice(0, nameLength).join("/");
  if (name.startsWith(".") || name.includes("\\") || name.includes("%") || segments[nameLength - 1] === "") return null;
  const rest = segments.slice(nameLength).join("/");
  return { name, subpath: rest === "" ? "." : `./${rest}` };
}

/** A package importing itself by its own name, which only works through its "exports". */
function selfReference(
  files: PackageFiles,
  parsed: ParsedSpecifier,
  importer: string,
  conditions: readonly string[],
): PackageResolution | null {
  const scope = packageScope(files, importer);
  if (scope === null || scope.manifest.name !== parsed.name || scope.manifest.exports == null) return null;
  return resolveInPackage(files, scope.dir, parsed.subpath, importer, conditions);
}

/** "#name" from the "imports" of the package the importer belongs to. */
function resolveHashImport(
  files: PackageFiles,
  specifier: string,
  importer: string,
  conditions: readonly string[],
): PackageResolution {
  const scope = packageScope(files, importer);
  const where = scope === null ? "" : ` in package ${joinPath(scope.dir, "package.json")}`;
  const notDefined = failed(
    "ERR_PACKAGE_IMPORT_NOT_DEFINED",
    `Package import specifier "${specifier}" is not defined${where} imported from ${importer}`,
  );
  if (scope === null || specifier === "#" || specifier.startsWith("#/")) return notDefined;
  const mapped = resolveImports(scope.manifest.imports, specifier, conditions);
  if (mapped.kind === "bare") {
    return resolvePackage(files, mapped.specifier, joinPath(scope.dir, "package.json"), conditions);
  }
  return mapTargetFile(files, scope.dir, mapped, specifier, importer) ?? notDefined;
}

/** A package found on disk: through its "exports" when it has them, else its "main" or the subpath's file. */
function resolveInPackage(
  files: PackageFiles,
  packageDir: string,
  subpath: string,
  importer: string,
  conditions: readonly string[],
): PackageResolution {
  const manifestPath = joinPath(packageDir, "package.json");
  const manifest = readManifest(files, manifestPath);
  if (manifest === "invalid") return failed("ERR_INVALID_PACKAGE_CONFIG", `Invalid package config ${manifestPath}`);
  if (manifest.exports != null) {
    const mapped = resolveExports(manifest.exports, subpath, conditions);
    const notExported = failed(
      "ERR_PACKAGE_PATH_NOT_EXPORTED",
      subpath === "."
        ? `No "exports" main defined in ${manifestPath} imported from ${importer}`
        : `Package subpath '${subpath}' is not defined by "exports" in ${manifestPath} imported from ${importer}`,
    );
    if (mapped.kind === "bare") return notExported;
    return mapTargetFile(files, packageDir, mapped, subpath, importer) ?? notExported;
  }
  const base = subpath === "." ? packageDir : joinPath(packageDir, subpath.slice(2));
  const main = subpath === "." && typeof manifest.main === "string"
    ? probe(files, joinPath(packageDir, manifest.main))
    : null;
  const path = main ?? probe(files, base);
  if (path !== null) return { kind: "found", path };
  return failed("ERR_MODULE_NOT_FOUND", `Cannot find module '${base}' imported from ${importer}`);
}

/** A map's target as a file of the package; null when the map does not offer the key (the caller's error). */
function mapTargetFile(
  files: PackageFiles,
  packageDir: string,
  mapped: MapTarget,
  key: string,
  importer: string,
): PackageResolution | null {
  const manifestPath = joinPath(packageDir, "package.json");
  if (mapped.kind === "invalid-config") {
    return failed(
      "ERR_INVALID_PACKAGE_CONFIG",
      `Invalid package config ${manifestPath}: "exports" mixes "./" keys and conditions`,
    );
  }
  if (mapped.kind === "invalid-target") {
    return failed(
      "ERR_INVALID_PACKAGE_TARGET",
      `Invalid target "${mapped.target}" defined for '${key}' in the package config ${manifestPath} imported from ${importer}`,
    );
  }
  if (mapped.kind !== "target") return null;
  const path = joinPath(packageDir, mapped.target.slice(2));
  if (files.isFile(path)) return { kind: "found", path };
  return failed("ERR_MODULE_NOT_FOUND", `Cannot find module '${path}' imported from ${importer}`);
}

/** The file a path names: itself, with an extension, or a folder's "main" or index file. */
function probe(files: PackageFiles, base: string): string | null {
  if (files.isFile(base)) return base;
  const withExtension = EXTENSIONS.map((extension) => base + extension).find(files.isFile);
  if (withExtension !== undefined) return withExtension;
  if (!files.isDirectory(base)) return null;
  const manifest = readManifest(files, joinPath(base, "package.json"));
  if (manifest !== "invalid" && typeof manifest.main === "string") {
    const main = joinPath(base, manifest.main);
    const found = [main, ...EXTENSIONS.map((extension) => main + extension)].find(files.isFile);
    if (found !== undefined) return found;
  }
  return EXTENSIONS.map((extension) => joinPath(base, `index${extension}`)).find(files.isFile) ?? null;
}

interface Manifest {
  readonly name?: unknown;
  readonly main?: unknown;
  readonly exports?: unknown;
  readonly imports?: unknown;
}

/** A package.json: {} when there is none, "invalid" when it is not a JSON object. */
function readManifest(files: PackageFiles, path: string): Manifest | "invalid" {
  return readManifestIfAny(files, path) ?? {};
}

function readManifestIfAny(files: PackageFiles, path: string): Manifest | "invalid" | null {
  const text = files.readText(path);
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as Manifest : "invalid";
  } catch {
    return "invalid";
  }
}

/** READ_PACKAGE_SCOPE: the nearest package.json above the importer, not crossing a node_modules folder. */
function packageScope(files: PackageFiles, importer: string): { dir: string; manifest: Manifest } | null {
  for (let dir: string | null = parentDir(importer); dir !== null; dir = parentDir(dir)) {
    if (baseName(dir) === "node_modules") return null;
    const manifest = readManifestIfAny(files, joinPath(dir, "package.json"));
    if (manifest !== null) return manifest === "invalid" ? null : { dir, manifest };
  }
  return null;
}

function failed(code: string, message: string): PackageResolution {
  return { kind: "failed", code, message };
}

/** The folder above `path`, or null above the root ("/" or a drive, "C:/"). */
function parentDir(path: string): string | null {
  if (path === "/" || /^[a-z]:\/?$/i.test(path)) return null;
  const slash = path.lastIndexOf("/");
  if (slash < 0) return null;
  if (slash === 0) return "/";
  return /^[a-z]:$/i.test(path.slice(0, slash)) ? `${path.slice(0, slash)}/` : path.slice(0, slash);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `rest` under `dir`, its "." and ".." segments resolved ("main": "./lib/index.js" is common). */
function joinPath(dir: string, rest: string): string {
  const segments = dir.replace(/\/$/, "").split("/");
  for (const segment of rest.split("/")) {
    if (segment === "..") {
      if (segments.length > 1) segments.pop();
    } else if (segment !== "." && segment !== "") segments.push(segment);
  }
  return segments.length === 1 ? `${segments[0]}/` : segments.join("/");
}
