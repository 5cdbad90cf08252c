/**
 * The smallest app: a module whose default export has a `fetch` handler, the contract Bun.serve,
 * Deno.serve, Cloudflare Workers and sundial share. Run it with
 *
 *   deno run --allow-all --v8-flags=--max-semi-space-size=1,--heap-growing-percent=20 runtime-adapters/deno/main.ts --no-listing --app examples/hello.ts
 *   bun run runtime-adapters/bun/main.ts --no-listing --app examples/hello.ts
 *
 * (the command line answers /time and the folder's files first: --no-listing keeps "/" for the app)
 * or from code: `serve({ fetch: hello.fetch, port: 8000 })` with `import { serve } from "sundial"`.
 * Node 20 cannot load a .ts file: bundle it first (`bun build examples/hello.ts --outfile=hello.mjs`).
 */
export default {
  fetch: (): Response => new Response("Hello, world!"),
};
