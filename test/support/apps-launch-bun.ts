/** apps-launch on Bun: sundial's Bun adapter, or Bun.serve (the reference). */
import type { ServeOptions, Server } from "../../src/index.ts";
import { type Handler, launch } from "./apps-launch.ts";

/** The part of Bun.serve used here (this file is type-checked with Node's types, not Bun's). */
interface BunGlobal {
  serve(options: { port: number; hostname: string; fetch: Handler }): { port: number };
}

/**
 * sundial's Bun adapter, imported by a computed specifier: the adapter is type-checked with Bun's
 * types (npm run typecheck does), and this file with Node's, which cannot see them.
 */
const ADAPTER: string = new URL("../../runtime-adapters/bun/serve.ts", import.meta.url).href;
const { serve } = (await import(ADAPTER)) as { serve: (options: ServeOptions) => Server };

const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;

await launch(process.argv.slice(2), {
  sundial: async (fetch) => {
    const server = await serve({ fetch, port: 0, hostname: "127.0.0.1" }).ready();
    return server.port!;
  },
  reference: async (fetch) => bun.serve({ port: 0, hostname: "127.0.0.1", fetch }).port,
});
