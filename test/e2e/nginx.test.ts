/**
 * Deployment, tested here (issue 15): real nginx in front of two sundial instances, the way
 * deploy/nginx.conf and docs/deploy.md set it up (an upstream with keepalive over HTTP/1.1, a
 * second location that serves the site under /files/; test/support/nginx.ts writes an
 * equivalent configuration and says where it differs), on every target. Through nginx: files, ranges, 304s, a 100 MB
 * file, the event stream, the prefix, the client's address with --trust-proxy; then a rolling
 * restart under a bounded load (SIGTERM one instance, start it again on its port, wait until
 * nginx sends to it again, then the other) must lose no request. The rolling restart runs on
 * every target: ~14 s each, most of it nginx's fail_timeout (see the test), ~80 s in all.
 *
 * nginx is /usr/sbin/nginx; when it is missing and we are root, Debian's nginx-light is
 * installed; otherwise the whole file is one skipped test whose name says why.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../support/fixture.ts";
import { findNginx, freePort, type Instance, type RunningNginx, startNginx, startOnPort } from "../support/nginx.ts";
import { type Target, TARGETS } from "../support/server-process.ts";
import { sleep, until } from "../support/wait.ts";

const NGINX = findNginx();
const BIG_NAME = "hundred-mb.bin";
const BIG_SIZE = 100 * 1024 * 1024;

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

interface RequestOptions {
  readonly headers?: Record<string, string>;
  /** A keep-alive agent (the load); a fresh connection unless told. */
  readonly agent?: http.Agent;
  /** Connect from this loopback address (127.0.0.2: a client that is not the proxy). */
  readonly localAddress?: string;
  readonly timeoutMs?: number;
}

/** One GET through node:http, the body collected (or, with `sink`, handed over piece by piece and not kept). */
function get(
  port: number,
  target: string,
  options: RequestOptions = {},
  sink?: (chunk: Buffer) => void,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: target,
        headers: { Host: "sundial.test", ...options.headers },
        agent: options.agent ?? false,
        localAddress: options.localAddress,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => (sink === undefined ? chunks.push(chunk) : sink(chunk)));
        response.once(
          "end",
          () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
        );
        response.once("error", reject);
        response.once("aborted", () => reject(new Error(`${target}: response aborted`)));
      },
    );
    request.setTimeout(
      options.timeoutMs ?? 10_000,
      () => request.destroy(new Error(`${target}: no answer within ${options.timeoutMs ?? 10_000} ms`)),
    );
    request.once("error", reject);
    request.end();
  });
}

const clientIp = (reply: Reply): string => (JSON.parse(reply.body.toString()) as { client_ip: string }).client_ip;

/** The 100 MB file, written in 1 MiB pieces (hashed on the way), and its SHA-256. */
function writeBigFile(file: string): string {
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "w");
  try {
    const piece = randomBytes(1024 * 1024);
    for (let i = 0; i < BIG_SIZE / piece.length; i++) {
      piece.writeUInt32BE(i, 0); // no two pieces alike
      hash.update(piece);
      fs.writeSync(fd, piece);
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

interface LoadFigures {
  sent: number;
  ok: number;
  failed: number;
  /** The first few failures, with when they happened (ms into the load), for the assertion message. */
  failures: string[];
  /** Successful responses per instance (X-Instance, which each instance adds with --header). */
  byInstance: Record<string, number>;
}

interface Load {
  readonly figures: LoadFigures;
  readonly began: number;
  /** Ends the load: each client finishes the request it is in. */
  stop(): void;
  readonly done: Promise<LoadFigures>;
}

/**
 * A bounded load: `concurrency` clients on keep-alive connections (node:http's Agent), each
 * asking for /hello.txt and /time in turn, with `pauseMs` between its requests, until stopped,
 * `maxMs` passed or `maxRequests` were sent. A failure is a non-2xx answer, a wrong body, or a
 * connection error.
 */
function startLoad(
  port: number,
  options: { concurrency: number; pauseMs: number; maxMs: number; maxRequests: number },
): Load {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const figures: LoadFigures = { sent: 0, ok: 0, failed: 0, failures: [], byInstance: {} };
  const began = performance.now();
  let stopped = false;
  const fail = (what: string): void => {
    figures.failed++;
    if (figures.failures.length < 10) figures.failures.push(`${(performance.now() - began).toFixed(0)} ms: ${what}`);
  };
  const client = async (): Promise<void> => {
    for (let i = 0; !stopped && performance.now() - began < options.maxMs && figures.sent < options.maxRequests; i++) {
      const target = i % 2 === 0 ? "/hello.txt" : "/time";
      figures.sent++;
      try {
        const reply = await get(port, target, { agent, timeoutMs: 10_000 });
        const bodyOk = target === "/hello.txt"
          ? reply.body.toString() === "hello world\n"
          : clientIp(reply) === "127.0.0.1";
        if (reply.status >= 200 && reply.status < 300 && bodyOk) {
          figures.ok++;
          const instance = String(reply.headers["x-instance"]);
          figures.byInstance[instance] = (figures.byInstance[instance] ?? 0) + 1;
        } else fail(`${target}: ${reply.status} ${reply.body.toString().slice(0, 60).replace(/\s+/g, " ")}`);
      } catch (error) {
        fail(`${target}: ${(error as Error).message}`);
      }
      await sleep(options.pauseMs);
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, client))
    .then(() => figures)
    .finally(() => agent.destroy());
  return { figures, began, stop: () => (stopped = true), done };
}

if ("skip" in NGINX) {
  describe.skip(`sundial behind nginx: skipped, ${NGINX.skip}`, () => {
    it("nginx in front of two instances", () => {});
  });
} else {
  const nginxBin = NGINX.path;
  describe("sundial behind nginx", () => {
    let fixture: Fixture | undefined;
    let bigSha = "";
    beforeAll(() => {
      fixture = createFixture();
      bigSha = writeBigFile(path.join(fixture.root, BIG_NAME));
    }, 60_000);
    afterAll(() => fixture?.remove());

    for (const target of TARGETS) {
      if (target.skip !== undefined) {
        describe.skip(`on ${target.name}: skipped, ${target.skip}`, () => {
          it("nginx in front of two instances", () => {});
        });
      } else behindNginx(target, nginxBin, () => fixture!, () => bigSha);
    }
  });
}

/** The checks and the rolling restart on one target: two instances, nginx in front. */
function behindNginx(target: Target, nginxBin: string, fixture: () => Fixture, bigSha: () => string): void {
  describe(`on ${target.name}`, () => {
    const instances: Record<"a" | "b", Instance | undefined> = { a: undefined, b: undefined };
    /** Every instance ever started here (a restarted one too), for the cleanup. */
    const started: Instance[] = [];
    let nginx: RunningNginx | undefined;
    let prefix = "";
    /** Each instance tags its responses with X-Instance, so the load can tell who answered. */
    const args = (
      tag: string,
    ): string[] => [
      fixture().root,
      "--trust-proxy",
      "127.0.0.1",
      "--health",
      "--quiet",
      "--header",
      `X-Instance: ${tag}`,
    ];
    const start = async (tag: string, port: number): Promise<Instance> => {
      const instance = await startOnPort(target, args(tag), port);
      started.push(instance);
      return instance;
    };
    const port = (): number => nginx!.port;

    beforeAll(async () => {
      [instances.a, instances.b] = await Promise.all([start("a", 0), start("b", 0)]);
      prefix = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-nginx-"));
      nginx = await startNginx(nginxBin, {
        prefix,
        port: await freePort(),
        upstreams: [instances.a.port, instances.b.port],
      });
    }, 60_000);

    afterAll(async () => {
      await nginx?.stop();
      await Promise.all(started.map((instance) => instance.stop()));
      if (prefix !== "") fs.rmSync(prefix, { recursive: true, force: true });
    });

    it("serves a file's bytes", async () => {
      const hello = await get(port(), "/hello.txt");
      expect([hello.status, hello.body.toString()]).toEqual([200, "hello world\n"]);
      const big = await get(port(), "/big.bin");
      expect(big.status).toBe(200);
      expect(big.body.equals(fixture().files["big.bin"]!)).toBe(true);
    });

    it("answers a range with 206 and Content-Range, also under If-Range with the strong ETag", async () => {
      const whole = fixture().files["big.bin"]!;
      const range = await get(port(), "/big.bin", { headers: { Range: "bytes=100-199" } });
      expect([range.status, range.headers["content-range"]]).toEqual([206, `bytes 100-199/${whole.length}`]);
      expect(range.body.equals(whole.subarray(100, 200))).toBe(true);
      const etag = (await get(port(), "/big.bin", { headers: { Range: "bytes=0-0" } })).headers.etag!;
      expect(etag).toMatch(/^"/); // strong, as nginx's own
      const ifRange = await get(port(), "/big.bin", { headers: { Range: "bytes=-10", "If-Range": etag } });
      expect([ifRange.status, ifRange.body.equals(whole.subarray(-10))]).toEqual([206, true]);
    });

    it("answers If-None-Match with the ETag of a first response with 304", async () => {
      const first = await get(port(), "/hello.txt");
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^"[^"]+"$/);
      const again = await get(port(), "/hello.txt", { headers: { "If-None-Match": etag } });
      expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, etag]);
    });

    it("delivers the 100 MB file whole (SHA-256 of the bytes streamed through nginx)", async () => {
      const hash = createHash("sha256");
      let received = 0;
      const reply = await get(port(), `/${BIG_NAME}`, { timeoutMs: 60_000 }, (chunk) => {
        received += chunk.length;
        hash.update(chunk);
      });
      expect([reply.status, Number(reply.headers["content-length"]), received]).toEqual([200, BIG_SIZE, BIG_SIZE]);
      expect(hash.digest("hex")).toBe(bigSha());
    }, 90_000);

    it("streams events as they are sent, a second apart, not buffered into bursts", async () => {
      // Straight from an instance: the field that tells nginx not to buffer. nginx acts on it
      // and does not pass it on, so through nginx only the timing shows it.
      const direct = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const request = http.get({
          host: "127.0.0.1",
          port: instances.b!.port,
          path: "/time",
          headers: { Accept: "text/event-stream" },
          agent: false,
        }, resolve);
        request.once("error", reject);
      });
      direct.destroy();
      expect(direct.headers["x-accel-buffering"]).toBe("no");

      const began = Date.now();
      const events: { arrived: number; sent: number }[] = [];
      let response: http.IncomingMessage | undefined;
      await new Promise<void>((resolve, reject) => {
        const request = http.get({
          host: "127.0.0.1",
          port: port(),
          path: "/time",
          headers: { Accept: "text/event-stream" },
          agent: false,
        }, (res) => {
          response = res;
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            const arrived = Date.now();
            text += chunk;
            let end: number;
            while ((end = text.indexOf("\n\n")) >= 0) {
              const event = text.slice(0, end);
              text = text.slice(end + 2);
              const data = /^data: (.*)$/m.exec(event);
              if (data !== null) events.push({ arrived, sent: (JSON.parse(data[1]!) as { sent_ms: number }).sent_ms });
            }
            if (events.length >= 3) resolve();
          });
        });
        request.once("error", reject);
        setTimeout(() => reject(new Error(`${events.length} events within 3.5 s`)), 3500);
      }).finally(() => response?.destroy());
      expect(response?.headers["content-type"]).toMatch(/^text\/event-stream/);
      // The first event comes at once, then one at each second's turn: the three within 3 s.
      expect(events.length).toBeGreaterThanOrEqual(3);
      expect(events[2]!.arrived - began).toBeLessThan(3000);
      // Each event arrives as it is sent (same clock: the instance and this test share the machine).
      for (const event of events) expect(event.arrived - event.sent).toBeLessThan(300);
      // The two ticks are about a second apart on arrival.
      const gap = events[2]!.arrived - events[1]!.arrived;
      expect(gap).toBeGreaterThan(700);
      expect(gap).toBeLessThan(1300);
    });

    it("under /files/: the folder redirect lands the browser on /files/sub/, and a listing's title and links stay under /files/", async () => {
      const base = `http://127.0.0.1:${port()}`;
      const redirect = await get(port(), "/files/sub");
      expect(redirect.status).toBe(301);
      const landed = new URL(redirect.headers.location!, `${base}/files/sub`);
      expect(landed.pathname).toBe("/files/sub/");
      const sub = await get(port(), landed.pathname);
      expect([sub.status, sub.body.toString()]).toEqual([200, fixture().files["sub/index.html"]!.toString()]);

      const listingUrl = `${base}/files/sub/deep/`;
      const listing = await get(port(), "/files/sub/deep/");
      const html = listing.body.toString();
      expect(listing.status).toBe(200);
      expect(html).toContain("<title>Index of /files/sub/deep/</title>");
      const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) =>
        new URL(m[1]!.replaceAll("&amp;", "&"), listingUrl).pathname
      );
      expect(links.length).toBeGreaterThan(3);
      for (const link of links) expect(link.startsWith("/files/"), link).toBe(true);
      expect(links).toContain("/files/"); // the breadcrumb to the top
      expect(links).toContain("/files/sub/deep/file.txt");
      const file = await get(port(), "/files/sub/deep/file.txt");
      expect([file.status, file.body.toString()]).toEqual([200, "deep file"]);
    });

    it("client_ip is the client nginx saw; a client's own X-Forwarded-For names it only when it connects from the trusted address", async () => {
      // nginx sends X-Forwarded-For: 127.0.0.1; the peer (nginx, 127.0.0.1) is trusted.
      expect(clientIp(await get(port(), "/time"))).toBe("127.0.0.1");
      const spoof = { "X-Forwarded-For": "203.0.113.9" };
      // A client that is not the proxy (127.0.0.2): nginx appends it, so sundial gets
      // "203.0.113.9, 127.0.0.2"; the right-most untrusted hop is 127.0.0.2, the real client.
      expect(clientIp(await get(port(), "/time", { headers: spoof, localAddress: "127.0.0.2" }))).toBe("127.0.0.2");
      expect(clientIp(await get(port(), "/time", { localAddress: "127.0.0.2" }))).toBe("127.0.0.2");
      // A client on the proxy's own address (127.0.0.1, as this test is): sundial gets
      // "203.0.113.9, 127.0.0.1", and 127.0.0.1 is trusted, so it is taken for a proxy hop and
      // the walk goes on to 203.0.113.9. That is the right-most-untrusted rule working as nginx's
      // own real_ip_recursive does: a trusted address cannot be told from a proxy. It only
      // matters when clients connect from a trusted address; an edge nginx that wants to rule
      // it out sends `X-Forwarded-For $remote_addr` instead of appending.
      expect(clientIp(await get(port(), "/time", { headers: spoof }))).toBe("203.0.113.9");
    });

    it(
      "loses no request in a rolling restart under load (SIGTERM A, start it again on its port, wait until nginx uses it, then B)",
      async () => {
        // ~2000 requests a second at most (4 clients, 2 ms pause each): enough to have requests
        // in flight and idle upstream connections at each SIGTERM, bounded for a shared machine.
        const load = startLoad(port(), { concurrency: 4, pauseMs: 2, maxMs: 30_000, maxRequests: 60_000 });
        const at = (): number => performance.now() - load.began;
        const restart = async (
          slot: "a" | "b",
          tag: string,
        ): Promise<{ drainMs: number; code: number | null; upMs: number }> => {
          const old = instances[slot]!;
          const signalled = performance.now();
          old.process.kill("SIGTERM");
          const code = await old.exited;
          const drained = performance.now();
          instances[slot] = await start(tag, old.port);
          return { drainMs: drained - signalled, code, upMs: performance.now() - drained };
        };
        let figures: LoadFigures;
        let a: Awaited<ReturnType<typeof restart>>;
        let b: Awaited<ReturnType<typeof restart>>;
        let aBack: number;
        let aReturned: boolean;
        try {
          await sleep(1500);
          a = await restart("a", "a2");
          // Before B may stop, nginx must be sending to A again. It took A out of the upstream
          // when A refused or dropped a connection (max_fails=1), and tries it again only
          // fail_timeout (10 s by default) after that: stopping B sooner leaves no live upstream,
          // and every request fails with 502 ("no live upstreams") until one comes back. Measured
          // with B stopped 2 s after A: every request after B's SIGTERM failed.
          const restarted = at();
          aReturned = await until(() => (load.figures.byInstance.a2 ?? 0) > 0, 15_000);
          aBack = at() - restarted;
          b = await restart("b", "b2");
          await sleep(1500);
        } finally {
          load.stop();
          figures = await load.done;
        }
        const seconds = (at() / 1000).toFixed(1);
        const served = Object.entries(figures.byInstance)
          .sort()
          .map(([tag, count]) => `${tag} ${count}`)
          .join(", ");
        // A retried request shows two upstream statuses in nginx's log ("502, 200" or "-, 200"...).
        const retried = nginx!.accessLog().split("\n").filter((line) => /upstream_status=\S+, /.test(line)).length;
        console.log(
          `rolling restart on ${target.name}: ${figures.sent} requests in ${seconds} s, ${figures.failed} failed (${figures.ok} 2xx);` +
            ` A drained in ${a.drainMs.toFixed(0)} ms (exit ${a.code}) and was up again in ${
              a.upMs.toFixed(0)
            } ms, back in nginx's rotation ${(aBack / 1000).toFixed(1)} s later;` +
            ` B drained in ${b.drainMs.toFixed(0)} ms (exit ${b.code}), up again in ${b.upMs.toFixed(0)} ms;` +
            ` served by ${served}; nginx retried ${retried} requests on the other instance`,
        );
        expect(figures.failures).toEqual([]);
        expect(figures.failed).toBe(0);
        expect(figures.sent).toBe(figures.ok);
        expect([a.code, b.code]).toEqual([0, 0]);
        expect(aReturned, "nginx sent nothing to the restarted A within 15 s").toBe(true);
        expect(figures.sent).toBeGreaterThan(1000);
        // nginx balanced over both before the restart, and over A' after it.
        expect(
          [figures.byInstance.a ?? 0, figures.byInstance.b ?? 0, figures.byInstance.a2 ?? 0].every((n) => n > 0),
          served,
        ).toBe(true);
      },
      60_000,
    );
  });
}
