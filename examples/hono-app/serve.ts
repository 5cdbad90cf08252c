/**
 * The Hono app through the library API: `serve({ fetch: app.fetch })` on sundial's raw-TCP core,
 * the same call on Node, Deno and Bun (the "sundial" package picks the runtime's adapter).
 *
 *   bun examples/hono-app/serve.ts
 *   deno run --allow-all examples/hono-app/serve.ts
 *   bun build examples/hono-app/serve.ts --target=node --outfile=/tmp/hono-app.mjs && node /tmp/hono-app.mjs
 *
 * In a checkout, "sundial" resolves to this package itself once `npm run build` has made dist/lib.
 */
import { serve } from "sundial";
import app from "./app.ts";

const server = serve({ fetch: app.fetch, port: 3000 });
await server.ready();
console.log(`Hono on sundial: ${server.url}`);
