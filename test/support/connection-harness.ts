/**
 * Connections as the server really builds them, on fake ports (./fake-ports.ts): serve() starts
 * src/server/server.ts's startServer with a fake transport, clock and output, serving the site's
 * app; connect() is one accepted connection on it. So every test of the connection runs on the
 * server's own wiring (its ConnectionContext, the app's common fields, the error log, shutdown).
 * bareConnection() is the one exception, for what only the HttpConnection object shows.
 */
import { SERVER_HEADER } from "../../src/version.ts";
import type { App, Handler } from "../../src/app.ts";
import { type ConnectionContext, HttpConnection } from "../../src/connection/connection.ts";
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  type HttpLimits,
} from "../../src/http/limits.ts";
import { type RunningServer, startServer } from "../../src/server/server.ts";
import { createRouter } from "../../src/site/router.ts";
import { site } from "../../src/site/site.ts";
import type { FileCacheLimits } from "../../src/static/file-cache.ts";
import { DEFAULT_SITE, type SiteOptions } from "../../src/static/options.ts";
import { fakeCompressor, FakeFileSystem } from "./fake-file-system.ts";
import type { Compressor } from "../../src/ports/compress.ts";
import type { TrustList } from "../../src/proxy/trust-list.ts";
import type { Http2Options } from "../../src/http2/limits.ts";
import type { ServerObserver } from "../../src/connection/observer.ts";
import { FakeClock, FakeConnection, FakeTransport } from "./fake-ports.ts";

/** 2026-01-02T03:04:05Z, a Friday. */
export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
export const T0_HTTP_DATE = "Fri, 02 Jan 2026 03:04:05 GMT";

/** Lets every pending promise chain (and zero-delay timer registered before it) run. */
export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface HarnessOptions {
  readonly limits?: Partial<HttpLimits>;
  /** Replaces the site's handler; receives it to delegate to. */
  readonly handle?: (router: Handler) => Handler;
  /** The site's files (absolute paths under /srv, the served root). */
  readonly files?: Record<string, Uint8Array | string>;
  readonly fs?: FakeFileSystem;
  /** The high-water mark of the connection connect() accepts. */
  readonly highWaterMark?: number;
  readonly site?: Partial<SiteOptions>;
  /** The server's caps (the command line's defaults unless given). */
  readonly maxConnections?: number;
  readonly maxConnectionsPerIp?: number;
  readonly capLoopback?: boolean;
  /** App.readsBodies: request bodies go to the handler as they arrive (context.body). */
  readonly readsBodies?: boolean;
  /** --trust-proxy's list, and --proxy-protocol. */
  readonly trustProxy?: TrustList;
  readonly proxyProtocol?: boolean;
  /** The server's compressor, for WebSocket's permessage-deflate (none by default: never negotiated). */
  readonly compressor?: Compressor;
  /** HTTP/2 beside HTTP/1.1 (--http2), with these limits over the defaults; absent: HTTP/1.1 only. */
  readonly http2?: Partial<Http2Options>;
  /** Who watches exchanges and connections (the access log, the metrics); none by default. */
  readonly observer?: ServerObserver;
}

/** A server on fake deps, before any connection. */
export interface Served {
  readonly clock: FakeClock;
  readonly fs: FakeFileSystem;
  readonly limits: HttpLimits;
  /** Lines the server wrote to its error output (as main prints them: "sundial: ..."). */
  readonly errors: string[];
  /** A new connection arrives (from 192.0.2.1 unless told). */
  accept(options?: { readonly address?: string; readonly highWaterMark?: number }): FakeConnection;
  /**
   * Starts the server's shutdown (RunningServer.close) and resolves once it has told every
   * connection to close when idle; `closed` settles when the close is done (its waits run on
   * the fake clock: advance it).
   */
  shutdown(): Promise<{ readonly closed: Promise<void> }>;
}

/** A server on fake ports and one connection it accepted. */
export interface Harness extends Served {
  readonly conn: FakeConnection;
}

/** The file cache holds no content: files are sent from the fake disk, and every read shows. */
const NO_CACHE: FileCacheLimits = { maxEntries: 1, maxBodyBytes: 0 };

/** The site's app as main composes it (src/site/site.ts), but with the cache above and no TTL. */
function testApp(options: HarnessOptions, clock: FakeClock, fs: FakeFileSystem): App {
  const siteOptions: SiteOptions = { ...DEFAULT_SITE, ...options.site, cacheTtlMs: 0 };
  const deps = { fs, clock, compressor: fakeCompressor };
  const router = createRouter({ ...deps, files: { root: "/srv", site: siteOptions, cache: NO_CACHE } });
  return {
    handle: options.handle === undefined ? router : options.handle(router),
    headers: site(deps, "/srv", siteOptions).headers,
    readsBodies: options.readsBodies ?? false,
  };
}

export function serve(options: HarnessOptions = {}): Served {
  const clock = new FakeClock(T0, "UTC");
  const fs = options.fs ?? new FakeFileSystem(options.files ?? {});
  const transport = new FakeTransport();
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const errors: string[] = [];
  const started = startServer(
    {
      transport,
      clock,
      output: { out: () => {}, err: (line) => void errors.push(line), log: () => {} },
      compressor: options.compressor,
    },
    {
      app: testApp(options, clock, fs),
      serverHeader: SERVER_HEADER,
      limits,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      maxConnectionsPerIp: options.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP,
      capLoopback: options.capLoopback ?? false,
      host: "127.0.0.1",
      port: 0,
      services: [],
      trustProxy: options.trustProxy ?? null,
      proxyProtocol: options.proxyProtocol ?? false,
      http2: options.http2,
      observer: options.observer,
    },
  );
  // startServer listens before its first await, so connections can arrive synchronously, as the
  // tests drive them. Should that change, these helpers must become async.
  if (transport.listeners.length === 0) throw new Error("startServer did not listen synchronously");
  const server = async (): Promise<RunningServer> => {
    const result = await started;
    if (result.kind === "failed") throw new Error(`startServer failed: ${result.message}`);
    return result.server;
  };
  return {
    clock,
    fs,
    limits,
    errors,
    accept: ({ address, highWaterMark } = {}) => {
      const conn = new FakeConnection(highWaterMark, address);
      transport.accept(conn);
      return conn;
    },
    shutdown: async () => {
      const closed = (await server()).close();
      await flush();
      return { closed };
    },
  };
}

export function connect(options: HarnessOptions = {}): Harness {
  const served = serve(options);
  return { ...served, conn: served.accept({ highWaterMark: options.highWaterMark }) };
}

export interface BareOptions extends HarnessOptions {
  /** ConnectionContext.readBodies: read request bodies before answering (with their deadlines). */
  readonly readBodies?: boolean;
  /** ConnectionContext.isClosing, for calling closeWhenIdle() on the object (else never closing). */
  readonly isClosing?: () => boolean;
}

export interface BareHarness {
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

/**
 * An HttpConnection made directly, without a server: for what only the object shows (its
 * eviction surface and phases, how often it calls onClosed) and for reading bodies, which the
 * connection can do but the server does not switch on yet (issue 14). Its context carries
 * nothing a server adds: no common fields, and closing only if the test says so. Everything a
 * client sees is tested through connect(), on the server's own wiring.
 */
export function bareConnection(options: BareOptions = {}): BareHarness {
  const clock = new FakeClock(T0, "UTC");
  const fs = options.fs ?? new FakeFileSystem(options.files ?? {});
  const conn = new FakeConnection(options.highWaterMark);
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const errors: string[] = [];
  let closed = 0;
  const ctx: ConnectionContext<HttpConnection> = {
    limits,
    clock,
    handle: testApp(options, clock, fs).handle,
    commonHeaders: `Server: ${SERVER_HEADER}\r\n`,
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
