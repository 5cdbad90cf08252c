// sundial as the benches run it from the checkout, on each runtime: the argv before the folder and flags.
import * as path from "node:path";
import { BIN, REPO } from "./repo.ts";

export type Runtime = "node" | "deno" | "bun";

/** node runs the bundle (dist/sundial.mjs, built by the files bench when missing); deno and bun the sources. */
export const RUN_FORMS: ReadonlyArray<readonly [Runtime, readonly string[]]> = [
  ["node", ["node", path.join(REPO, "dist/sundial.mjs")]],
  ["deno", [
    path.join(BIN, "deno"),
    "run",
    "--allow-all",
    "--v8-flags=--max-semi-space-size=1,--heap-growing-percent=20",
    path.join(REPO, "runtime-adapters/deno/main.ts"),
  ]],
  ["bun", [path.join(BIN, "bun"), path.join(REPO, "runtime-adapters/bun/main.ts")]],
];
