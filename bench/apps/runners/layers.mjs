// The layers of sundial's fetch path, each served on its own (bench/apps/run.ts, "Where the time goes"),
// so that the cost of each is the difference between two of them measured in the same run:
//   constant        an App whose handler returns one prepared answer: the core alone (parse,
//                   frame, write), no fetch handler at all;
//   constant-async  the same answer as a resolved promise: what any asynchronous handler adds;
//   app-unread      a fetch app that makes its new Response("Hello, world!") as hello does, and
//                   is answered with a prepared Response without a body: the lazy Request, the
//                   handler, the Response constructor and the head's conversion, with no body read;
// and the full fetch path is the hello app itself (the sundial-<runtime> rows).

/** The layer names, in the order the report shows them. */
export const LAYERS = ["constant", "constant-async", "app-unread"];

const HELLO = "Hello, world!";

/**
 * Starts one layer on 127.0.0.1:port with the library of the running runtime (its startServer,
 * fetchApp, deps and defaults: runtime-adapters/<runtime>/serve.ts, or dist/lib/node.js on Node).
 */
export async function startLayer(lib, layer, port) {
  const answer = {
    status: 200,
    headers: [["content-type", "text/plain;charset=utf-8"]],
    body: new TextEncoder().encode(HELLO),
  };
  let app;
  switch (layer) {
    case "constant":
      app = { handle: () => answer, headers: [] };
      break;
    case "constant-async":
      app = { handle: () => Promise.resolve(answer), headers: [] };
      break;
    case "app-unread": {
      // A Response without a body is never read, so one serves every request.
      const prepared = new Response(null, { headers: { "content-type": "text/plain;charset=utf-8" } });
      app = lib.fetchApp(() => (new Response(HELLO), prepared), { fallbackHost: `127.0.0.1:${port}` });
      break;
    }
    default:
      throw new Error(`unknown layer '${layer}' (expected ${LAYERS.join(", ")})`);
  }
  const started = await lib.startServer(lib.deps, {
    app,
    serverHeader: "sundial",
    limits: lib.DEFAULT_LIMITS,
    maxConnections: lib.DEFAULT_MAX_CONNECTIONS,
    maxConnectionsPerIp: lib.DEFAULT_MAX_CONNECTIONS_PER_IP,
    capLoopback: false,
    host: "127.0.0.1",
    port,
    services: [],
  });
  if (started.kind !== "listening") throw new Error(`layer ${layer}: ${started.message}`);
}

/** `LAYER PORT` from a runner's arguments. */
export function layerFromArgs(args) {
  const [layer, port] = args;
  if (layer === undefined || !/^\d+$/.test(port ?? "")) throw new Error("usage: RUNNER LAYER PORT");
  return { layer, port: Number(port) };
}
