// Node's reference for fetch apps: @hono/node-server (node:http underneath). By default it swaps
// in its own lighter Request and Response globals while it serves, as it does for its users; with
// keep-globals (overrideGlobalObjects: false) the app's Response is Node's own, as on sundial,
// which may not replace the globals.
// Usage: node hono-node-server.mjs APP PORT [keep-globals]
import { serve } from "@hono/node-server";
import { appFromArgs } from "./apps.mjs";

const args = process.argv.slice(2);
const { app, port } = await appFromArgs(args);
serve({ fetch: app.fetch, port, hostname: "127.0.0.1", overrideGlobalObjects: args[2] !== "keep-globals" });
