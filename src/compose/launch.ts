/** The one way a sundial starts, for both doors: prepare, compose, start everything. */
import type { SundialConfig } from "./config.ts";
import { compose } from "./compose.ts";
import type { ComposeDeps } from "./deps.ts";
import { prepare } from "./prepare.ts";
import type { RunningServer } from "../server/server.ts";
import type { Server } from "./server.ts";
import { startAll } from "./start-all.ts";

export type Launch =
  | { readonly kind: "started"; readonly server: Server; readonly banner: readonly string[] }
  | { readonly kind: "failed"; readonly message: string };

/** warn: a line said before listening (the command line's stderr). */
export async function launch(deps: ComposeDeps, config: SundialConfig, warn: (line: string) => void): Promise<Launch> {
  let main: RunningServer | null = null;
  const prepared = await prepare(deps, config, () => main?.draining ?? false, warn);
  if (prepared.kind === "failed") return prepared;
  const composition = compose(deps, config, prepared.prepared);
  const result = await startAll(deps, config, prepared.prepared, composition);
  if (result.kind === "failed") return result;
  main = result.main;
  return { kind: "started", server: result.server, banner: composition.banner(result.bound) };
}
