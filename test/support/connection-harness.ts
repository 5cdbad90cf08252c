/**
 * An HttpConnection wired to fake ports (./fake-ports.ts) and the real router, plus a reader
 * for the HTTP/1.1 responses it writes. For the unit tests of src/connection/connection.ts.
 */
import type { FileCacheLimits } from "../../src/static/file-cache.ts";
import { type ConnectionContext, HttpConnection } from "../../src/connection/connection.ts";
import { DEFAULT_LIMITS, type HttpLimits } from "../../src/http/limits.ts";
import type { Handler } from "../../src/app.ts";
import { createRouter } from "../../src/site/router.ts";
import { DEFAULT_SITE, type SiteOptions } from "../../src/static/options.ts";
import { FakeClock, FakeConnection, FakeFileSystem, fakeCompressor, latin1Text } from "./fake-ports.ts";

/** 2026-01-02T03:04:05Z, a Friday. */
export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
export const T0_HTTP_DATE = "Fri, 02 Jan 2026 03:04:05 GMT";

/** Lets every pending promise chain (and zero-delay timer registered before it) run. */
export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface HarnessOptions {
  readonly limits?: Partial<HttpLimits>;
  /** Replaces the router; receives the real router to delegate to. */
  readonly handle?: (router: Handler) => Handler;
  readonly files?: Record<string, Uint8Array | string>;
  readonly fs?: FakeFileSystem;
  readonly highWaterMark?: number;
  readonly isClosing?: () => boolean;
  readonly site?: Partial<SiteOptions>;
  /** ConnectionContext.readBodies: read request bodies before answering (with their deadlines). */
  readonly readBodies?: boolean;
}

export interface Harness {
  readonly conn: FakeConnection;
  readonly clock: FakeClock;
  readonly fs: FakeFileSystem;
  readonly http: HttpConnection;
  readonly limits: HttpLimits;
  /** Lines passed to logError. */
  readonly errors: string[];
  /** How often onClosed was called. */
  readonly closedCalls: () => number;
}

const NO_CACHE: FileCacheLimits = { maxEntries: 1, maxBodyBytes: 0 };

export function connect(options: HarnessOptions = {}): Harness {
  const clock = new FakeClock(T0, "UTC");
  const fs = options.fs ?? new FakeFileSystem(options.files ?? {});
  const conn = new FakeConnection(options.highWaterMark);
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...options.limits };
  // No caching here: these tests watch every file-system call the connection makes.
  const router = createRouter({
    fs,
    clock,
    compressor: fakeCompressor,
    files: { root: "/srv", site: { ...DEFAULT_SITE, ...options.site, cacheTtlMs: 0 }, cache: NO_CACHE },
  });
  const errors: string[] = [];
  let closed = 0;
  const ctx: ConnectionContext = {
    limits,
    clock,
    handle: options.handle === undefined ? router : options.handle(router),
    commonHeaders: "X-Content-Type-Options: nosniff\r\n",
    logError: (message) => void errors.push(message),
    isClosing: options.isClosing ?? (() => false),
    onClosed: () => void closed++,
    readBodies: options.readBodies ?? false,
  };
  const http = new HttpConnection(conn, ctx);
  return { conn, clock, fs, http, limits, errors, closedCalls: () => closed };
}

/** A GET (or other method) for path, HTTP/1.1 with a Host, as a latin-1 string. */
export function get(path: string, extra = "", method = "GET"): string {
  return `${method} ${path} HTTP/1.1\r\nHost: test\r\n${extra}\r\n`;
}

export interface ParsedResponse {
  readonly status: number;
  /** The head up to and including the empty line. */
  readonly head: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
  /** The whole body arrived (per Content-Length). */
  readonly complete: boolean;
}

/** First value of a response header (name case-insensitive), or undefined. */
export function header(response: ParsedResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  return response.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/**
 * Splits written bytes into responses by Content-Length (bodyless when it is absent, and for
 * the methods in headOnly, by position). A trailing partial response is returned incomplete.
 */
export function parseResponses(bytes: Uint8Array, headOnly: ReadonlyArray<boolean> = []): ParsedResponse[] {
  const text = latin1Text(bytes);
  const out: ParsedResponse[] = [];
  let at = 0;
  while (at < text.length) {
    const headEnd = text.indexOf("\r\n\r\n", at);
    if (headEnd < 0) throw new Error(`unterminated response head: ${JSON.stringify(text.slice(at, at + 200))}`);
    const head = text.slice(at, headEnd + 4);
    const [statusLine, ...lines] = head.slice(0, -4).split("\r\n");
    const match = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine ?? "");
    if (match === null) throw new Error(`bad status line: ${JSON.stringify(statusLine)}`);
    const headers = lines.map((line): [string, string] => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const declared = headers.find(([n]) => n.toLowerCase() === "content-length")?.[1];
    const length = declared === undefined || headOnly[out.length] === true ? 0 : Number(declared);
    const bodyStart = headEnd + 4;
    const body = bytes.slice(bodyStart, Math.min(bytes.length, bodyStart + length));
    out.push({ status: Number(match[1]), head, headers, body, complete: body.length === length });
    at = bodyStart + length;
  }
  return out;
}

/** Deterministic content of n bytes, so a reordered or dropped chunk shows. */
export function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >> 8)) % 251;
  return out;
}

/** Calls drain() and lets the core continue, until done() or the rounds run out; returns the drains. */
export async function drainUntil(conn: FakeConnection, done: () => boolean, rounds = 1000): Promise<number> {
  let drains = 0;
  await flush();
  while (!done() && drains < rounds) {
    conn.drain();
    drains++;
    await flush();
  }
  return drains;
}

/** Byte-wise equality (fast, unlike a deep equality over a large array). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
