/**
 * Starts what the composer built, in order: the main listener (and its raw services), the admin
 * listener, the plain-HTTP redirect. A failure closes what started before it, newest first, and
 * is one message in the wording every listener shares.
 */
import { type RunningServer, type ServerDeps, type ServerOptions, startServer } from "../server/server.ts";
import type { Bound, Composition } from "./compose.ts";
import type { SundialConfig } from "./config.ts";
import { listenFailure } from "./listen-failure.ts";
import type { Prepared } from "./prepare.ts";
import { reloadTls } from "./reload.ts";
import type { Server } from "./server.ts";
import { httpUrl, isEveryInterface } from "../server/listen-url.ts";

export type StartAll =
  /** main: the main listener (whether it drains); bound: where each listener ended up, for the banner. */
  | { readonly kind: "started"; readonly server: Server; readonly main: RunningServer; readonly bound: Bound }
  | { readonly kind: "failed"; readonly message: string };

/** What started so far, closed newest first when a later step fails. */
class Closables {
  private readonly stack: Array<() => Promise<void> | void> = [];
  push(close: () => Promise<void> | void): void {
    this.stack.push(close);
  }
  async unwind(): Promise<void> {
    for (let close = this.stack.pop(); close !== undefined; close = this.stack.pop()) await close();
  }
}

export async function startAll(
  deps: ServerDeps,
  config: SundialConfig,
  prepared: Prepared,
  composition: Composition,
): Promise<StartAll> {
  const started = new Closables();
  started.push(() => prepared.close());
  const fail = async (option: string, result: Failed, port: number | null): Promise<StartAll> => {
    await started.unwind();
    const where = listenFailure(
      result.code,
      config.host,
      result.port ?? port ?? 0,
      result.message,
      config.names.portHint,
    );
    return { kind: "failed", message: option === "" ? where : `${option}: ${where}` };
  };
  const main = await startServer(deps, composition.serverOptions);
  if (main.kind === "failed") return fail("", main, config.port);
  started.push(() => main.server.close());
  const admin = await startOptional(deps, composition.adminOptions);
  if (admin.kind === "failed") return fail(config.names.adminPort, admin, config.ops.adminPort);
  if (admin.server !== null) started.push(() => admin.server?.close());
  const redirectOptions = composition.redirectOptions?.(main.server.port) ?? null;
  const redirect = await startOptional(deps, redirectOptions);
  if (redirect.kind === "failed") return fail(config.names.redirectHttp, redirect, config.redirectHttpPort);
  const bound: Bound = {
    host: main.server.host,
    port: main.server.port,
    servicePorts: main.server.servicePorts,
    adminPort: admin.server?.port ?? null,
    redirectPort: redirect.server?.port ?? null,
  };
  const server = running(config, prepared, bound, main.server, admin.server, redirect.server);
  return { kind: "started", server, main: main.server, bound };
}

type Failed = { readonly kind: "failed"; readonly code: string; readonly message: string; readonly port?: number };

async function startOptional(
  deps: ServerDeps,
  options: ServerOptions | null,
): Promise<{ readonly kind: "listening"; readonly server: RunningServer | null } | Failed> {
  if (options === null) return { kind: "listening", server: null };
  const result = await startServer(deps, options);
  return result.kind === "failed" ? result : { kind: "listening", server: result.server };
}

function running(
  config: SundialConfig,
  prepared: Prepared,
  bound: Bound,
  main: RunningServer,
  admin: RunningServer | null,
  redirect: RunningServer | null,
): Server {
  const url = httpUrl(
    isEveryInterface(config.host) ? "localhost" : config.host,
    bound.port,
    prepared.tls.kind === "on" ? "https" : "http",
  );
  const server: Server = {
    url,
    port: bound.port,
    ports: {
      admin: bound.adminPort,
      redirect: bound.redirectPort,
      daytime: bound.servicePorts.get("daytime") ?? null,
      time: bound.servicePorts.get("time") ?? null,
    },
    ready: () => Promise.resolve(server),
    close: async () => {
      // The admin listener stays while the main one drains, so that /readyz can say 503 meanwhile.
      await redirect?.close();
      await main.close();
      await admin?.close();
      prepared.close();
    },
    reloadTls: () => reloadTls(prepared.tls, main, config.names),
    reloadAuth: () =>
      prepared.auth?.reload() ??
        Promise.resolve({ kind: "unchanged", message: `nothing to reload (no ${config.names.authFile})` }),
    reopenLog: () => {
      const failure = prepared.ops.reopenLog();
      return failure === null ? { kind: "reopened" } : { kind: "failed", message: failure };
    },
  };
  return server;
}
