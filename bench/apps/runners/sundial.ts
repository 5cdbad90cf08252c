// sundial on Deno or Bun, from the runtime's library entry (runtime-adapters/<runtime>/serve.ts).
// Usage: deno run --allow-all sundial.ts APP PORT | bun sundial.ts APP PORT
import type { ServeOptions, Server } from "../../../src/index.ts";
import { appFromArgs } from "./apps.mjs";

/** Deno's argv, where Deno runs this (the file is type-checked with Node's types, not Deno's). */
const deno = (globalThis as { Deno?: { readonly args: readonly string[] } }).Deno;

// A computed specifier: each adapter is type-checked with its own runtime's types (npm run typecheck does).
const entry =
  new URL(`../../../runtime-adapters/${deno === undefined ? "bun" : "deno"}/serve.ts`, import.meta.url).href;
const { serve } = (await import(entry)) as { serve: (options: ServeOptions) => Server };

const { app, port } = await appFromArgs(deno?.args ?? process.argv.slice(2));
await serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }).ready();
