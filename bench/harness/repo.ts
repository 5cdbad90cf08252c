// Where the checkout is: the benches start its servers and write their reports into it.
import * as path from "node:path";

export const REPO = path.resolve(import.meta.dirname, "..", "..");
/** The dev tools npm installed (deno, bun). */
export const BIN = path.join(REPO, "node_modules", ".bin");
