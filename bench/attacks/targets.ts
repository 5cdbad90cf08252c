// The run forms of a sundial checkout (this one, or another given as REPO to compare before and after).
import * as path from "node:path";
import { REPO_ROOT, type Target } from "../../test/support/server-process.ts";

const BIN = path.join(REPO_ROOT, "node_modules", ".bin");

/** node (the bundle: run `npm run build -- --only=bundle` in REPO first), deno and bun of REPO. */
export function runForms(repo: string = REPO_ROOT): Target[] {
  return [
    { name: "node", command: ["node", path.join(repo, "dist", "sundial.mjs")] },
    {
      name: "deno",
      command: [
        path.join(BIN, "deno"),
        "run",
        "--allow-all",
        "--v8-flags=--max-semi-space-size=1,--heap-growing-percent=20",
        path.join(repo, "runtime-adapters", "deno", "main.ts"),
      ],
    },
    { name: "bun", command: [path.join(BIN, "bun"), "run", path.join(repo, "runtime-adapters", "bun", "main.ts")] },
  ];
}
