import type { LogBatcher } from "../access-log/batcher.ts";
import { accessLine, type LogFormat, websocketCloseLine } from "../access-log/format.ts";
import { clfLineBound, writeClfLine } from "../access-log/line-bytes.ts";
import type { AccessRecord } from "../access-log/record.ts";
import type { LogTime } from "../access-log/log-time.ts";
import type { Exchange, ServerObserver } from "../connection/observer.ts";
import type { HttpProtocol, ServerMetrics } from "../metrics/registry.ts";
import type { RequestHead } from "../http/parser/request-head.ts";

export interface AccessLogOptions {
  readonly format: LogFormat;
  readonly batcher: LogBatcher;
  readonly time: LogTime;
  readonly requestId: () => string;
  /** Exchanges not logged (the health checks and metrics scrapes, as nginx users exclude them). */
  readonly skip?: (exchange: Exchange) => boolean;
}

/** One access-log line per exchange (src/access-log/), handed to the batcher: the formatting is the only cost on the request's path. */
export function accessLogObserver(options: AccessLogOptions): ServerObserver {
  const { format, batcher, time, requestId, skip } = options;
  // Only json lines carry the id: the others need not make one per request.
  const idOf = format === "json" ? requestId : () => "";
  const clf = format !== "json";
  const combined = format === "combined";
  return {
    exchange: (exchange) => {
      if (skip?.(exchange) === true) return;
      const record = accessRecord(exchange, idOf());
      // common and combined straight into the batch's bytes; json (and a line too long for a batch) as a string.
      const out = clf ? batcher.begin(clfLineBound(record)) : null;
      if (out === null) return batcher.add(accessLine(format, record, time));
      writeClfLine(out, record, time, combined);
      batcher.commit();
    },
    // A WebSocket's close is a line of its own in json only: common and combined keep exactly
    // one line per request, and their fields have no place for a duration (format.ts).
    websocket: format !== "json" ? undefined : (event) => {
      if (event.kind !== "closed" || skip?.(event.exchange) === true) return;
      batcher.add(websocketCloseLine(accessRecord(event.exchange, idOf()), event, time));
    },
  };
}

/** What the access log knows of an exchange. */
function accessRecord(exchange: Exchange, requestId: string): AccessRecord {
  const head = exchange.head;
  return {
    client: exchange.client.address,
    startedMs: exchange.startedMs,
    // A request refused before its head: Apache's "-" for the request line.
    method: head?.method ?? "",
    target: head?.target ?? "",
    version: head?.version ?? "1.1",
    status: exchange.status,
    bodyBytes: exchange.bodyBytes,
    referer: head === null ? null : head.fields.referer ?? null,
    userAgent: head === null ? null : head.fields["user-agent"] ?? null,
    durationMs: exchange.endedMs - exchange.startedMs,
    requestId,
    connectionRequests: exchange.connectionRequests,
    host: head?.host ?? null,
    scheme: exchange.scheme,
  };
}

/** The Prometheus metrics (src/metrics/) from the server's events. */
export function metricsObserver(metrics: ServerMetrics): ServerObserver {
  return {
    exchange: (e) =>
      metrics.request(e.head?.method ?? "other", e.status, e.endedMs - e.startedMs, e.bodyBytes, protocolOf(e.head)),
    connection: (open) => (open ? metrics.connectionOpened() : metrics.connectionClosed()),
    http2Connection: (open) => metrics.http2Connection(open),
    stream: (open) => (open ? metrics.streamOpened() : metrics.streamClosed()),
    websocket: (event) => {
      if (event.kind === "message") metrics.websocketMessage(event.direction, event.bytes);
      else metrics.websocketOpen(event.kind === "opened");
    },
  };
}

/** The protocol label of an exchange: its head's HTTP version ("2.0" is "2"); a request refused before its head was HTTP/1.x. */
function protocolOf(head: RequestHead | null): HttpProtocol {
  if (head === null) return "1.1";
  return head.version === "2.0" ? "2" : head.version;
}

/** Several observers as one (none: undefined, so that the server measures nothing). */
export function observers(...list: ReadonlyArray<ServerObserver | null>): ServerObserver | undefined {
  const present = list.filter((o): o is ServerObserver => o !== null);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const exchanges = present.flatMap((o) => (o.exchange === undefined ? [] : [o.exchange.bind(o)]));
  const connections = present.flatMap((o) => (o.connection === undefined ? [] : [o.connection.bind(o)]));
  const http2 = present.flatMap((o) => (o.http2Connection === undefined ? [] : [o.http2Connection.bind(o)]));
  const streams = present.flatMap((o) => (o.stream === undefined ? [] : [o.stream.bind(o)]));
  const websockets = present.flatMap((o) => (o.websocket === undefined ? [] : [o.websocket.bind(o)]));
  return {
    exchange: (e) => {
      for (const fn of exchanges) fn(e);
    },
    connection: (open) => {
      for (const fn of connections) fn(open);
    },
    http2Connection: (open) => {
      for (const fn of http2) fn(open);
    },
    stream: (open) => {
      for (const fn of streams) fn(open);
    },
    websocket: (event) => {
      for (const fn of websockets) fn(event);
    },
  };
}
