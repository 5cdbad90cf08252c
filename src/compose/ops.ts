/** The production surface, composed: access log, metrics, health, the admin listener. */
import type { App } from "../app.ts";
import type { HttpLimits } from "../http/limits.ts";
import { ServerMetrics } from "../metrics/registry.ts";
import { type AccessLog, openAccessLog } from "../ops/access-log-sink.ts";
import { isOpsRequest, opsApp, type OpsEndpoints } from "../ops/ops-app.ts";
import { metricsObserver, observers } from "../ops/observers.ts";
import type { Exchange, ServerObserver } from "../connection/observer.ts";
import type { ServerDeps, ServerOptions } from "../server/server.ts";
import { SERVER_HEADER } from "../version.ts";
import type { AccessLogDeps } from "../ops/access-log-sink.ts";
import type { MemoryFacts } from "../ops/ops-app.ts";
import type { OpsOptions } from "./config.ts";
import type { UncaughtKind } from "../ports/uncaught.ts";

/** Connections the admin listener serves at once: probes and scrapes, not traffic. */
const ADMIN_CONNECTIONS = 64;

export interface Ops {
  readonly kind: "ok";
  /** The site with /healthz, /readyz and /metrics in front (unless they have a listener of their own). */
  wrap(app: App): App;
  readonly observer: ServerObserver | undefined;
  readonly onCacheLookUp: ((hit: boolean) => void) | undefined;
  /** Counts an error of the app nothing caught, for /metrics (nothing without metrics). */
  readonly onAppError: ((kind: UncaughtKind) => void) | undefined;
  /** The --admin-port listener's options (null without it). */
  adminOptions(host: string, limits: HttpLimits): ServerOptions | null;
  /** SIGUSR1: the access log file reopened (after logrotate moved it); a message when it failed. */
  reopenLog(): string | null;
  /** Writes the access log's last lines and closes its file. */
  close(): void;
}

/** What the production surface needs of the program's deps. */
export interface OpsDeps extends ServerDeps, AccessLogDeps {
  readonly memory: () => MemoryFacts;
}

export function startOps(
  deps: OpsDeps,
  options: OpsOptions,
  draining: () => boolean,
): Ops | { readonly kind: "failed"; readonly message: string } {
  const admin = options.adminPort !== null;
  const metrics = options.metrics || admin ? new ServerMetrics() : null;
  const endpoints: OpsEndpoints = {
    health: options.health || admin,
    metrics,
    draining,
    memory: deps.memory,
    startTimeSeconds: Math.floor(deps.clock.now() / 1000),
  };
  let log: AccessLog | null = null;
  if (options.logFormat !== null) {
    // Probes and scrapes on the main port are not logged (a liveness probe every few seconds would drown the log).
    const onMainPort = !admin && (endpoints.health || metrics !== null);
    const skip = onMainPort ? (exchange: Exchange) => isOpsRequest(endpoints, exchange.head) : undefined;
    const opened = openAccessLog(deps, options.logFormat, options.logFile, skip);
    if (opened.kind === "failed") return opened;
    log = opened.log;
  }
  return {
    kind: "ok",
    wrap: (app) => (admin || (!endpoints.health && metrics === null) ? app : opsApp(endpoints, app)),
    observer: observers(log?.observer ?? null, metrics === null ? null : metricsObserver(metrics)),
    onCacheLookUp: metrics === null ? undefined : (hit) => (hit ? metrics.cacheHit() : metrics.cacheMiss()),
    onAppError: metrics === null ? undefined : (kind) => metrics.appError(kind),
    adminOptions: (host, limits) =>
      options.adminPort === null ? null : {
        app: opsApp(endpoints, null),
        serverHeader: SERVER_HEADER,
        limits,
        maxConnections: ADMIN_CONNECTIONS,
        maxConnectionsPerIp: 0,
        capLoopback: false,
        host,
        port: options.adminPort,
        services: [],
      },
    reopenLog: () => log?.reopen() ?? null,
    close: () => log?.close(),
  };
}
