/** A certificate reload (SIGHUP, server.reloadTls()): new handshakes use the new pair, or the old one stays. */
import type { RunningServer } from "../server/server.ts";
import type { OptionNames } from "./config.ts";
import type { PreparedTls } from "./tls.ts";

/** What a reload did; message is the line the command line prints after "SIGHUP: ". */
export type Reload = {
  readonly kind: "reloaded" | "unchanged" | "failed";
  readonly message: string;
};

const KEPT = "still using the certificate loaded before";

export async function reloadTls(
  tls: PreparedTls & { kind: "off" | "on" },
  main: Pick<RunningServer, "setTls">,
  names: OptionNames,
): Promise<Reload> {
  if (tls.kind !== "on") return { kind: "unchanged", message: `nothing to reload (no ${names.tlsCert})` };
  if (tls.reread === null) return { kind: "unchanged", message: `nothing to reload (${tls.source})` };
  const read = await tls.reread();
  if (read.kind === "failed") return { kind: "failed", message: `${read.message}; ${KEPT}` };
  const changed = await main.setTls(read.credentials);
  return changed.kind === "changed"
    ? { kind: "reloaded", message: `reloaded ${tls.source}` }
    : { kind: "failed", message: `${changed.message}; ${KEPT}` };
}
