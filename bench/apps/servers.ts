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
  /** The apps it serves (absent: every app). */
  readonly apps?: readonly AppName[];
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
  {
    name: "node:http",
    kind: "peer",
    runtime: "node",
    command: node("node-http.mjs"),
    apps: ["hello"],
    note: "a plain node:http server writing the hello text itself, with no Request or Response: Node's floor",
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
        apps: ["hello"],
        command: (_app, port) => runner(layer, port),
      };
    })
  ),
];

/** Whether a server takes part in a scenario: the layers and node:http serve hello only. */
export const servesScenario = (spec: AppServerSpec, scenario: AppScenario): boolean =>
  spec.apps === undefined || spec.apps.includes(scenario.app);

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
 * A ratio the report gives, per round: `over` / `under` in one scenario, of requests per second
 * ("rate", higher is better for `over`) or of the server's CPU time per request ("cpu", lower is
 * better). `atLeast` / `atMost`: issue 25's target; neither: shown for what it explains.
 */
export interface AppTarget {
  readonly over: string;
  readonly under: string;
  readonly figure: "rate" | "cpu";
  readonly apps: readonly AppName[];
  readonly atLeast?: number;
  readonly atMost?: number;
  /** What the ratio stands for, in the report. */
  readonly label?: string;
}

const BOTH: readonly AppName[] = ["hello", "hono-json"];

/**
 * Issue 25's targets for hello, one core per process: Bun >= 1.0x Bun.serve, Deno >= 0.8x
 * Deno.serve, Node >= 1.5x @hono/node-server without its global swap; the fetch layer adds at most
 * 50% to the constant layer's CPU time per request on Bun and Deno (hello CPU / constant CPU <= 1.5).
 */
export const APP_TARGETS: readonly AppTarget[] = [
  { over: "sundial-node", under: "@hono/node-server/globals", figure: "rate", apps: ["hello"], atLeast: 1.5 },
  { over: "sundial-node", under: "@hono/node-server/globals", figure: "rate", apps: ["hono-json"] },
  { over: "sundial-node", under: "@hono/node-server", figure: "rate", apps: BOTH },
  { over: "sundial-node", under: "node:http", figure: "rate", apps: ["hello"] },
  { over: "sundial-deno", under: "Deno.serve", figure: "rate", apps: ["hello"], atLeast: 0.8 },
  { over: "sundial-deno", under: "Deno.serve", figure: "rate", apps: ["hono-json"] },
  { over: "sundial-bun", under: "Bun.serve", figure: "rate", apps: ["hello"], atLeast: 1.0 },
  { over: "sundial-bun", under: "Bun.serve", figure: "rate", apps: ["hono-json"] },
  ...(["bun", "deno", "node"] as const).map((runtime): AppTarget => ({
    over: `sundial-${runtime}`,
    under: `sundial-${runtime} constant`,
    figure: "cpu",
    apps: ["hello"],
    ...(runtime === "node" ? {} : { atMost: 1.5 }),
    label: `fetch layer: sundial-${runtime} hello CPU / constant CPU`,
  })),
  ...(["bun", "deno", "node"] as const).map((runtime): AppTarget => ({
    over: `sundial-${runtime}`,
    under: { node: "@hono/node-server/globals", deno: "Deno.serve", bun: "Bun.serve" }[runtime],
    figure: "cpu",
    apps: ["hello"],
  })),
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
