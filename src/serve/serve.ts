/** The library's door: serve(), a fetch handler on the raw-TCP core, composed as the command line is. */
import type { ComposeDeps } from "../compose/deps.ts";
import { launch } from "../compose/launch.ts";
import type { Server } from "../compose/server.ts";
import { serveConfig } from "./serve-config.ts";
import type { ServeOptions } from "./serve-options.ts";

export type { ServeOptions, ServeTls } from "./serve-options.ts";
export type { LogReopen, Server, ServerPorts } from "../compose/server.ts";
export type { Reload } from "../compose/reload.ts";

/** What serve() needs from the runtime: what the composer needs (each adapter's `deps`). */
export type ServeDeps = ComposeDeps;

/**
 * Runs a fetch handler on the raw-TCP core; starts listening at once and returns a Server whose
 * url, port and ports fill in once listening (await ready()).
 */
export function serve(deps: ServeDeps, options: ServeOptions): Server {
  let running: Server | null = null;
  const started = start(deps, options).then((server) => {
    running = server;
    options.signal?.addEventListener("abort", () => void handle.close(), { once: true });
    return handle;
  });
  // A failure is reported through ready(); unobserved, it must not crash the process.
  started.catch(() => {});
  const handle: Server = {
    get url() {
      return running?.url ?? null;
    },
    get port() {
      return running?.port ?? null;
    },
    get ports() {
      return running?.ports ?? null;
    },
    ready: () => started,
    close: async () => {
      await started.catch(() => null);
      const server = running;
      running = null;
      await server?.close();
    },
    reloadTls: () =>
      running?.reloadTls() ?? Promise.resolve({ kind: "unchanged", message: "nothing to reload (not listening)" }),
    reloadAuth: () =>
      running?.reloadAuth() ?? Promise.resolve({ kind: "unchanged", message: "nothing to reload (not listening)" }),
    reopenLog: () => running?.reopenLog() ?? { kind: "reopened" },
  };
  return handle;
}

async function start(deps: ServeDeps, options: ServeOptions): Promise<Server> {
  const config = serveConfig(options);
  if (config.kind === "failed") throw new Error(`sundial: ${config.message}`);
  const launched = await launch(deps, config.value, (line) => deps.output.err(line));
  if (launched.kind === "failed") throw new Error(`sundial: ${launched.message}`);
  return launched.server;
}
