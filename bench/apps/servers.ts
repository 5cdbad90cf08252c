// The app bench's servers (sundial on each runtime and the runtime's own server for fetch apps),
// its scenarios and targets (issue 14, "Performance"), and the build step its runners need.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { BIN, REPO } from "../harness/repo.ts";
import { APP_PATHS, type AppName } from "./runners/apps.mjs";
import { type Layer, LAYERS } from "./runners/layers.mjs";

const RUNNERS = path.join(REPO, "bench", "apps", "runners");

export interface AppServerSpec {
  readonly name: string;
  /** layer: one layer of sundial's fetch path (runners/layers.mjs), measured in the hello scenario only. */
  readonly kind: "sundial" | "peer" | "layer";
  readonly runtime: "node" | "deno" | "bun";
  readonly command: (app: AppName, port: number) => string[];
  /** What the report says about it (beside its name). */
  readonly note?: string;
  /** The layer a "layer" server serves. */
  readonly layer?: Layer;
}

const deno = (file: string) => (arg: string, port: number): string[] => [
  path.join(BIN, "deno"),
  "run",
  "--allow-all",
  path.join(RUNNERS, file),
  arg,
  String(port),
];
const bun = (file: string) => (arg: string, port: number): string[] => [
  path.join(BIN, "bun"),
  path.join(RUNNERS, file),
  arg,
  String(port),
];
const node = (file: string, ...extra: string[]) => (arg: string, port: number): string[] => [
  "node",
  path.join(RUNNERS, file),
  arg,
  String(port),
  ...extra,
];

export const APP_SERVERS: readonly AppServerSpec[] = [
  { name: "sundial-node", kind: "sundial", runtime: "node", command: node("sundial-node.mjs") },
  { name: "sundial-deno", kind: "sundial", runtime: "deno", command: deno("sundial.ts") },
  { name: "sundial-bun", kind: "sundial", runtime: "bun", command: bun("sundial.ts") },
  { name: "@hono/node-server", kind: "peer", runtime: "node", command: node("hono-node-server.mjs") },
  {
    name: "@hono/node-server/globals",
    kind: "peer",
    runtime: "node",
    command: node("hono-node-server.mjs", "keep-globals"),
    note: "@hono/node-server with overrideGlobalObjects: false: the app's Response is Node's own, as on sundial",
  },
  { name: "Deno.serve", kind: "peer", runtime: "deno", command: deno("deno-serve.ts") },
  { name: "Bun.serve", kind: "peer", runtime: "bun", command: bun("bun-serve.ts") },
  ...(["node", "deno", "bun"] as const).flatMap((runtime) =>
    LAYERS.map((layer): AppServerSpec => {
      const runner = runtime === "node"
        ? node("sundial-layer-node.mjs")
        : runtime === "deno"
        ? deno("sundial-layer.ts")
        : bun("sundial-layer.ts");
      return {
        name: `sundial-${runtime} ${layer}`,
        kind: "layer",
        runtime,
        layer,
        command: (_app, port) => runner(layer, port),
      };
    })
  ),
];

/** Whether a server takes part in a scenario: the layers are measured with hello only. */
export const servesScenario = (spec: AppServerSpec, scenario: AppScenario): boolean =>
  spec.kind !== "layer" || scenario.app === "hello";

export interface AppScenario {
  readonly id: string;
  readonly app: AppName;
  readonly path: string;
  readonly connections: number;
}

export const APP_SCENARIOS: readonly AppScenario[] = [
  { id: "hello c50", app: "hello", path: APP_PATHS.hello, connections: 50 },
  { id: "hono-json c50", app: "hono-json", path: APP_PATHS["hono-json"], connections: 50 },
];

/**
 * sundial on a runtime against that runtime's own server with the same app, and the ratio it must
 * reach (issue 14); null: shown for what it explains, with no target.
 */
export const APP_TARGETS: ReadonlyArray<
  { readonly sundial: string; readonly peer: string; readonly target: number | null }
> = [
  { sundial: "sundial-node", peer: "@hono/node-server", target: 2.0 },
  { sundial: "sundial-node", peer: "@hono/node-server/globals", target: null },
  { sundial: "sundial-deno", peer: "Deno.serve", target: 1.2 },
  { sundial: "sundial-bun", peer: "Bun.serve", target: 1.0 },
];

/** Newest modification time under a folder (0 when it is missing). */
function newest(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * What the Node runners import, built before the servers start: dist/lib/node.js (the library,
 * rebuilt when it is missing or older than src/ or the Node adapter) and dist/bench/hono-app.mjs
 * (the example Hono app bundled with hono inlined, always rebuilt: Node 20 loads no .ts).
 */
export function buildRunners(): void {
  const lib = path.join(REPO, "dist", "lib", "node.js");
  const sources = Math.max(
    newest(path.join(REPO, "src")),
    newest(path.join(REPO, "runtime-adapters", "node")),
    newest(path.join(REPO, "runtime-adapters", "shared-node")),
  );
  if (!fs.existsSync(lib) || fs.statSync(lib).mtimeMs < sources) {
    console.log("building dist/lib (bun scripts/build.ts --only=lib)");
    execFileSync(path.join(BIN, "bun"), ["scripts/build.ts", "--only=lib"], { cwd: REPO, stdio: "inherit" });
  }
  execFileSync(
    path.join(BIN, "bun"),
    ["build", "examples/hono-app/app.ts", "--target=node", "--format=esm", "--outfile=dist/bench/hono-app.mjs"],
    { cwd: REPO, stdio: ["ignore", "ignore", "inherit"] },
  );
}
