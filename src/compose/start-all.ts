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
import { type Reload, reloadTls } from "./reload.ts";

/** A sundial, started: every listener, and what its signals do. */
export interface Started {
  readonly main: RunningServer;
  readonly bound: Bound;
  /** Drains the main listener (the admin one stays meanwhile, so /readyz says 503), then closes the rest. */
  close(): Promise<void>;
  /** The TLS certificate and key read again and used for new handshakes (SIGHUP). */
  reloadTls(): Promise<Reload>;
  /** The access log file reopened (SIGUSR1, after logrotate moved it). */
  reopenLog(): { readonly kind: "reopened" } | { readonly kind: "failed"; readonly message: string };
}

export type StartAll = { readonly kind: "started"; readonly started: Started } | {
  readonly kind: "failed";
  readonly message: string;
};

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
  return {
    kind: "started",
    started: running(config, prepared, main.server, admin.server, redirect.server),
  };
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
  main: RunningServer,
  admin: RunningServer | null,
  redirect: RunningServer | null,
): Started {
  return {
    main,
    bound: {
      host: main.host,
      port: main.port,
      servicePorts: main.servicePorts,
      adminPort: admin?.port ?? null,
      redirectPort: redirect?.port ?? null,
    },
    close: async () => {
      await redirect?.close();
      await main.close();
      await admin?.close();
      prepared.close();
    },
    reloadTls: () => reloadTls(prepared.tls, main, config.names),
    reopenLog: () => {
      const failure = prepared.ops.reopenLog();
      return failure === null ? { kind: "reopened" } : { kind: "failed", message: failure };
    },
  };
}
