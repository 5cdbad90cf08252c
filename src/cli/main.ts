import { parseCli, type ServeCommand, USAGE } from "./arguments.ts";
import { forWorker } from "./worker-command.ts";
import type { App } from "../app.ts";
import { fetchApp, type FetchHandler } from "../fetch/fetch-app.ts";
import { site, type SiteDeps, siteRoot } from "../site/site.ts";
import { httpUrl, isEveryInterface } from "../server/listen-url.ts";
import type { Clock } from "../ports/clock.ts";
import {
  type RawService,
  type RunningServer,
  type ServerDeps,
  type StartResult,
  startServer,
} from "../server/server.ts";
import { redirectApp } from "../tls/redirect-app.ts";
import { prepareTls, selfSignedHosts } from "./tls.ts";
import { answerTimeService } from "../time/services.ts";
import { SERVER_HEADER, VERSION } from "../version.ts";
import type { LogFileOpen } from "../ports/log-file.ts";
import type { Uncaught } from "../ports/uncaught.ts";
import { catchAppErrors } from "../ops/app-errors.ts";
import { type MemoryFacts } from "../ops/ops-app.ts";
import { startOps } from "./ops.ts";

/** The server's ports and the site's (file system, compressor): main composes the two. */
export interface MainDeps extends ServerDeps, SiteDeps {
  /** The runtime and its version, e.g. "node 20.20.2". */
  readonly runtime: string;
  /** This machine's network interfaces, for the "Network:" lines (empty when the runtime may not list them). */
  readonly networkInterfaces: () => ReadonlyArray<NetworkInterface>;
  /** Loads a module from disk (--app), the runtime's import() of the path; rejects as import() does. */
  readonly importModule: (path: string) => Promise<unknown>;
  /** Opens a file to append the access log to (--log). */
  readonly openLog: (path: string, onError: (message: string) => void) => LogFileOpen;
  /** The process's memory, for /metrics. */
  readonly memory: () => MemoryFacts;
  /** The process's errors nothing caught: with --app, they are logged and counted instead of ending it. */
  readonly uncaught: Uncaught;
}

type ModuleLoad =
  | { readonly kind: "loaded"; readonly module: unknown }
  /** code: the runtime's error code (e.g. ERR_MODULE_NOT_FOUND), "" when it gave none. */
  | { readonly kind: "failed"; readonly code: string; readonly message: string };

/** The module, or why it could not be loaded (the boundary where import()'s rejection becomes a value). */
function importApp(deps: MainDeps, path: string): Promise<ModuleLoad> {
  return deps.importModule(path).then(
    (module): ModuleLoad => ({ kind: "loaded", module }),
    (error: { code?: unknown; message?: unknown } | null): ModuleLoad => ({
      kind: "failed",
      code: typeof error?.code === "string" ? error.code : "",
      message: typeof error?.message === "string" ? error.message : String(error),
    }),
  );
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

/** An interface address as node:os and Deno's networkInterfaces() both describe it. */
export interface NetworkInterface {
  readonly family: string;
  readonly address: string;
  /** Loopback; Deno does not say, so an address in 127.0.0.0/8 counts as internal there. */
  readonly internal?: boolean;
}

/** A server the command line started, with what its signals do. */
export interface Serving extends RunningServer {
  /** SIGUSR1: the access log file is reopened (after logrotate moved it); a message when it failed. */
  reopenLog(): string | null;
  /** SIGHUP: the TLS certificate and key are read again and used for new handshakes; what happened, as a line. */
  reloadTls(): Promise<string>;
}

/** What the adapter does next: exit with a code, or keep running until a signal. */
export type MainResult = { readonly kind: "exit"; readonly code: number } | {
  readonly kind: "serving";
  readonly server: Serving;
};

/** The whole program, shared by every adapter: parse the command line, start, print where. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: MainDeps,
): Promise<MainResult> {
  const { output } = deps;
  // A worker of --workers leaves the RFC 867/868 services to its supervisor.
  const command = forWorker(parseCli(argv, env), env);
  switch (command.kind) {
    case "help":
      output.out(USAGE);
      return { kind: "exit", code: 0 };
    case "version":
      output.out(`sundial ${VERSION} (${deps.runtime})`);
      return { kind: "exit", code: 0 };
    case "error":
      output.err(`sundial: ${command.message}`);
      output.err(USAGE);
      return { kind: "exit", code: 2 };
  }
  // With --app and no DIR, no files: the app's own folder (its source, its data) is not a site.
  const folder = command.app !== null && !command.dirGiven
    ? { kind: "none" as const }
    : await siteRoot(deps.fs, command.dir);
  if (folder.kind === "failed") {
    output.err(`sundial: ${folder.message}`);
    return { kind: "exit", code: 1 };
  }
  const root = folder.kind === "folder" ? folder.root : null;
  // README, Path safety: the check of opened files is sound only where descriptors can be named.
  if (root !== null && !deps.fs.namesOpenFiles) {
    output.err(
      "sundial: warning: this runtime cannot name open files (Deno: /proc/self/fd needs --allow-all; macOS, Windows: no /proc), so whoever can rename entries inside the folder could race the symlink check",
    );
  }
  const addresses = (): string[] => networkAddresses(deps.networkInterfaces());
  const tls = await prepareTls(deps, command.tls, () => selfSignedHosts(command.host, addresses()));
  if (tls.kind === "failed") {
    output.err(`sundial: ${tls.message}`);
    return { kind: "exit", code: 1 };
  }
  const scheme = tls.kind === "on" ? "https" : "http";
  let app: App | undefined;
  if (command.app !== null) {
    const loaded = await loadApp(deps, command.app, command.port, scheme);
    if (loaded.kind === "failed") {
      output.err(`sundial: --app ${command.app}: ${loaded.message}`);
      return { kind: "exit", code: 1 };
    }
    app = loaded.app;
  }
  const ops = startOps(deps, command.ops, () => started?.kind === "listening" && started.server.draining);
  if (ops.kind === "failed") {
    output.err(`sundial: ${ops.message}`);
    return { kind: "exit", code: 1 };
  }
  // README, "Errors the app leaves uncaught": logged, counted, and the server goes on.
  const appErrors = app === undefined ? null : catchAppErrors(deps, ops.onAppError);
  if (app !== undefined && appErrors !== null) app = appErrors.tag(app);
  const siteApp = site(deps, root, { ...command.site, basePath: command.ops.basePath }, app, ops.onCacheLookUp);
  let started: Awaited<ReturnType<typeof startServer>> | null = null;
  started = await startServer(deps, {
    app: ops.wrap(siteApp),
    serverHeader: SERVER_HEADER,
    headers: command.ops.headers,
    services: timeServices(command.daytimePort, command.timePort, deps.clock),
    limits: command.limits,
    maxConnections: command.maxConnections,
    maxConnectionsPerIp: command.maxConnectionsPerIp,
    capLoopback: command.capLoopback,
    host: command.host,
    port: command.port,
    observer: ops.observer,
    trustProxy: command.ops.trustProxy,
    proxyProtocol: command.ops.proxyProtocol,
    shutdownTimeoutMs: command.ops.shutdownTimeoutMs,
    ...(tls.kind === "on" ? { tls: tls.listen } : {}),
  });
  if (started.kind === "failed") {
    appErrors?.stop();
    ops.close();
    output.err(`sundial: ${listenFailure(started.code, command.host, started.port ?? command.port, started.message)}`);
    return { kind: "exit", code: 1 };
  }
  const admin = await ops.startAdmin(command.host, command.limits);
  if (admin.kind === "failed") {
    await started.server.close();
    appErrors?.stop();
    ops.close();
    output.err(
      `sundial: --admin-port: ${
        listenFailure(admin.code, command.host, admin.port ?? command.ops.adminPort ?? 0, admin.message)
      }`,
    );
    return { kind: "exit", code: 1 };
  }
  const main = started.server;
  const adminServer = admin.server;
  const redirect = tls.kind === "on" ? await startRedirect(deps, command, main.port) : null;
  if (redirect?.kind === "failed") {
    await main.close();
    await adminServer?.close();
    appErrors?.stop();
    ops.close();
    output.err(
      `sundial: --redirect-http: ${
        listenFailure(redirect.code, command.host, redirect.port ?? command.tls.redirectHttpPort ?? 0, redirect.message)
      }`,
    );
    return { kind: "exit", code: 1 };
  }
  const redirectServer = redirect?.kind === "listening" ? redirect.server : null;
  const server: Serving = {
    port: main.port,
    host: main.host,
    servicePorts: main.servicePorts,
    get draining() {
      return main.draining;
    },
    setTls: (credentials) => main.setTls(credentials),
    reloadTls: async () => {
      if (tls.kind !== "on") return "nothing to reload (no --tls-cert)";
      if (tls.reread === null) return "nothing to reload (the certificate is self-signed, made at start)";
      const read = await tls.reread();
      if (read.kind === "failed") return `${read.message}; still using the certificate loaded before`;
      const changed = await main.setTls(read.credentials);
      return changed.kind === "changed"
        ? `reloaded ${command.tls.certFile}`
        : `${changed.message}; still using the certificate loaded before`;
    },
    close: async () => {
      // The admin listener stays while the main one drains, so that /readyz can say 503 meanwhile.
      await redirectServer?.close();
      await main.close();
      await adminServer?.close();
      appErrors?.stop();
      ops.close();
    },
    reopenLog: ops.reopenLog,
  };
  // The banner goes to stderr, with the errors: stdout is the access log alone (as nginx's and Caddy's logs).
  output.err(`sundial ${VERSION} (${deps.runtime})`);
  output.err(root === null ? "Serving no files (--app without a folder): /time and the app" : `Serving ${root}`);
  if (command.app !== null) output.err(`  App:     ${command.app} (for what /time and the files do not answer)`);
  for (const line of urlLines(command.host, server.port, addresses, scheme)) output.err(line);
  if (tls.kind === "on") { for (const line of tls.banner) output.err(line); }
  if (redirectServer !== null) {
    output.err(
      `  Redirect: ${httpUrl(command.host === "" ? "localhost" : command.host, redirectServer.port)} -> https (308)`,
    );
  }
  const bound = command.host === "" ? server.host : command.host;
  const where = bound.includes(":") ? `[${bound}]` : bound;
  const daytime = server.servicePorts.get("daytime");
  const time = server.servicePorts.get("time");
  if (daytime !== undefined) output.err(`  Daytime: tcp://${where}:${daytime} (RFC 867)`);
  if (time !== undefined) output.err(`  Time:    tcp://${where}:${time} (RFC 868)`);
  if (adminServer !== null) output.err(`  Admin:   ${httpUrl(bound, adminServer.port)}healthz, readyz, metrics`);
  return { kind: "serving", server };
}

/**
 * The app of --app: the module's default export, an object with a fetch method (the convention of
 * Bun, Deno and Workers, which a Hono app satisfies) or a function (request, info) => Response.
 */
async function loadApp(
  deps: MainDeps,
  path: string,
  port: number,
  scheme: "http" | "https",
): Promise<{ kind: "app"; app: App } | { kind: "failed"; message: string }> {
  const loaded = await importApp(deps, path);
  if (loaded.kind === "failed") return { kind: "failed", message: loadFailure(loaded, deps.runtime) };
  const exported = (loaded.module as { default?: unknown } | null)?.default;
  let handler: FetchHandler | null = null;
  if (typeof exported === "function") handler = exported as FetchHandler;
  else if (
    typeof exported === "object" && exported !== null && typeof (exported as { fetch?: unknown }).fetch === "function"
  ) {
    const target = exported as { fetch: FetchHandler };
    handler = (request, info) => target.fetch(request, info);
  }
  if (handler === null) {
    return {
      kind: "failed",
      message: "its default export must be { fetch(request) } or a function (request) => Response",
    };
  }
  return { kind: "app", app: fetchApp(handler, { fallbackHost: `localhost:${port}`, scheme }) };
}

function listenFailure(code: string, host: string, port: number, message: string): string {
  const where = `${host === "" ? "" : `${host}:`}${port}`;
  if (code === "EADDRINUSE") {
    return `port ${port} is already in use (choose another with --port, or --port 0 for any free port)`;
  }
  if (code === "EACCES") return `no permission to listen on ${where} (ports below 1024 need privileges)`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return `cannot listen on ${where}: address not available on this machine`;
  }
  return `cannot listen on ${where}: ${message}`;
}

/** "Local:" and "Network:" lines, like vite, serve and miniserve print. */
export function urlLines(
  host: string,
  port: number,
  networkAddresses: () => string[],
  scheme: "http" | "https" = "http",
): string[] {
  if (!isEveryInterface(host)) return [`  Local:   ${httpUrl(host, port, scheme)}`];
  const lines = [`  Local:   ${httpUrl("localhost", port, scheme)}`];
  for (const address of networkAddresses()) lines.push(`  Network: ${httpUrl(address, port, scheme)}`);
  return lines;
}

/** The addresses worth printing: IPv4, not loopback. */
function networkAddresses(interfaces: ReadonlyArray<NetworkInterface>): string[] {
  return interfaces.filter((i) => i.family === "IPv4" && !(i.internal ?? i.address.startsWith("127."))).map((i) =>
    i.address
  );
}

/** --redirect-http: a plain listener whose every answer is a 308 to the HTTPS port. */
function startRedirect(deps: MainDeps, command: ServeCommand, httpsPort: number): Promise<StartResult> | null {
  const port = command.tls.redirectHttpPort;
  if (port === null) return null;
  return startServer(deps, {
    app: redirectApp(httpsPort, command.host === "" || isEveryInterface(command.host) ? "localhost" : command.host),
    serverHeader: SERVER_HEADER,
    headers: command.ops.headers,
    services: [],
    limits: command.limits,
    maxConnections: command.maxConnections,
    maxConnectionsPerIp: command.maxConnectionsPerIp,
    capLoopback: command.capLoopback,
    host: command.host,
    port,
    shutdownTimeoutMs: command.ops.shutdownTimeoutMs,
  });
}

/** RFC 867 Daytime and RFC 868 Time on raw TCP, for the ports asked for. */
function timeServices(daytimePort: number | null, timePort: number | null, clock: Clock): RawService[] {
  const services: RawService[] = [];
  if (daytimePort !== null) {
    services.push({
      name: "daytime",
      port: daytimePort,
      answer: (socket) => answerTimeService("daytime", socket, clock),
    });
  }
  if (timePort !== null) {
    services.push({
      name: "time",
      port: timePort,
      answer: (socket) => answerTimeService("time", socket, clock),
    });
  }
  return services;
}
