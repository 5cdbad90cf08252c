import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ProcessFacts, ServerMetrics } from "../../../src/metrics/registry.ts";

/**
 * A small strict reader of the text exposition format 0.0.4, stricter than Prometheus in what
 * sundial never writes: one space between tokens, no timestamps, no trailing commas, no
 * comments but HELP and TYPE, each family opened by its HELP then its TYPE.
 */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}
interface Family {
  readonly name: string;
  readonly help: string;
  type: string;
  readonly samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/;
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: [""],
  gauge: [""],
  histogram: ["_bucket", "_sum", "_count"],
};

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(text.slice(i));
    if (m === null) throw new Error(`bad label at ${text.slice(i)}`);
    i += m[0].length;
    let value = "";
    for (;;) {
      const c = text[i++];
      if (c === undefined || c === "\n") throw new Error(`unterminated label value in ${text}`);
      if (c === '"') break;
      if (c === "\\") {
        const e = text[i++];
        if (e === "\\" || e === '"') value += e;
        else if (e === "n") value += "\n";
        else throw new Error(`bad escape \\${e} in ${text}`);
      } else value += c;
    }
    if (m[1]! in labels) throw new Error(`label ${m[1]} twice`);
    labels[m[1]!] = value;
    if (i < text.length && text[i++] !== ",") throw new Error(`expected , in ${text}`);
    if (i === text.length && text.endsWith(",")) throw new Error(`trailing comma in ${text}`);
  }
  return labels;
}

function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("the last line must end with a line feed");
  const families = new Map<string, Family>();
  const series = new Set<string>();
  let current: Family | null = null;
  for (const line of text.slice(0, -1).split("\n")) {
    let m = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line);
    if (m !== null) {
      if (families.has(m[1]!)) throw new Error(`family ${m[1]} twice`);
      if (/\\[^\\n]|\\$/.test(m[2]!)) throw new Error(`bad escape in HELP ${line}`);
      current = { name: m[1]!, help: m[2]!, type: "", samples: [] };
      families.set(current.name, current);
      continue;
    }
    m = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (m !== null) {
      if (current === null || current.name !== m[1] || current.type !== "") {
        throw new Error(`TYPE out of place: ${line}`);
      }
      current.type = m[2]!;
      continue;
    }
    m = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`).exec(line);
    if (m === null) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    if (current === null || current.type === "") throw new Error(`sample before its HELP and TYPE: ${line}`);
    const family: Family = current;
    if (!SUFFIXES[family.type]!.some((s) => m![1] === family.name + s)) {
      throw new Error(`${m[1]} is not of family ${family.name}`);
    }
    if (!VALUE.test(m[3]!)) throw new Error(`bad value ${m[3]}`);
    const labels = parseLabels(m[2] ?? "");
    const key = `${m[1]}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) throw new Error(`series twice: ${line}`);
    series.add(key);
    const value = m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]);
    family.samples.push({ name: m[1]!, labels, value });
  }
  for (const family of families.values()) checkFamily(family);
  return families;
}

function checkFamily(family: Family): void {
  if (family.type === "counter") {
    if (!family.name.endsWith("_total")) throw new Error(`counter ${family.name} without _total`);
    for (const s of family.samples) if (!(s.value >= 0)) throw new Error(`counter ${s.name} at ${s.value}`);
  }
  if (family.type !== "histogram") return;
  const buckets = family.samples.filter((s) => s.name.endsWith("_bucket"));
  const les = buckets.map((b) => (b.labels.le === "+Inf" ? Infinity : Number(b.labels.le)));
  if (les.at(-1) !== Infinity) throw new Error(`${family.name}: no +Inf bucket last`);
  for (let i = 1; i < buckets.length; i++) {
    if (!(les[i]! > les[i - 1]!)) throw new Error(`${family.name}: le not increasing`);
    if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${family.name}: buckets not cumulative`);
  }
  const count = family.samples.find((s) => s.name === `${family.name}_count`);
  const sum = family.samples.find((s) => s.name === `${family.name}_sum`);
  if (count === undefined || sum === undefined) throw new Error(`${family.name}: no _count or _sum`);
  if (count.value !== buckets.at(-1)!.value) throw new Error(`${family.name}: _count is not the +Inf bucket`);
}

const FACTS: ProcessFacts = { residentBytes: 50_331_648, heapUsedBytes: 8_388_608, startTimeSeconds: 1_796_193_645.5 };

/** The value of the one sample of a family with these labels (0 when there is none). */
function value(
  families: Map<string, Family>,
  family: string,
  name = family,
  labels: Record<string, string> = {},
): number {
  const found = families.get(family)?.samples.filter((s) =>
    s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  );
  if (found === undefined || found.length === 0) return 0;
  if (found.length > 1) throw new Error(`${name}: more than one sample`);
  return found[0]!.value;
}

describe("ServerMetrics.render", () => {
  it("writes every family with HELP and TYPE from the start", () => {
    const text = new ServerMetrics().render(FACTS);
    const families = parseExposition(text);
    expect([...families.keys()]).toEqual([
      "http_requests_total",
      "http_request_duration_seconds",
      "http_response_body_bytes_total",
      "http_connections_open",
      "sundial_http2_connections_open",
      "http_event_streams_open",
      "sundial_file_cache_hits_total",
      "sundial_file_cache_misses_total",
      "sundial_websockets_open",
      "sundial_websocket_messages_total",
      "sundial_websocket_message_bytes_total",
      "sundial_app_errors_total",
      "process_resident_memory_bytes",
      "process_heap_used_bytes",
      "process_start_time_seconds",
    ]);
    expect([...families.values()].map((f) => f.type)).toEqual([
      "counter",
      "histogram",
      "counter",
      "gauge",
      "gauge",
      "gauge",
      "counter",
      "counter",
      "gauge",
      "counter",
      "counter",
      "counter",
      "gauge",
      "gauge",
      "gauge",
    ]);
    expect(text).toContain("process_resident_memory_bytes 50331648\n");
    expect(text).toContain("process_start_time_seconds 1796193645.5\n");
    expect(text).toContain('http_request_duration_seconds_bucket{le="+Inf"} 0\n');
    expect(text).toContain(
      'sundial_app_errors_total{kind="unhandled_rejection"} 0\nsundial_app_errors_total{kind="uncaught_exception"} 0\n',
    );
  });

  it("counts WebSockets open and their messages and bytes by direction", () => {
    const metrics = new ServerMetrics();
    metrics.websocketOpen(true);
    metrics.websocketOpen(true);
    metrics.websocketOpen(false);
    metrics.websocketMessage("in", 5);
    metrics.websocketMessage("out", 7);
    metrics.websocketMessage("out", 3);
    const families = parseExposition(metrics.render(FACTS));
    expect(value(families, "sundial_websockets_open")).toBe(1);
    const by = (name: string, direction: string): number | undefined => value(families, name, name, { direction });
    expect([by("sundial_websocket_messages_total", "in"), by("sundial_websocket_messages_total", "out")]).toEqual([
      1,
      2,
    ]);
    expect(by("sundial_websocket_message_bytes_total", "out")).toBe(10);
  });

  it("counts the app's errors nothing caught, by kind", () => {
    const metrics = new ServerMetrics();
    metrics.appError("unhandled_rejection");
    metrics.appError("unhandled_rejection");
    metrics.appError("uncaught_exception");
    const families = parseExposition(metrics.render(FACTS));
    const errors = (kind: string): number =>
      value(families, "sundial_app_errors_total", "sundial_app_errors_total", { kind });
    expect([errors("unhandled_rejection"), errors("uncaught_exception")]).toEqual([2, 1]);
  });

  it("leaves out a process fact the runtime cannot tell", () => {
    const families = parseExposition(
      new ServerMetrics().render({ residentBytes: null, heapUsedBytes: null, startTimeSeconds: 1 }),
    );
    expect(families.has("process_resident_memory_bytes")).toBe(false);
    expect(families.has("process_heap_used_bytes")).toBe(false);
    expect(value(families, "process_start_time_seconds")).toBe(1);
  });

  it("counts requests by method and code, other methods as other", () => {
    const metrics = new ServerMetrics();
    metrics.request("GET", 200, 3, 100);
    metrics.request("GET", 200, 3, 100);
    metrics.request("GET", 404, 3, 0);
    metrics.request("PATCH", 204, 3, 0);
    metrics.request("get", 200, 3, 0);
    metrics.request("PROPFIND", 207, 3, 0);
    metrics.request("BREW", 999, 3, 0);
    metrics.request("HEAD", 42, 3, 0);
    const text = metrics.render(FACTS);
    const families = parseExposition(text);
    const requests = (method: string, code: string): number =>
      value(families, "http_requests_total", "http_requests_total", { method, code });
    expect(requests("GET", "200")).toBe(2);
    expect(requests("GET", "404")).toBe(1);
    expect(requests("PATCH", "204")).toBe(1);
    expect(requests("other", "200")).toBe(1);
    expect(requests("other", "207")).toBe(1);
    expect(requests("other", "999")).toBe(1);
    expect(requests("HEAD", "other")).toBe(1);
    expect(families.get("http_requests_total")!.samples).toHaveLength(7);
    // In METHODS' order, then by code.
    expect(text).toMatch(
      /code="200",protocol="1.1"} 2\nhttp_requests_total\{method="GET",code="404",protocol="1.1"} 1\nhttp_requests_total\{method="HEAD"/,
    );
    expect(value(families, "http_response_body_bytes_total")).toBe(200);
  });

  it("labels requests with the HTTP version they came in (1.1 unless told), HTTP/1.x first", () => {
    const metrics = new ServerMetrics();
    metrics.request("GET", 200, 3, 10);
    metrics.request("GET", 200, 3, 10, "2");
    metrics.request("GET", 200, 3, 10, "2");
    metrics.request("POST", 201, 3, 0, "1.0");
    const text = metrics.render(FACTS);
    const families = parseExposition(text);
    const requests = (method: string, protocol: string): number =>
      value(families, "http_requests_total", "http_requests_total", {
        method,
        code: method === "GET" ? "200" : "201",
        protocol,
      });
    expect([requests("GET", "1.1"), requests("GET", "2"), requests("POST", "1.0"), requests("GET", "1.0")]).toEqual([
      1,
      2,
      1,
      0,
    ]);
    expect(text).toContain(
      'http_requests_total{method="POST",code="201",protocol="1.0"} 1\n' +
        'http_requests_total{method="GET",code="200",protocol="1.1"} 1\n' +
        'http_requests_total{method="GET",code="200",protocol="2"} 2\n',
    );
    // The other families keep no protocol label: one series each, as before.
    expect(value(families, "http_response_body_bytes_total")).toBe(30);
    expect(value(families, "http_request_duration_seconds", "http_request_duration_seconds_count")).toBe(4);
  });

  it("counts HTTP/2 connections open beside all connections", () => {
    const metrics = new ServerMetrics();
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.http2Connection(true);
    metrics.http2Connection(true);
    metrics.http2Connection(false);
    const families = parseExposition(metrics.render(FACTS));
    expect([value(families, "http_connections_open"), value(families, "sundial_http2_connections_open")]).toEqual([
      2,
      1,
    ]);
  });

  it("puts durations in cumulative buckets, a bound counting as inside", () => {
    const metrics = new ServerMetrics();
    for (const ms of [0.5, 1, 1.0001, 5, 99, 100, 250, 10_000, 10_001, 60_000, -1, Number.NaN]) {
      metrics.request("GET", 200, ms, 0);
    }
    const families = parseExposition(metrics.render(FACTS));
    const bucket = (le: string): number =>
      value(families, "http_request_duration_seconds", "http_request_duration_seconds_bucket", { le });
    expect(bucket("0.001")).toBe(4); // 0.5, 1, and the two read as 0
    expect(bucket("0.005")).toBe(6);
    expect(bucket("0.1")).toBe(8);
    expect(bucket("0.25")).toBe(9);
    expect(bucket("10")).toBe(10);
    expect(bucket("+Inf")).toBe(12);
    expect(value(families, "http_request_duration_seconds", "http_request_duration_seconds_count")).toBe(12);
    expect(value(families, "http_request_duration_seconds", "http_request_duration_seconds_sum")).toBeCloseTo(
      80.4575001,
      9,
    );
  });

  it("keeps the gauges and the cache counters", () => {
    const metrics = new ServerMetrics();
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();
    metrics.streamOpened();
    metrics.cacheHit();
    metrics.cacheHit();
    metrics.cacheMiss();
    const families = parseExposition(metrics.render(FACTS));
    expect(value(families, "http_connections_open")).toBe(1);
    expect(value(families, "http_event_streams_open")).toBe(1);
    expect(value(families, "sundial_file_cache_hits_total")).toBe(2);
    expect(value(families, "sundial_file_cache_misses_total")).toBe(1);
  });

  it("renders valid text whose counts add up, for any sequence of calls", () => {
    type Call =
      | { kind: "request"; method: string; status: number; durationMs: number; bodyBytes: number }
      | { kind: "connectionOpened" | "connectionClosed" | "streamOpened" | "streamClosed" | "cacheHit" | "cacheMiss" };
    const method = fc.oneof(
      fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"),
      fc.string({ maxLength: 8 }),
    );
    const call: fc.Arbitrary<Call> = fc.oneof(
      fc.record({
        kind: fc.constant("request" as const),
        method,
        status: fc.oneof(fc.integer({ min: 100, max: 599 }), fc.integer(), fc.double()),
        durationMs: fc.oneof(fc.double({ min: 0, max: 20_000, noNaN: true }), fc.double()),
        bodyBytes: fc.oneof(fc.nat(), fc.double()),
      }),
      fc.constantFrom("connectionOpened", "connectionClosed", "streamOpened", "streamClosed", "cacheHit", "cacheMiss")
        .map((kind) => ({ kind })),
    );
    const facts = fc.record({
      residentBytes: fc.option(fc.nat()),
      heapUsedBytes: fc.option(fc.nat()),
      startTimeSeconds: fc.double({ min: 0, max: 4e9, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 80 }), facts, (calls, processFacts) => {
        const metrics = new ServerMetrics();
        let requests = 0;
        let bytes = 0;
        const counts: Record<string, number> = {};
        for (const c of calls) {
          if (c.kind === "request") {
            metrics.request(c.method, c.status, c.durationMs, c.bodyBytes);
            requests++;
            if (Number.isFinite(c.bodyBytes) && c.bodyBytes > 0) bytes += c.bodyBytes;
          } else {
            metrics[c.kind]();
            counts[c.kind] = (counts[c.kind] ?? 0) + 1;
          }
        }
        const families = parseExposition(metrics.render(processFacts));
        const total = families.get("http_requests_total")!.samples.reduce((n, s) => n + s.value, 0);
        expect(total).toBe(requests);
        expect(value(families, "http_request_duration_seconds", "http_request_duration_seconds_count")).toBe(requests);
        expect(value(families, "http_response_body_bytes_total")).toBe(bytes);
        const n = (k: string): number => counts[k] ?? 0;
        expect(value(families, "http_connections_open")).toBe(n("connectionOpened") - n("connectionClosed"));
        expect(value(families, "http_event_streams_open")).toBe(n("streamOpened") - n("streamClosed"));
        expect(value(families, "sundial_file_cache_hits_total")).toBe(n("cacheHit"));
        expect(value(families, "sundial_file_cache_misses_total")).toBe(n("cacheMiss"));
        expect(families.has("process_resident_memory_bytes")).toBe(processFacts.residentBytes !== null);
        for (const s of families.get("http_requests_total")!.samples) {
          expect(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "other"]).toContain(
            s.labels.method,
          );
          expect(s.labels.code).toMatch(/^(?:[1-9]\d\d|other)$/);
          expect(s.labels.protocol).toBe("1.1");
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the strict reader itself", () => {
  it.each([
    ["no final line feed", "# HELP a_total x\n# TYPE a_total counter\na_total 1"],
    ["a sample before its TYPE", "# HELP a_total x\na_total 1\n"],
    ["a bad escape", '# HELP a x\n# TYPE a gauge\na{l="\\t"} 1\n'],
    ["a sample of another family", "# HELP a x\n# TYPE a gauge\nb 1\n"],
    ["a bad value", "# HELP a x\n# TYPE a gauge\na one\n"],
    [
      "non-cumulative buckets",
      '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
    ],
    ["_count not the +Inf bucket", '# HELP h x\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n'],
  ])("refuses %s", (_what, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
