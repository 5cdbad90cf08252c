/**
 * Crash safety of uploads at start (docs/static-files.md, Writing files): the temporaries a
 * killed process left are removed before the server listens, and one line says how many.
 */
import type { FileSystem } from "../ports/file-system.ts";
import type { Clock } from "../ports/clock.ts";
import { removeStaleTemps, sweepLine } from "../static/write/stale-temps.ts";

/** Every temporary under the root (none can be live: nothing serves it yet); `log` gets the line, if any. */
export async function sweepAtStart(
  deps: { readonly fs: FileSystem; readonly clock: Pick<Clock, "now"> },
  root: string,
  site: { readonly dotfiles: boolean },
  log: (line: string) => void,
): Promise<void> {
  const sweep = await removeStaleTemps(deps, root, site, { kind: "any" });
  const line = sweepLine(sweep, root, "left by an earlier run");
  if (line !== null) log(line);
}

/** The temporaries of one process that ended (a worker of --workers): its uploads in progress died with it. */
export async function sweepAfterWorker(
  deps: { readonly fs: FileSystem; readonly clock: Pick<Clock, "now"> },
  root: string,
  site: { readonly dotfiles: boolean },
  pid: number,
  log: (line: string) => void,
): Promise<void> {
  const sweep = await removeStaleTemps(deps, root, site, { kind: "process", id: pid });
  const line = sweepLine(sweep, root, `of worker pid ${pid}`);
  if (line !== null) log(line);
}
