/**
 * The composer: one sundial from its config and what was prepared for it, the same for the
 * command line and serve(). Pure: it builds the app and the listeners' options, and says what the
 * banner will say; starting them is start-all.ts's.
 */
import type { App } from "../app.ts";
import { authApp } from "../auth/auth-app.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import type { ServerOptions } from "../server/server.ts";
import { rateLimited } from "../server/error-log.ts";
import { isEveryInterface } from "../server/listen-url.ts";
import { site, type SiteDeps } from "../site/site.ts";
import { DEFAULT_SITE } from "../static/options.ts";
import { redirectApp } from "../tls/redirect-app.ts";
import { SERVER_HEADER, VERSION } from "../version.ts";
import { type BannerFacts, bannerLines } from "./banner.ts";
import type { SundialConfig } from "./config.ts";
import type { Prepared } from "./prepare.ts";
import { timeServices } from "./time-services.ts";
import { pathGuard } from "./auth-paths.ts";

/** Where each listener ended up, once started. */
export interface Bound {
  readonly host: string;
  readonly port: number;
  readonly servicePorts: ReadonlyMap<string, number>;
  readonly adminPort: number | null;
  readonly redirectPort: number | null;
}

export interface Composition {
  /** What the main listener serves. */
  readonly app: App;
  readonly serverOptions: ServerOptions;
  /** The --admin-port listener's; null: none. */
  readonly adminOptions: ServerOptions | null;
  /** The --redirect-http listener's, once the HTTPS port is known; null: none. */
  readonly redirectOptions: ((httpsPort: number) => ServerOptions) | null;
  /** The banner, once the listeners are bound. */
  banner(bound: Bound): string[];
}

/** What composing needs of the runtime: the site's deps, its name for the banner, stderr for auth failures. */
export interface CompositionDeps extends SiteDeps {
  readonly runtime: string;
  readonly output: ConsoleOutput;
}

export function compose(deps: CompositionDeps, config: SundialConfig, prepared: Prepared): Composition {
  // Health probes and scrapes stay outside authentication: a load balancer has no password.
  const app = prepared.ops.wrap(guarded(deps, config, prepared, mainApp(deps, config, prepared)));
  const common = {
    serverHeader: SERVER_HEADER,
    headers: config.ops.headers,
    limits: config.limits,
    maxConnections: config.maxConnections,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    capLoopback: config.capLoopback,
    host: config.host,
    shutdownTimeoutMs: config.ops.shutdownTimeoutMs,
  };
  const serverOptions: ServerOptions = {
    ...common,
    limits: uploadLimits(config),
    app,
    port: config.port,
    services: timeServices(config.daytimePort, config.timePort, deps.clock),
    observer: prepared.ops.observer,
    trustProxy: config.ops.trustProxy,
    proxyProtocol: config.ops.proxyProtocol,
    ...(prepared.tls.kind === "on" ? { tls: prepared.tls.listen } : {}),
    ...(config.http2 === undefined ? {} : { http2: config.http2 }),
  };
  const redirectPort = prepared.tls.kind === "on" ? config.redirectHttpPort : null;
  const redirectHost = isEveryInterface(config.host) ? "localhost" : config.host;
  return {
    app,
    serverOptions,
    adminOptions: prepared.ops.adminOptions(config.host, config.limits),
    redirectOptions: redirectPort === null
      ? null
      : (httpsPort) => ({ ...common, app: redirectApp(httpsPort, redirectHost), port: redirectPort, services: [] }),
    banner: (bound) => bannerLines(bannerFacts(config, prepared, deps.runtime, bound)),
  };
}

/** The site (files and /time) with the app behind it, or the app alone. */
function mainApp(deps: CompositionDeps, config: SundialConfig, prepared: Prepared): App {
  const app = prepared.app ?? undefined;
  if (config.site === null && app !== undefined) return app;
  const options = {
    ...(config.site?.options ?? DEFAULT_SITE),
    basePath: config.ops.basePath,
    guardedPaths: config.auth?.paths ?? [],
  };
  const warn = rateLimited(deps.output.err, deps.clock);
  return site({ ...deps, warn }, prepared.root, options, app, prepared.ops.onCacheLookUp);
}

/** The app behind HTTP Basic when --auth is on (docs/authentication.md). */
function guarded(deps: CompositionDeps, config: SundialConfig, prepared: Prepared, app: App): App {
  const auth = prepared.auth;
  if (auth === null) return app;
  const paths = auth.config.paths;
  const guardsPath = paths.length === 0 ? undefined : pathGuard(paths, config.ops.basePath);
  return authApp(app, { users: auth.users, scope: auth.config.scope, realm: "sundial", guardsPath }, {
    clock: deps.clock,
    log: rateLimited(deps.output.err, deps.clock),
  });
}

function bannerFacts(config: SundialConfig, prepared: Prepared, runtime: string, bound: Bound): BannerFacts {
  return {
    runtime,
    version: VERSION,
    root: prepared.root,
    appModule: config.app?.kind === "module" ? config.app.path : null,
    host: config.host,
    boundHost: bound.host,
    port: bound.port,
    scheme: prepared.tls.kind === "on" ? "https" : "http",
    tlsLines: prepared.tls.kind === "on" ? prepared.tls.banner : [],
    redirectPort: bound.redirectPort,
    daytimePort: bound.servicePorts.get("daytime") ?? null,
    timePort: bound.servicePorts.get("time") ?? null,
    adminPort: bound.adminPort,
    networkAddresses: prepared.addresses,
    auth: prepared.auth === null
      ? null
      : { users: prepared.auth.users().size, scope: prepared.auth.config.scope, paths: prepared.auth.config.paths },
  };
}

/**
 * --max-upload above --max-body raises the main listener's body limit to it: the parser refuses
 * a body past --max-body before the site sees it, so without this no PUT could be larger.
 */
function uploadLimits(config: SundialConfig): SundialConfig["limits"] {
  const site = config.site?.options;
  const max = site?.upload === true ? site.maxUpload : undefined;
  if (max === undefined || max <= config.limits.maxBodyBytes) return config.limits;
  return { ...config.limits, maxBodyBytes: max };
}
