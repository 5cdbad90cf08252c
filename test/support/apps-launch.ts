/**
 * The child-process side of the app tests: loads one example app and serves it on one server,
 * on 127.0.0.1 and a free port, then prints `apps-launch: listening on http://127.0.0.1:PORT/`.
 * Each runtime's entry (apps-launch-{node,deno,bun}.ts) supplies its two servers: sundial's
 * serve() on that runtime's adapter, and the runtime's own server (the reference).
 * The parent stops the process by its PID (SIGTERM); nothing here needs a graceful close.
 */

/** The example apps, imported only when asked for (the guestbook opens its database on import). */
const APPS = {
  hello: () => import("../../examples/hello.ts"),
  hono: () => import("../../examples/hono-app/app.ts"),
  guestbook: () => import("../../examples/guestbook/app.ts"),
} as const;

export type AppName = keyof typeof APPS;
export type ServerName = "sundial" | "reference";

/** A fetch handler as every server here calls it (the second argument differs per server). */
export type Handler = (request: Request, info?: unknown) => Response | Promise<Response>;

/** Starts one server for the handler on 127.0.0.1 and a free port; resolves with the port. */
export type Listen = (fetch: Handler) => Promise<number>;

export const LISTENING = /apps-launch: listening on (http:\/\/127\.0\.0\.1:(\d+)\/)/;

/** Reads `<app> <server>` from the arguments and serves that app on that server. */
export async function launch(args: readonly string[], servers: Readonly<Record<ServerName, Listen>>): Promise<void> {
  const [appName, serverName] = args;
  if (!isKey(APPS, appName) || !isKey(servers, serverName)) {
    throw new Error(`usage: apps-launch <${Object.keys(APPS).join("|")}> <sundial|reference>, got ${args.join(" ")}`);
  }
  const module: { default: unknown } = await APPS[appName]();
  const port = await servers[serverName](handlerOf(module.default));
  console.log(`apps-launch: listening on http://127.0.0.1:${port}/`);
}

/** The app module's default export: an object with fetch (Hono, Workers, Bun, Deno) or a function. */
function handlerOf(app: unknown): Handler {
  if (typeof app === "function") return app as Handler;
  const fetch = (app as { fetch?: unknown } | null)?.fetch;
  if (typeof fetch === "function") return (request, info) => (fetch as Handler).call(app, request, info);
  throw new Error("the app's default export is neither a function nor an object with fetch");
}

function isKey<T extends object>(table: T, key: string | undefined): key is Extract<keyof T, string> {
  return key !== undefined && Object.hasOwn(table, key);
}
