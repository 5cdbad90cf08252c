// sundial on Node, from the library build (dist/lib/node.js; bench/apps/run.ts builds it when missing or older than the sources).
// Usage: node sundial-node.mjs APP PORT
import { serve } from "../../../dist/lib/node.js";
import { appFromArgs } from "./apps.mjs";

const { app, port } = await appFromArgs(process.argv.slice(2));
await serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }).ready();
