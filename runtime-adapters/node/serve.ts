import { serve as serveOn, type ServeOptions, type Server } from "../../src/index.ts";
import { deps } from "./ports.ts";

/** This runtime's deps, for startServer() and site() (serve() already uses them). */
export { deps };

export * from "../../src/index.ts";

/** Runs a fetch handler on sundial's raw-TCP core, on node: `serve({ fetch, port })`. */
export function serve(options: ServeOptions): Server {
  return serveOn(deps, options);
}
