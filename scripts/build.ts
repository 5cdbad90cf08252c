// npm run build [-- --only=bundle,lib,bun,node,deno] [-- --target=linux-x64,linux-arm64,darwin-x64,darwin-arm64,windows-x64] [-- --require-all]
// Builds dist/sundial.mjs (the Node bundle), dist/lib/ (the library: import { serve } from "sundial")
// and one standalone executable per runtime.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(import.meta.dirname, "..");
const DIST = path.join(REPO, "dist");
const BIN = path.join(REPO, "node_modules", ".bin");

/** Cross-compilation targets, as each runtime names them. */
const TARGETS: Readonly<Record<string, { bun: string; deno: string }>> = {
  "linux-x64": { bun: "bun-linux-x64", deno: "x86_64-unknown-linux-gnu" },
  "linux-arm64": { bun: "bun-linux-arm64", deno: "aarch64-unknown-linux-gnu" },
  "darwin-x64": { bun: "bun-darwin-x64", deno: "x86_64-apple-darwin" },
  "darwin-arm64": { bun: "bun-darwin-arm64", deno: "aarch64-apple-darwin" },
  "windows-x64": { bun: "bun-windows-x64", deno: "x86_64-pc-windows-msvc" },
};
const STEPS = ["bundle", "lib", "bun", "node", "deno"] as const;
type Step = (typeof STEPS)[number];

const args = process.argv.slice(2);
/** The values of --name=a,b (repeatable), or undefined when the option is absent. */
function option(name: string): string[] | undefined {
  const given = args.filter((a) => a.startsWith(`--${name}=`));
  if (given.length === 0) return undefined;
  return given.flatMap((a) => a.slice(name.length + 3).split(",")).filter((v) => v !== "");
}
/** --require-all: a skipped executable fails the build (for release builds, which must have them all). */
const requireAll = args.includes("--require-all");
for (const arg of args) {
  if (arg !== "--require-all" && !/^--(only|target)=/.test(arg)) {
    fail(`unknown argument '${arg}' (expected --only=..., --target=... or --require-all)`);
  }
}
const only = (option("only") ?? [...STEPS]) as Step[];
const targets = option("target") ?? [];
for (const step of only) if (!STEPS.includes(step)) fail(`unknown step '${step}' (expected ${STEPS.join(", ")})`);
for (const target of targets) {
  if (TARGETS[target] === undefined) fail(`unknown target '${target}' (expected ${Object.keys(TARGETS).join(", ")})`);
}

function fail(message: string): never {
  console.error(`build: ${message}`);
  process.exit(2);
}

/** Runs a command; its output goes to ours. Returns its exit status and stderr. */
function run(
  command: string,
  commandArgs: string[],
  options: { capture?: boolean; env?: Record<string, string> } = {},
): { ok: boolean; stderr: string } {
  const result = spawnSync(command, commandArgs, {
    cwd: REPO,
    stdio: options.capture ? ["ignore", "inherit", "pipe"] : "inherit",
    env: { ...process.env, ...options.env },
    timeout: 300_000,
  });
  // A program that could not start, or ran past the time limit, says so here.
  if (result.error !== undefined) console.error(`build: ${command} ${commandArgs[0] ?? ""}: ${result.error.message}`);
  return { ok: result.status === 0, stderr: result.stderr?.toString() ?? "" };
}

/** dist/sundial-<runtime>[-<target>][.exe]: both compilers add .exe for Windows, so the name says so. */
function outputName(runtime: "bun" | "deno", target: string | null): string {
  if (target === null) return `sundial-${runtime}`;
  return `sundial-${runtime}-${target}${target.startsWith("windows") ? ".exe" : ""}`;
}

function sizeOf(file: string): string {
  return `${(fs.statSync(file).size / 1048576).toFixed(1)} MiB`;
}

/** The Node bundle: one ES module for `node dist/sundial.mjs` (Node 20 cannot run TypeScript). */
function bundle(): boolean {
  return run(process.execPath, [
    "build",
    "runtime-adapters/node/main.ts",
    "--target=node",
    "--format=esm",
    "--banner=#!/usr/bin/env node",
    "--outfile=dist/sundial.mjs",
  ]).ok;
}

const LIB = path.join(DIST, "lib");
/** Each runtime's library entry (runtime-adapters/<runtime>/serve.ts) and the target bun builds it for. */
const LIB_ENTRIES = [
  { runtime: "node", target: "node" },
  { runtime: "bun", target: "bun" },
  // Deno runs code built for Node: it keeps the node: prefix on built-ins, which Deno requires.
  { runtime: "deno", target: "node" },
] as const;
/** The declarations' entry, as tsc emits it (tsconfig.lib.json); every runtime's serve() has these types. */
const LIB_TYPES_ENTRY = path.join(LIB, "types", "runtime-adapters", "node", "serve.d.ts");
/** "sundial/hono" (runtime-adapters/hono/): one module for every runtime; hono is the app's own (a peer). */
const HONO_ENTRY = "runtime-adapters/hono/index.ts";
const HONO_TYPES_ENTRY = path.join(LIB, "types", "runtime-adapters", "hono", "index.d.ts");

/**
 * The library that package.json's exports name: dist/lib/<runtime>.js, one ES module per runtime
 * (its serve.ts and the core), and dist/lib/index.d.ts with the declarations it needs; and
 * "sundial/hono": dist/lib/hono.js (the helper and the part of the core it uses: the server it
 * meets may be another copy of sundial, which src/fetch/upgrade-slots.ts's registered symbols
 * allow) with dist/lib/hono.d.ts.
 */
function lib(): boolean {
  fs.rmSync(LIB, { recursive: true, force: true });
  let ok = true;
  for (const { runtime, target } of LIB_ENTRIES) {
    const entry = `runtime-adapters/${runtime}/serve.ts`;
    if (
      !run(process.execPath, ["build", entry, `--target=${target}`, "--format=esm", `--outfile=dist/lib/${runtime}.js`])
        .ok
    ) ok = false;
  }
  const honoBuild = [
    "build",
    HONO_ENTRY,
    "--target=node",
    "--format=esm",
    "--external=hono",
    "--outfile=dist/lib/hono.js",
  ];
  if (!run(process.execPath, honoBuild).ok) ok = false;
  if (!run(path.join(BIN, "tsc"), ["-p", "tsconfig.lib.json"]).ok) return false;
  const kept = rewriteDeclarations(LIB_TYPES_ENTRY);
  for (const file of rewriteDeclarations(HONO_TYPES_ENTRY)) kept.add(file);
  for (const file of listFiles(path.join(LIB, "types"))) if (!kept.has(file)) fs.rmSync(file);
  removeEmptyFolders(path.join(LIB, "types"));
  const entry = `./${path.relative(LIB, LIB_TYPES_ENTRY).split(path.sep).join("/").replace(/\.d\.ts$/, ".js")}`;
  fs.writeFileSync(
    path.join(LIB, "index.d.ts"),
    `// The types of import "sundial", the same on Node, Bun and Deno.\nexport * from "${entry}";\n`,
  );
  const honoTypes = `./${path.relative(LIB, HONO_TYPES_ENTRY).split(path.sep).join("/").replace(/\.d\.ts$/, ".js")}`;
  fs.writeFileSync(
    path.join(LIB, "hono.d.ts"),
    `// The types of import "sundial/hono" (hono's own types are the app's).\nexport * from "${honoTypes}";\n`,
  );
  if (ok) {
    console.log(
      `built dist/lib (${
        LIB_ENTRIES.map((e) => `${e.runtime}.js`).join(", ")
      }, hono.js, index.d.ts, hono.d.ts and ${kept.size} declaration files)`,
    );
  }
  return ok;
}

/** A relative import of a .ts file in a declaration (from "./x.ts", import("./x.ts")). */
const TS_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*)(["'])(\.{1,2}\/[^"']*)\.ts\2/g;

/**
 * tsc writes the sources' "./x.ts" imports into the declarations as they are; a published
 * declaration imports "./x.js" (which TypeScript maps to x.d.ts). Rewrites the declarations
 * reachable from the entry and returns them: the rest (the adapter's internals) is not part of
 * the API.
 */
function rewriteDeclarations(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8").replace(TS_IMPORT, (_, lead: string, quote: string, stem: string) => {
      pending.push(path.resolve(path.dirname(file), `${stem}.d.ts`));
      return `${lead}${quote}${stem}.js${quote}`;
    });
    fs.writeFileSync(file, text);
  }
  return seen;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) =>
    path.join(e.parentPath, e.name)
  );
}

function removeEmptyFolders(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyFolders(path.join(dir, entry.name));
  }
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

/** `bun build --compile`: the Bun runtime and the adapter in one file; Bun cross-compiles. */
function bunExecutable(target: string | null): boolean {
  const out = path.join(DIST, outputName("bun", target));
  const cross = target === null ? [] : [`--target=${TARGETS[target]!.bun}`];
  const ok =
    run(process.execPath, ["build", "--compile", ...cross, "runtime-adapters/bun/main.ts", `--outfile=${out}`]).ok;
  if (ok) console.log(`built ${path.relative(REPO, out)} (${sizeOf(out)})`);
  return ok;
}

/**
 * Rewrites a file by copying it. postject writes the executable in one 95 MB write(), which Linux
 * (6.x, ext4) caches in large folios, and a process faults in a whole folio per page it touches:
 * sundial-node then idled at 81 MB RSS, 14 MB more than node dist/sundial.mjs; copied (written in
 * small pieces, cached in small folios) it idles at 62 MB, and the 150 MB bound of the slow-reader
 * attack test (test/e2e/parts/slow-reader-tests.ts) has its headroom back.
 */
function recache(file: string): void {
  const copy = `${file}.copy`;
  fs.copyFileSync(file, copy);
  fs.renameSync(copy, file);
}

/**
 * A Node single executable application (nodejs.org/api/single-executable-applications.html):
 * the adapter bundled to one CommonJS file, turned into a blob by this node, injected into a
 * copy of this node binary with postject. Only the host platform: SEA reuses the running node.
 */
function nodeExecutable(): boolean {
  const work = path.join(DIST, "sea");
  fs.mkdirSync(work, { recursive: true });
  const script = path.join(work, "sundial.cjs");
  if (
    !run(process.execPath, [
      "build",
      "runtime-adapters/node/main.ts",
      "--target=node",
      "--format=cjs",
      `--outfile=${script}`,
    ]).ok
  ) return false;
  const blob = path.join(work, "sundial.blob");
  const config = path.join(work, "sea-config.json");
  fs.writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true }));
  if (!run("node", ["--experimental-sea-config", config]).ok) return false;
  const out = path.join(DIST, "sundial-node");
  const node = spawnSync("node", ["-p", "process.execPath"]).stdout?.toString().trim() ?? "";
  try {
    fs.rmSync(out, { force: true });
    fs.copyFileSync(node, out);
    fs.chmodSync(out, 0o755);
  } catch (error) {
    console.error(`build: cannot copy the node binary '${node}' to ${out}: ${(error as Error).message}`);
    return false;
  }
  // macOS: the copied binary's signature must go before injection, and an ad hoc one after (not exercised here).
  const mac = process.platform === "darwin";
  if (mac) run("codesign", ["--remove-signature", out]);
  const macho = mac ? ["--macho-segment-name", "NODE_SEA"] : [];
  const injected = run(path.join(BIN, "postject"), [
    out,
    "NODE_SEA_BLOB",
    blob,
    "--sentinel-fuse",
    "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
    ...macho,
  ]).ok;
  if (injected && mac) run("codesign", ["--sign", "-", out]);
  if (injected) recache(out);
  if (injected) console.log(`built dist/sundial-node (${sizeOf(out)})`);
  return injected;
}

/**
 * `deno compile` with --allow-all: sundial checks each file it opens through /proc/self/fd
 * (src/static/safe-root.ts), which Deno lets a program read only with every permission. It needs the `denort` base binary,
 * downloaded from dl.deno.land unless DENORT_BIN names a local copy; without either the build
 * says so and goes on (exit 0), and the tests report this executable as skipped.
 */
function denoExecutable(target: string | null): boolean | "skipped" {
  const out = path.join(DIST, outputName("deno", target));
  const cross = target === null ? [] : ["--target", TARGETS[target]!.deno];
  // --unstable-net: --workers listens with reusePort, which Deno allows only with it (runtime-adapters/deno/workers.ts).
  // --v8-flags=--max-semi-space-size=1,--heap-growing-percent=20: the run form's heap sizing, baked into the executable (docs/static-files.md, Streaming and the file cache).
  const permissions = ["--allow-all", "--unstable-net", "--v8-flags=--max-semi-space-size=1,--heap-growing-percent=20"];
  const result = run(path.join(BIN, "deno"), [
    "compile",
    ...permissions,
    ...cross,
    "--output",
    out,
    "runtime-adapters/deno/main.ts",
  ], { capture: true });
  if (result.ok) {
    console.log(`built ${path.relative(REPO, out)} (${sizeOf(out)})`);
    return true;
  }
  // The one expected failure: no denort and no way to download it. Anything else is shown in full.
  if (
    process.env.DENORT_BIN === undefined && /denort|dl\.deno\.land/i.test(result.stderr) &&
    /dns|connect|download|request/i.test(result.stderr)
  ) {
    fs.rmSync(out, { force: true });
    console.log(
      `skipped ${
        path.relative(REPO, out)
      }: deno compile could not download its denort base binary (dl.deno.land is unreachable); ` +
        "set DENORT_BIN=/path/to/denort (from the denort-<target>.zip of the same Deno release) to build it offline",
    );
    return "skipped";
  }
  process.stderr.write(result.stderr);
  return false;
}

fs.mkdirSync(DIST, { recursive: true });
let failed = false;
// Every step runs even when an earlier one failed, so one report shows everything.
if (only.includes("bundle") && !bundle()) failed = true;
if (only.includes("lib") && !lib()) failed = true;
for (const t of only.includes("bun") ? (targets.length > 0 ? targets : [null]) : []) {
  if (!bunExecutable(t)) failed = true;
}
if (only.includes("node")) {
  if (targets.length > 0) {
    console.log(
      "sundial-node: Node SEA builds only for the host platform (it injects into the running node); --target is ignored for it",
    );
  }
  if (!nodeExecutable()) failed = true;
}
for (const t of only.includes("deno") ? (targets.length > 0 ? targets : [null]) : []) {
  const built = denoExecutable(t);
  if (built === false || (built === "skipped" && requireAll)) failed = true;
}
process.exit(failed ? 1 : 0);
