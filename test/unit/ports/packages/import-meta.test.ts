import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { pinImportMeta } from "../../../../src/ports/packages/import-meta.ts";

const PLACE = { url: "file:///srv/app/app.mjs", path: "/srv/app/app.mjs", dir: "/srv/app", file: "app.mjs" };

/** Runs a pinned module from a temporary folder (elsewhere than PLACE, as a bundle is) and returns its default export. */
async function run(source: string): Promise<unknown> {
  const pinned = pinImportMeta(source, PLACE);
  if (pinned === null) throw new Error("nothing pinned");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-pin-"));
  try {
    const file = path.join(dir, "bundle.mjs");
    fs.writeFileSync(file, pinned);
    return ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("pinImportMeta", () => {
  it("a module without import.meta is left alone", () => {
    expect(pinImportMeta("export default 1; // importer.meta myimport.meta x.import.meta", PLACE)).toBeNull();
  });

  it("the path fields name the original file, on the first line and in a destructuring", async () => {
    const result = await run(
      "const first = import.meta.url;\n" +
        "const { dirname, filename } = import . meta;\n" +
        "export default { first, dirname, filename, dir: import.meta.dir, file: import.meta.file, path: import.meta.path };",
    );
    expect(result).toEqual({
      first: "file:///srv/app/app.mjs",
      dirname: "/srv/app",
      filename: "/srv/app/app.mjs",
      dir: "/srv/app",
      file: "app.mjs",
      path: "/srv/app/app.mjs",
    });
  });

  it("resolve() of a relative specifier is from the original file; others and other fields are the runtime's", async () => {
    const result = await run(
      "export default { sibling: import.meta.resolve('./data.json'), up: import.meta.resolve('../x.js'), builtin: import.meta.resolve('node:fs'), same: import.meta === import.meta };",
    );
    expect(result).toEqual({
      sibling: "file:///srv/app/data.json",
      up: "file:///srv/x.js",
      builtin: "node:fs",
      same: true,
    });
  });

  it("keeps every line where it was (a stack trace's line stays right), the function after the last", () => {
    const source = "#!/usr/bin/env node\nconst a = import.meta.url;\n// ends without a newline";
    const pinned = pinImportMeta(source, PLACE)!;
    const lines = pinned.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "#!/usr/bin/env node",
      "const a = __sundial_import_meta().url;",
      "// ends without a newline",
    ]);
    expect(lines[3]).toMatch(/^function __sundial_import_meta\(\)/);
  });
});
