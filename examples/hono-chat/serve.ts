/**
 * The chat through the library: `serve({ fetch: app.fetch })`, the same call on Node, Deno and
 * Bun. No `websocket` option: sundial/hono's sockets need none.
 *
 *   bun examples/hono-chat/serve.ts
 *   deno run --allow-all examples/hono-chat/serve.ts
 *   bun build examples/hono-chat/serve.ts --target=node --outfile=/tmp/hono-chat.mjs && node /tmp/hono-chat.mjs
 *
 * PORT chooses the port (default 3000). In a checkout, "sundial" and "sundial/hono" resolve to
 * this package itself once `npm run build` has made dist/lib.
 */
import { serve } from "sundial";
import app from "./app.ts";

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1" });
await server.ready();
console.log(`chat on sundial: ${server.url}`);
