// The fetch apps of the app bench (bench/apps/run.ts), in plain JS so that Node, Deno and Bun all load
// this module. Every server under test gets the same app object from loadApp().
//
// hono-json is the JSON route of the example Hono app (examples/hono-app/app.ts), the whole app
// with its middleware (compress() runs, and passes: wrk sends no Accept-Encoding). Deno and Bun
// import the example's source; Node 20 loads no .ts, so it imports the bundle bench/apps/run.ts makes
// of it first (dist/bench/hono-app.mjs, bun build with hono inlined).

/** The request path of each app's scenario. */
export const APP_PATHS = {
  hello: "/",
  "hono-json": "/users/42/posts/7",
};

const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
const HONO_APP = runtime === "node" ? "../../../dist/bench/hono-app.mjs" : "../../../examples/hono-app/app.ts";

/** The app named on the command line, as `{ fetch }`. */
export async function loadApp(name) {
  switch (name) {
    case "hello":
      return { fetch: () => new Response("Hello, world!") };
    case "hono-json": {
      const app = (await import(new URL(HONO_APP, import.meta.url).href)).default;
      return { fetch: app.fetch };
    }
    default:
      throw new Error(`unknown app '${name}' (expected ${Object.keys(APP_PATHS).join(" or ")})`);
  }
}

/** `APP PORT` from a runner's arguments, the app loaded. */
export async function appFromArgs(args) {
  const [name, port] = args;
  if (name === undefined || !/^\d+$/.test(port ?? "")) throw new Error("usage: RUNNER APP PORT");
  return { app: await loadApp(name), port: Number(port) };
}
