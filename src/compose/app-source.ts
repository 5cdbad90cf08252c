/** The app to serve: a fetch handler in hand, or the default export of a module (--app). */
import type { App } from "../app.ts";
import { fetchApp, type FetchHandler } from "../fetch/fetch-app.ts";
import type { WebSocketHandler } from "../fetch/websocket.ts";
import { deflateOption } from "../websocket/deflate-params.ts";
import type { HeldBody } from "../ports/held-body.ts";
import type { AppSource } from "./config.ts";

type ModuleLoad =
  | { readonly kind: "loaded"; readonly module: unknown }
  /** code: the runtime's error code (e.g. ERR_MODULE_NOT_FOUND), "" when it gave none. */
  | { readonly kind: "failed"; readonly code: string; readonly message: string };

export interface AppSourceDeps {
  readonly runtime: string;
  readonly importModule: (path: string) => Promise<unknown>;
  readonly heldBody?: HeldBody;
}

export type AppLoad = { readonly kind: "app"; readonly app: App } | {
  readonly kind: "failed";
  readonly message: string;
};

/**
 * The app of a source: a handler as it is, or a module's default export, an object with a fetch
 * method (the convention of Bun, Deno and Workers, which a Hono app satisfies) or a function
 * (request, info) => Response. An object's `websocket` is Bun's WebSocket handler (as
 * `export default { fetch, websocket }` runs on Bun).
 */
export async function loadApp(
  deps: AppSourceDeps,
  source: AppSource,
  port: number,
  scheme: "http" | "https",
): Promise<AppLoad> {
  const options = { fallbackHost: `localhost:${port}`, scheme, heldBody: deps.heldBody };
  if (source.kind === "handler") {
    return { kind: "app", app: fetchApp(source.fetch, { ...options, websocket: source.websocket }) };
  }
  const loaded = await importApp(deps, source.path);
  if (loaded.kind === "failed") return { kind: "failed", message: oneLine(loadFailure(loaded, deps.runtime)) };
  const exported = (loaded.module as { default?: unknown } | null)?.default;
  const handler = defaultHandler(exported);
  if (handler === null) {
    return {
      kind: "failed",
      message: "its default export must be { fetch(request) } or a function (request) => Response",
    };
  }
  const websocket = websocketHandler(exported);
  if (websocket === "invalid") return { kind: "failed", message: "its websocket export must be { message(ws, data) }" };
  const deflate = deflateOption(websocket?.perMessageDeflate);
  if (deflate.kind === "invalid") return { kind: "failed", message: `its websocket export's ${deflate.message}` };
  return { kind: "app", app: fetchApp(handler, { ...options, websocket }) };
}

/** The default export's Bun WebSocket handler: none, one with a message function, or a mistake. */
function websocketHandler(exported: unknown): WebSocketHandler<never> | undefined | "invalid" {
  if (typeof exported !== "object" || exported === null) return undefined;
  const websocket = (exported as { websocket?: unknown }).websocket;
  if (websocket === undefined) return undefined;
  if (typeof websocket !== "object" || websocket === null) return "invalid";
  if (typeof (websocket as { message?: unknown }).message !== "function") return "invalid";
  return websocket as WebSocketHandler<never>;
}

/** The handler a module's default export offers, if it offers one. */
function defaultHandler(exported: unknown): FetchHandler | null {
  if (typeof exported === "function") return exported as FetchHandler;
  if (typeof exported !== "object" || exported === null) return null;
  if (typeof (exported as { fetch?: unknown }).fetch !== "function") return null;
  const target = exported as { fetch: FetchHandler };
  return (request, info) => target.fetch(request, info);
}

/** The module, or why it could not be loaded (the boundary where import()'s rejection becomes a value). */
function importApp(deps: AppSourceDeps, path: string): Promise<ModuleLoad> {
  return deps.importModule(path).then(
    (module): ModuleLoad => ({ kind: "loaded", module }),
    (error: { code?: unknown; message?: unknown } | null): ModuleLoad => ({
      kind: "failed",
      code: typeof error?.code === "string" ? error.code : "",
      message: typeof error?.message === "string" ? error.message : String(error),
    }),
  );
}

/**
 * A runtime's message as one line for the command line's one line of error: Deno's, for one, comes
 * in three coloured lines (the error, a hint, where): colours dropped, lines joined with "; ".
 */
export function oneLine(message: string): string {
  // deno-lint-ignore no-control-regex
  const plain = message.replace(/\x1b\[[0-9;]*m/g, "");
  return plain.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "").join("; ");
}

/** What a failed load means, for the codes whose message does not say it plainly. */
function loadFailure(failed: ModuleLoad & { kind: "failed" }, runtime: string): string {
  if (failed.code === "ERR_UNKNOWN_FILE_EXTENSION") {
    return `${runtime} cannot load this file type (TypeScript needs Node 22.18 or later, which strips types; on Node 20 use a .js or .mjs app, or run it with Deno or Bun)`;
  }
  if (failed.code.startsWith("ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING")) {
    return "the Node executable cannot load modules from disk (a Node single executable application has no loader for files); run the app with node dist/sundial.mjs, the Bun executable, or deno run";
  }
  return failed.message;
}
