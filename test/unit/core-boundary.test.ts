import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/server-process.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const SRC = path.join(REPO_ROOT, "src");

describe("the core stays runtime-neutral", () => {
  const files = sourceFiles(SRC);

  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [path.relative(REPO_ROOT, f), f]))(
    "%s imports only from src/ and uses no runtime globals",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      const imports = [
        ...text.matchAll(/(?:import|export)[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
      ]
        .map((m) => m[1] ?? m[2]!);
      for (const specifier of imports) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\.?\//);
        expect(path.resolve(path.dirname(file), specifier).startsWith(SRC + path.sep), `${file} imports ${specifier}`)
          .toBe(true);
        expect(specifier, "explicit .ts extension").toMatch(/\.ts$/);
      }
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      expect(code).not.toMatch(/\b(Deno|Bun)\s*\./);
      expect(code).not.toMatch(/\b(process|Buffer|require)\s*[.(]/);
    },
  );
});

describe("one version everywhere", () => {
  it("package.json, deno.json and src/version.ts agree", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const deno = JSON.parse(readFileSync(path.join(REPO_ROOT, "deno.json"), "utf8")) as { version: string };
    const version = /VERSION = "([^"]+)"/.exec(readFileSync(path.join(SRC, "version.ts"), "utf8"))?.[1];
    expect(deno.version).toBe(pkg.version);
    expect(version).toBe(pkg.version);
  });
});
