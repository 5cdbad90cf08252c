import type { App, Handler } from "../app.ts";
import { errorResponse } from "../http/error-page.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";
import { METRICS_CONTENT_TYPE } from "../metrics/content-type.ts";
import type { ServerMetrics } from "../metrics/registry.ts";

/** What the process says of its memory (null where the runtime does not say). */
export interface MemoryFacts {
  readonly residentBytes: number | null;
  readonly heapUsedBytes: number | null;
}

export interface OpsEndpoints {
  /** GET /healthz and /readyz (--health). */
  readonly health: boolean;
  /** GET /metrics (--metrics); null: not served. */
  readonly metrics: ServerMetrics | null;
  /** True while the server drains: /readyz answers 503, so a load balancer stops sending. */
  readonly draining: () => boolean;
  readonly memory: () => MemoryFacts;
  /** When the process started, in seconds since the epoch (process_start_time_seconds). */
  readonly startTimeSeconds: number;
}

// Never cached (RFC 9111 §5.2.2.5): each probe must reach the process.
const TEXT: ReadonlyArray<readonly [string, string]> = [["Content-Type", "text/plain; charset=utf-8"], [
  "Cache-Control",
  "no-store",
]];
const ALLOW: ReadonlyArray<readonly [string, string]> = [["Allow", "GET, HEAD"]];
const encoder = new TextEncoder();
const ALIVE: HttpResponse = { status: 200, headers: TEXT, body: encoder.encode("ok\n") };
const READY: HttpResponse = { status: 200, headers: TEXT, body: encoder.encode("ready\n") };
const DRAINING: HttpResponse = { status: 503, headers: TEXT, body: encoder.encode("draining\n") };

/** The request's path, without its query. */
function pathOf(head: RequestHead): string {
  const query = head.target.indexOf("?");
  return query < 0 ? head.target : head.target.slice(0, query);
}

/** Whether a request is for one of the endpoints these serve (so the access log can leave it out). */
export function isOpsRequest(endpoints: OpsEndpoints, head: RequestHead | null): boolean {
  if (head === null) return false;
  const path = pathOf(head);
  return ((path === "/healthz" || path === "/readyz") && endpoints.health) ||
    (path === "/metrics" && endpoints.metrics !== null);
}

/**
 * /healthz (alive: the process answers), /readyz (ready: 503 while draining, as Kubernetes'
 * readiness probe and load balancers expect) and /metrics (Prometheus' text format) in front of
 * `inner`, or alone (the --admin-port listener: anything else is 404). Cheap: two of the three
 * are prepared answers.
 */
export function opsApp(endpoints: OpsEndpoints, inner: App | null): App {
  const rest: Handler = inner?.handle ?? (() => errorResponse(404));
  const handle: Handler = (head, context) => {
    if (!isOpsRequest(endpoints, head)) return rest(head, context);
    if (head.method !== "GET" && head.method !== "HEAD") return errorResponse(405, ALLOW);
    const path = pathOf(head);
    if (path === "/healthz") return ALIVE;
    if (path === "/readyz") return endpoints.draining() ? DRAINING : READY;
    const { residentBytes, heapUsedBytes } = endpoints.memory();
    const text = endpoints.metrics!.render({
      residentBytes,
      heapUsedBytes,
      startTimeSeconds: endpoints.startTimeSeconds,
    });
    return {
      status: 200,
      headers: [["Content-Type", METRICS_CONTENT_TYPE], ["Cache-Control", "no-store"]],
      body: encoder.encode(text),
    };
  };
  return { handle, headers: inner?.headers ?? [], readsBodies: inner?.readsBodies ?? false };
}
