import type { UncaughtKind } from "../ports/uncaught.ts";
import { familyHead, labelSet, sample, single } from "./exposition.ts";
import { DurationHistogram } from "./histogram.ts";

/**
 * The server's metrics, kept as plain numbers and written out in the Prometheus text format
 * 0.0.4 on each scrape. Names follow prometheus.io/docs/practices/naming: base units (seconds,
 * bytes), _total on counters, an application prefix (sundial_) where no shared name exists.
 */

/** What the adapter reads of its process at scrape time; null where the runtime cannot tell. */
export interface ProcessFacts {
  readonly residentBytes: number | null;
  readonly heapUsedBytes: number | null;
  /** Seconds since the Unix epoch, as process_start_time_seconds. */
  readonly startTimeSeconds: number;
}

/**
 * The methods that get a label of their own (RFC 9110 §9.3 and RFC 5789's PATCH); any other is
 * "other", so a client cannot grow the series without bound ("Labels": cardinality). Methods
 * are case-sensitive (RFC 9110 §9.1): "get" is another method.
 */
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;
const METHOD_LABELS: readonly string[] = [...METHODS, "other"];
const METHOD_INDEX: ReadonlyMap<string, number> = new Map(METHODS.map((m, i) => [m, i]));
const OTHER_METHOD = METHODS.length;

/**
 * The HTTP version a request came in, as OpenTelemetry's network.protocol.version writes it:
 * "1.0" and "1.1" (RFC 9112), "2" (RFC 9113). A request refused before its request line was read
 * is counted as "1.1" (only HTTP/1.x has such refusals).
 */
export type HttpProtocol = "1.0" | "1.1" | "2";
const PROTOCOLS: readonly HttpProtocol[] = ["1.0", "1.1", "2"];
const PROTOCOL_INDEX: ReadonlyMap<string, number> = new Map(PROTOCOLS.map((p, i) => [p, i]));

/** A status outside RFC 9110 §15's three digits is counted under code="other". */
const OTHER_CODE = 0;
const codeOf = (
  status: number,
): number => (Number.isInteger(status) && status >= 100 && status <= 999 ? status : OTHER_CODE);

/** A count to add: finite and positive, else nothing. */
const amount = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

export class ServerMetrics {
  /**
   * Requests per protocol and method (by index) and status code. Lookups of a number, no key
   * string: request() allocates nothing once a protocol, method and code have been seen.
   */
  private readonly requests: Map<number, number>[][] = PROTOCOLS.map(() =>
    METHOD_LABELS.map(() => new Map<number, number>())
  );
  private readonly durations = new DurationHistogram();
  private bodyBytes = 0;
  private connections = 0;
  /** Connections that speak HTTP/2 now (after the client preface). */
  private http2Connections = 0;
  private streams = 0;
  /** WebSockets open now, and messages and their payload bytes by direction (in: received). */
  private websockets = 0;
  private readonly wsMessages = { in: 0, out: 0 };
  private readonly wsBytes = { in: 0, out: 0 };
  private cacheHits = 0;
  private cacheMisses = 0;
  /** Errors of the app nothing caught (src/ops/app-errors.ts), by kind. */
  private readonly appErrors: Record<UncaughtKind, number> = { unhandled_rejection: 0, uncaught_exception: 0 };

  /** One response done: its method, status, time taken (ms), body bytes sent, and the HTTP version it came in. */
  request(method: string, status: number, durationMs: number, bodyBytes: number, protocol: HttpProtocol = "1.1"): void {
    const byMethod = this.requests[PROTOCOL_INDEX.get(protocol) ?? 1]!;
    const codes = byMethod[METHOD_INDEX.get(method) ?? OTHER_METHOD]!;
    const code = codeOf(status);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    this.durations.observe(durationMs);
    this.bodyBytes += amount(bodyBytes);
  }

  connectionOpened(): void {
    this.connections++;
  }

  connectionClosed(): void {
    this.connections--;
  }

  /** A connection began speaking HTTP/2 (true), or one that did closed. */
  http2Connection(open: boolean): void {
    this.http2Connections += open ? 1 : -1;
  }

  /** An event stream (a response that stays open, as text/event-stream) began. */
  streamOpened(): void {
    this.streams++;
  }

  streamClosed(): void {
    this.streams--;
  }

  /** A WebSocket opened (true) or closed. */
  websocketOpen(open: boolean): void {
    this.websockets += open ? 1 : -1;
  }

  /** A WebSocket message received ("in") or sent, with its payload's bytes. */
  websocketMessage(direction: "in" | "out", bytes: number): void {
    this.wsMessages[direction]++;
    this.wsBytes[direction] += amount(bytes);
  }

  cacheHit(): void {
    this.cacheHits++;
  }

  cacheMiss(): void {
    this.cacheMisses++;
  }

  /** An unhandled rejection or uncaught exception of the app (the server went on). */
  appError(kind: UncaughtKind): void {
    this.appErrors[kind]++;
  }

  /** The exposition text, every family with its HELP and TYPE, ending in "\n". */
  render(facts: ProcessFacts): string {
    return this.renderRequests() +
      this.durations.render(
        "http_request_duration_seconds",
        "Time from a request's head to its response's last byte, in seconds.",
      ) +
      single("http_response_body_bytes_total", "counter", "Response body bytes sent.", this.bodyBytes) +
      single("http_connections_open", "gauge", "TCP connections open now.", this.connections) +
      single(
        "sundial_http2_connections_open",
        "gauge",
        "Connections speaking HTTP/2 now (a part of http_connections_open).",
        this.http2Connections,
      ) +
      single("http_event_streams_open", "gauge", "Event streams (responses left open) running now.", this.streams) +
      single("sundial_file_cache_hits_total", "counter", "File lookups answered from the file cache.", this.cacheHits) +
      single(
        "sundial_file_cache_misses_total",
        "counter",
        "File lookups that went to the file system.",
        this.cacheMisses,
      ) +
      single("sundial_websockets_open", "gauge", "WebSocket connections open now.", this.websockets) +
      this.renderByDirection(
        "sundial_websocket_messages_total",
        "WebSocket messages, by direction (in: received).",
        this.wsMessages,
      ) +
      this.renderByDirection(
        "sundial_websocket_message_bytes_total",
        "Payload bytes of WebSocket messages, by direction (in: received).",
        this.wsBytes,
      ) +
      this.renderAppErrors() +
      renderProcess(facts);
  }

  /** A counter by direction, both always, from 0. */
  private renderByDirection(name: string, help: string, counts: { readonly in: number; readonly out: number }): string {
    let text = familyHead(name, "counter", help);
    for (const direction of ["in", "out"] as const) {
      text += sample(name, labelSet([["direction", direction]]), counts[direction]);
    }
    return text;
  }

  /** sundial_app_errors_total{kind}: both kinds always, from 0. */
  private renderAppErrors(): string {
    const name = "sundial_app_errors_total";
    let text = familyHead(
      name,
      "counter",
      "Errors of the app nothing caught (unhandled promise rejections, uncaught exceptions); the server went on.",
    );
    for (const kind of ["unhandled_rejection", "uncaught_exception"] as const) {
      text += sample(name, labelSet([["kind", kind]]), this.appErrors[kind]);
    }
    return text;
  }

  /** http_requests_total{method,code,protocol}, series in a fixed order: by protocol, METHODS' order, then by code. */
  private renderRequests(): string {
    const name = "http_requests_total";
    let text = familyHead(name, "counter", "HTTP requests answered, by method, status code and HTTP version.");
    for (let p = 0; p < PROTOCOLS.length; p++) {
      for (let m = 0; m < METHOD_LABELS.length; m++) {
        const codes = [...this.requests[p]![m]!.entries()].sort((a, b) => a[0] - b[0]);
        for (const [code, count] of codes) {
          const labels = labelSet([
            ["method", METHOD_LABELS[m]!],
            ["code", code === OTHER_CODE ? "other" : String(code)],
            ["protocol", PROTOCOLS[p]!],
          ]);
          text += sample(name, labels, count);
        }
      }
    }
    return text;
  }
}

/**
 * The standard process metrics of the client libraries (prometheus.io/docs/instrumenting/
 * writing_clientlibs, "Process metrics"), where the adapter knows them. The JavaScript heap in
 * use is not the standard process_heap_bytes (the process's whole heap, as VmData) and not
 * prom-client's nodejs_heap_size_used_bytes (Node only, where it also runs on Deno and Bun):
 * it is process_heap_used_bytes.
 */
function renderProcess(facts: ProcessFacts): string {
  let text = "";
  if (facts.residentBytes !== null) {
    text += single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", facts.residentBytes);
  }
  if (facts.heapUsedBytes !== null) {
    text += single("process_heap_used_bytes", "gauge", "JavaScript heap in use, in bytes.", facts.heapUsedBytes);
  }
  return text +
    single(
      "process_start_time_seconds",
      "gauge",
      "Start time of the process since the Unix epoch in seconds.",
      facts.startTimeSeconds,
    );
}
