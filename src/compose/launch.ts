/** The one way a sundial starts, for both doors: prepare, compose, start everything. */
import type { SundialConfig } from "./config.ts";
import { compose } from "./compose.ts";
import type { ComposeDeps } from "./deps.ts";
import { prepare } from "./prepare.ts";
import { startAll, type Started } from "./start-all.ts";

export type Launch =
  | { readonly kind: "started"; readonly started: Started; readonly banner: readonly string[] }
  | { readonly kind: "failed"; readonly message: string };

/** warn: a line said before listening (the command line's stderr). */
export async function launch(deps: ComposeDeps, config: SundialConfig, warn: (line: string) => void): Promise<Launch> {
  let main: Started["main"] | null = null;
  const prepared = await prepare(deps, config, () => main?.draining ?? false, warn);
  if (prepared.kind === "failed") return prepared;
  const composition = compose(deps, config, prepared.prepared);
  const result = await startAll(deps, config, prepared.prepared, composition);
  if (result.kind === "failed") return result;
  main = result.started.main;
  return { kind: "started", started: result.started, banner: composition.banner(result.started.bound) };
}
