/**
 * The server an HTTP/2 black-box part runs against, whatever it is (nginx now, sundial once it
 * speaks HTTP/2): a way to start it on a folder of files (writeH2Site) and reach it. The parts
 * (test/e2e/parts/http2-*.ts) take an H2ServerSpec, so the same cases run against a reference
 * and against each of sundial's targets.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { H2Endpoint } from "./h2-raw.ts";

export interface H2Server {
  readonly endpoint: H2Endpoint;
  /** The process that serves the connections (nginx's worker, sundial), for RSS from /proc; undefined when not local. */
  pid(): number | undefined;
  /** What the server logged so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Options a part may need the server started with (a limit shortened so the test runs in seconds). */
export interface H2StartOptions {
  /** How long a stream may wait for flow-control window before the server gives up on it (s). */
  readonly zeroWindowTimeoutS?: number;
}

export interface H2ServerSpec {
  /** What the tests' names say: "nginx h2c", "sundial on node (TLS)". */
  readonly name: string;
  readonly tls: boolean;
  /** Starts a server on the folder (made by writeH2Site): GET / and /large.bin must be served. */
  start(root: string, options?: H2StartOptions): Promise<H2Server>;
}

/** What writeH2Site puts in the folder, and what GETs of it answer. */
export const SITE = {
  /** GET / is index.html. */
  index: "/",
  indexBody: "<!doctype html>\n<title>h2</title>\n<p>hello over HTTP/2</p>\n",
  /** Larger than the initial flow-control window (65,535, RFC 9113 §6.9.2), so it takes window updates. */
  large: "/large.bin",
  largeSize: 256 * 1024,
} as const;

/** The bytes of /large.bin: a fixed pattern, so a body can be checked whole. */
export function largeBody(): Buffer {
  const body = Buffer.alloc(SITE.largeSize);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 8)) & 0xff;
  return body;
}

/** Writes the site into dir, readable by anyone (nginx's workers run as nobody). */
export function writeH2Site(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, "index.html"), SITE.indexBody, { mode: 0o644 });
  fs.writeFileSync(path.join(dir, SITE.large.slice(1)), largeBody(), { mode: 0o644 });
}

/** The range the HTTP/2 tests take their ports from. */
export const H2_PORTS = { from: 47000, to: 47999 } as const;

/** A port in 47000-47999 that nobody listens on now (tried at random; the caller retries if it is taken by then). */
export async function freePortInRange(from: number = H2_PORTS.from, to: number = H2_PORTS.to): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to} after 50 tries`);
}
