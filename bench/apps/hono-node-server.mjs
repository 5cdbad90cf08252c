// Node's reference for fetch apps: @hono/node-server (node:http underneath; it swaps in its own
// lighter Request and Response globals while it serves, as it does for its users).
// Usage: node hono-node-server.mjs APP PORT
import { serve } from "@hono/node-server";
import { appFromArgs } from "./apps.mjs";

const { app, port } = await appFromArgs(process.argv.slice(2));
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
