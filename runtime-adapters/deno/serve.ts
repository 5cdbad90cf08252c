import { serve as serveOn, type ServeOptions, type Server } from "../../src/index.ts";
import { ports } from "./ports.ts";

/** This runtime's ports, for startServer() and site() (serve() already uses them). */
export { ports };

export * from "../../src/index.ts";

/** Runs a fetch handler on sundial's raw-TCP core, on deno: `serve({ fetch, port })`. */
export function serve(options: ServeOptions): Server {
  return serveOn(ports, options);
}
