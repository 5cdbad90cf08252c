import { describe, expect, it } from "vitest";
import { isBareSpecifier, type PackageFiles, resolvePackage } from "../../../../src/ports/packages/resolve-package.ts";

const IMPORT = ["bun", "node", "import"];
const REQUIRE = ["bun", "node", "require"];

/** A file tree in memory: path -> text (JSON values are written as package.json text). */
function tree(entries: Record<string, string | object>): PackageFiles {
  const files = new Map<string, string>();
  for (const [file, content] of Object.entries(entries)) {
    files.set(file, typeof content === "string" ? content : JSON.stringify(content));
  }
  const isDirectory = (dir: string): boolean => [...files.keys()].some((file) => file.startsWith(`${dir}/`));
  return { readText: (file) => files.get(file) ?? null, isFile: (file) => files.has(file), isDirectory };
}

const APP = "/srv/app/app.ts";

function resolve(files: PackageFiles, specifier: string, importer = APP, conditions = IMPORT) {
  return resolvePackage(files, specifier, importer, conditions);
}

const found = (path: string) => ({ kind: "found", path });

describe("resolvePackage: exports maps", () => {
  it("a string is the package's main export, and nothing else is exported", () => {
    const files = tree({
      "/srv/app/node_modules/one/package.json": { exports: "./lib/one.js" },
      "/srv/app/node_modules/one/lib/one.js": "",
      "/srv/app/node_modules/one/lib/other.js": "",
    });
    expect(resolve(files, "one")).toEqual(found("/srv/app/node_modules/one/lib/one.js"));
    expect(resolve(files, "one/lib/other.js")).toMatchObject({ kind: "failed", code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
  });

  it("a conditional object picks the first key, in the package's order, that the runtime answers to", () => {
    const files = tree({
      "/srv/app/node_modules/c/package.json": {
        exports: {
          types: "./c.d.ts",
          browser: "./browser.js",
          import: "./c.mjs",
          require: "./c.cjs",
          default: "./c.js",
        },
      },
      "/srv/app/node_modules/c/c.mjs": "",
      "/srv/app/node_modules/c/c.cjs": "",
      "/srv/app/node_modules/c/c.js": "",
    });
    expect(resolve(files, "c")).toEqual(found("/srv/app/node_modules/c/c.mjs"));
    expect(resolve(files, "c", APP, REQUIRE)).toEqual(found("/srv/app/node_modules/c/c.cjs"));
    expect(resolve(files, "c", APP, [])).toEqual(found("/srv/app/node_modules/c/c.js"));
  });

  it("nested conditions, a condition with no match falling through, and null excluding", () => {
    const files = tree({
      "/srv/app/node_modules/n/package.json": {
        exports: {
          ".": { worker: "./worker.js", node: { import: "./node.mjs", require: "./node.cjs" }, default: "./any.js" },
          "./only-browser": { browser: "./b.js" },
          "./hidden": null,
          "./fallback": [{ deno: "./deno.js" }, "../outside.js", "./fb.js"],
        },
      },
      "/srv/app/node_modules/n/node.mjs": "",
      "/srv/app/node_modules/n/node.cjs": "",
      "/srv/app/node_modules/n/any.js": "",
      "/srv/app/node_modules/n/fb.js": "",
    });
    expect(resolve(files, "n")).toEqual(found("/srv/app/node_modules/n/node.mjs"));
    expect(resolve(files, "n", APP, REQUIRE)).toEqual(found("/srv/app/node_modules/n/node.cjs"));
    expect(resolve(files, "n", APP, ["bun"])).toEqual(found("/srv/app/node_modules/n/any.js"));
    expect(resolve(files, "n/only-browser")).toMatchObject({ code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    expect(resolve(files, "n/hidden")).toMatchObject({ code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    expect(resolve(files, "n/fallback")).toEqual(found("/srv/app/node_modules/n/fb.js"));
  });

  it("subpaths, and patterns: the most specific wins, with a trailer, and * may span folders", () => {
    const files = tree({
      "/srv/app/node_modules/hono/package.json": {
        exports: {
          ".": { import: "./dist/index.js" },
          "./basic-auth": { import: "./dist/middleware/basic-auth/index.js" },
          "./utils/*": "./dist/utils/*.js",
          "./utils/special/*": "./dist/special/*.js",
          "./*.css": "./styles/*.css",
          "./internal/*": null,
        },
      },
      "/srv/app/node_modules/hono/dist/index.js": "",
      "/srv/app/node_modules/hono/dist/middleware/basic-auth/index.js": "",
      "/srv/app/node_modules/hono/dist/utils/url.js": "",
      "/srv/app/node_modules/hono/dist/utils/deep/er.js": "",
      "/srv/app/node_modules/hono/dist/special/x.js": "",
      "/srv/app/node_modules/hono/styles/theme/dark.css": "",
    });
    expect(resolve(files, "hono")).toEqual(found("/srv/app/node_modules/hono/dist/index.js"));
    expect(resolve(files, "hono/basic-auth")).toEqual(
      found("/srv/app/node_modules/hono/dist/middleware/basic-auth/index.js"),
    );
    expect(resolve(files, "hono/utils/url")).toEqual(found("/srv/app/node_modules/hono/dist/utils/url.js"));
    expect(resolve(files, "hono/utils/deep/er")).toEqual(found("/srv/app/node_modules/hono/dist/utils/deep/er.js"));
    expect(resolve(files, "hono/utils/special/x")).toEqual(found("/srv/app/node_modules/hono/dist/special/x.js"));
    expect(resolve(files, "hono/theme/dark.css")).toEqual(found("/srv/app/node_modules/hono/styles/theme/dark.css"));
    expect(resolve(files, "hono/internal/x")).toMatchObject({ code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    expect(resolve(files, "hono/utils/")).toMatchObject({ code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
  });

  it("a target or a * match that climbs out of the package is refused", () => {
    const files = tree({
      "/srv/app/node_modules/bad/package.json": {
        exports: { "./up": "./../secret.js", "./x/*": "./lib/*.js", "./abs": "/etc/passwd" },
      },
      "/srv/app/node_modules/secret.js": "",
      "/srv/app/node_modules/bad/lib/a.js": "",
    });
    expect(resolve(files, "bad/up")).toMatchObject({ code: "ERR_INVALID_PACKAGE_TARGET" });
    expect(resolve(files, "bad/x/../../secret")).toMatchObject({ code: "ERR_INVALID_PACKAGE_TARGET" });
    expect(resolve(files, "bad/abs")).toMatchObject({ code: "ERR_INVALID_PACKAGE_TARGET" });
  });

  it("exports that mix subpaths and conditions are an invalid config; a target that is missing is not found", () => {
    const files = tree({
      "/srv/app/node_modules/mixed/package.json": { exports: { ".": "./a.js", import: "./b.js" } },
      "/srv/app/node_modules/gone/package.json": { exports: "./gone.js" },
    });
    expect(resolve(files, "mixed")).toMatchObject({ code: "ERR_INVALID_PACKAGE_CONFIG" });
    expect(resolve(files, "gone")).toEqual({
      kind: "failed",
      code: "ERR_MODULE_NOT_FOUND",
      message: "Cannot find module '/srv/app/node_modules/gone/gone.js' imported from /srv/app/app.ts",
    });
  });
});

describe("resolvePackage: finding the package", () => {
  it("walks up from the importer's folder, the nearest node_modules first", () => {
    const files = tree({
      "/srv/node_modules/up/package.json": { main: "up.js" },
      "/srv/node_modules/up/up.js": "",
      "/srv/app/node_modules/near/index.js": "",
      "/srv/node_modules/near/index.js": "",
    });
    expect(resolve(files, "up", "/srv/app/deep/er/mod.ts")).toEqual(found("/srv/node_modules/up/up.js"));
    expect(resolve(files, "near", "/srv/app/deep/mod.ts")).toEqual(found("/srv/app/node_modules/near/index.js"));
  });

  it("a package's own dependency is found beside it, from a file inside it", () => {
    const files = tree({
      "/srv/app/node_modules/a/package.json": { exports: "./a.js" },
      "/srv/app/node_modules/a/a.js": "",
      "/srv/app/node_modules/a/node_modules/b/package.json": { exports: "./b.js" },
      "/srv/app/node_modules/a/node_modules/b/b.js": "",
    });
    expect(resolve(files, "b", "/srv/app/node_modules/a/a.js")).toEqual(
      found("/srv/app/node_modules/a/node_modules/b/b.js"),
    );
  });

  it("scoped packages take two segments for the name", () => {
    const files = tree({
      "/srv/app/node_modules/@hono/node-server/package.json": {
        exports: { ".": "./main.js", "./serve-static": "./ss.js" },
      },
      "/srv/app/node_modules/@hono/node-server/main.js": "",
      "/srv/app/node_modules/@hono/node-server/ss.js": "",
    });
    expect(resolve(files, "@hono/node-server")).toEqual(found("/srv/app/node_modules/@hono/node-server/main.js"));
    expect(resolve(files, "@hono/node-server/serve-static")).toEqual(
      found("/srv/app/node_modules/@hono/node-server/ss.js"),
    );
    expect(resolve(files, "@hono")).toMatchObject({ code: "ERR_INVALID_MODULE_SPECIFIER" });
  });

  it("without exports: main (with ./ and without an extension), then index; subpaths by extension or folder index", () => {
    const files = tree({
      "/srv/app/node_modules/legacy/package.json": { main: "./lib/main", module: "./esm/main.js" },
      "/srv/app/node_modules/legacy/lib/main.js": "",
      "/srv/app/node_modules/legacy/esm/main.js": "",
      "/srv/app/node_modules/legacy/fp.js": "",
      "/srv/app/node_modules/legacy/fp.ts": "",
      "/srv/app/node_modules/legacy/sub/index.js": "",
      "/srv/app/node_modules/legacy/dir/package.json": { main: "entry.cjs" },
      "/srv/app/node_modules/legacy/dir/entry.cjs": "",
      "/srv/app/node_modules/bare/index.js": "",
      "/srv/app/node_modules/bad-main/package.json": { main: "missing.js" },
      "/srv/app/node_modules/bad-main/index.js": "",
    });
    expect(resolve(files, "legacy")).toEqual(found("/srv/app/node_modules/legacy/lib/main.js"));
    expect(resolve(files, "legacy/fp")).toEqual(found("/srv/app/node_modules/legacy/fp.js"));
    expect(resolve(files, "legacy/sub")).toEqual(found("/srv/app/node_modules/legacy/sub/index.js"));
    expect(resolve(files, "legacy/dir")).toEqual(found("/srv/app/node_modules/legacy/dir/entry.cjs"));
    expect(resolve(files, "bare")).toEqual(found("/srv/app/node_modules/bare/index.js"));
    expect(resolve(files, "bad-main")).toEqual(found("/srv/app/node_modules/bad-main/index.js"));
    expect(resolve(files, "legacy/nope")).toMatchObject({ code: "ERR_MODULE_NOT_FOUND" });
  });

  it("a package that is nowhere: Cannot find package, naming the importer", () => {
    const files = tree({ "/srv/app/package.json": { name: "app" } });
    expect(resolve(files, "hono/basic-auth")).toEqual({
      kind: "failed",
      code: "ERR_MODULE_NOT_FOUND",
      message: "Cannot find package 'hono' imported from /srv/app/app.ts",
    });
  });

  it("a package imports itself by name through its exports; #imports map to files or other packages", () => {
    const files = tree({
      "/srv/app/package.json": {
        name: "my-app",
        exports: { "./lib": "./src/lib.ts" },
        imports: { "#db": { bun: "./src/db-bun.ts", default: "./src/db.ts" }, "#h/*": "hono/*", "#dep": "dep" },
      },
      "/srv/app/src/lib.ts": "",
      "/srv/app/src/db-bun.ts": "",
      "/srv/app/node_modules/hono/package.json": { exports: { "./*": "./dist/*.js" } },
      "/srv/app/node_modules/hono/dist/cookie.js": "",
      "/srv/app/node_modules/dep/index.js": "",
    });
    expect(resolve(files, "my-app/lib", "/srv/app/src/main.ts")).toEqual(found("/srv/app/src/lib.ts"));
    expect(resolve(files, "#db", "/srv/app/src/main.ts")).toEqual(found("/srv/app/src/db-bun.ts"));
    expect(resolve(files, "#h/cookie", "/srv/app/src/main.ts")).toEqual(
      found("/srv/app/node_modules/hono/dist/cookie.js"),
    );
    expect(resolve(files, "#dep")).toEqual(found("/srv/app/node_modules/dep/index.js"));
    expect(resolve(files, "#nope")).toMatchObject({ code: "ERR_PACKAGE_IMPORT_NOT_DEFINED" });
  });

  it("Windows paths with / and a drive stop at the drive's root", () => {
    const files = tree({ "C:/node_modules/w/index.js": "" });
    expect(resolve(files, "w", "C:/srv/app.ts")).toEqual(found("C:/node_modules/w/index.js"));
  });
});

describe("isBareSpecifier", () => {
  it("names of packages are bare; relative, absolute, URLs and schemes are not", () => {
    for (const bare of ["hono", "hono/basic-auth", "@scope/x", "#internal", "fs"]) {
      expect(isBareSpecifier(bare)).toBe(true);
    }
    for (
      const not of [
        "./a",
        "../a",
        ".",
        "..",
        "/abs",
        "\\\\server\\x",
        "C:\\x",
        "C:/x",
        "node:fs",
        "bun:sqlite",
        "file:///x",
        "data:text/javascript,",
      ]
    ) {
      expect(isBareSpecifier(not)).toBe(false);
    }
  });
});
