// One layer of sundial's fetch path (layers.mjs) on Deno or Bun, from the runtime's library entry.
// Usage: deno run --allow-all sundial-layer.ts LAYER PORT | bun sundial-layer.ts LAYER PORT
import { layerFromArgs, startLayer } from "./layers.mjs";

const deno = (globalThis as { Deno?: { readonly args: readonly string[] } }).Deno;
// A computed specifier, as in sundial.ts: each adapter is type-checked with its own runtime's types.
const lib: unknown = await import(
  new URL(`../../../runtime-adapters/${deno === undefined ? "bun" : "deno"}/serve.ts`, import.meta.url).href
);
const { layer, port } = layerFromArgs(deno?.args ?? process.argv.slice(2));
await startLayer(lib, layer, port);
