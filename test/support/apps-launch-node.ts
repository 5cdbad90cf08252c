/** apps-launch on Node: sundial's Node adapter, or @hono/node-server (the reference). Run as a bundle (Node 20 loads no .ts). */
import { serve } from "../../runtime-adapters/node/serve.ts";
import { launch } from "./apps-launch.ts";

await launch(process.argv.slice(2), {
  sundial: async (fetch) => {
    const server = await serve({ fetch, port: 0, hostname: "127.0.0.1" }).ready();
    return server.port!;
  },
  // Imported only here: @hono/node-server replaces the global Response and Request with its own
  // lighter classes when it serves, which must not touch the process that runs sundial.
  reference: async (fetch) => {
    const { serve: honoNodeServe } = await import("@hono/node-server");
    return new Promise((resolve) =>
      void honoNodeServe({ fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port))
    );
  },
});
