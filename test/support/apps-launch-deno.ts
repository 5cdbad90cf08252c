/** apps-launch on Deno: sundial's Deno adapter, or Deno.serve (the reference). */
import type { ServeOptions, Server } from "../../src/index.ts";
import { type Handler, launch } from "./apps-launch.ts";

/** The part of Deno's namespace used here (this file is type-checked with Node's types, not Deno's). */
interface DenoGlobal {
  readonly args: readonly string[];
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: Handler,
  ): { addr: { port: number } };
}

/**
 * sundial's Deno adapter, imported by a computed specifier: the adapter is type-checked with Deno's
 * types (npm run typecheck does), and this file with Node's, which cannot see them.
 */
const ADAPTER: string = new URL("../../runtime-adapters/deno/serve.ts", import.meta.url).href;
const { serve } = (await import(ADAPTER)) as { serve: (options: ServeOptions) => Server };

const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;

await launch(deno.args, {
  sundial: async (fetch) => {
    const server = await serve({ fetch, port: 0, hostname: "127.0.0.1" }).ready();
    return server.port!;
  },
  // onListen replaced: Deno.serve's own "Listening on" line is not ours.
  reference: async (fetch) => deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, fetch).addr.port,
});
