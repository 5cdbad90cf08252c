import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../../support/fixture.ts";
import { hasResponses, type ParsedResponse, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

import { lineMatching, sleep } from "../../support/wait.ts";

/** One request on a fresh raw TCP connection (proxy fields and PROXY headers must not be touched by a URL client). */
async function ask(port: number, request: string | Uint8Array, localAddress?: string): Promise<ParsedResponse> {
  const { data } = await rawExchange(port, request, { until: hasResponses(1), timeoutMs: 5000, localAddress });
  return parseResponses(data)[0]!;
}

const get = (target: string, extra = ""): string =>
  `GET ${target} HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n${extra}\r\n`;
const clientIp = (response: ParsedResponse): string =>
  (JSON.parse(response.body.toString()) as { client_ip: string }).client_ip;

/** Waits until the server's stdout holds a line matching `pattern` (the log is written in batches, within 100 ms; up to 2.5 s). */
function logLine(server: RunningSundial, pattern: RegExp): Promise<string> {
  return lineMatching(() => server.stdout(), pattern, 2_500, "log");
}

/** The operations surface (issue 15) on one target: access log, proxies, health, metrics, drain, extra fields. */
export function opsTests({ target }: SuiteContext): void {
  describe.skipIf(target.skip !== undefined)("in production: log, proxies, health, metrics, drain", () => {
    let fixture: Fixture;
    let logged: RunningSundial;
    let proxied: RunningSundial;
    beforeAll(async () => {
      fixture = createFixture();
      // The default log (combined, stdout), trusting 127.0.0.2 only, with health and metrics on the main port.
      logged = await startSundial(target, [
        fixture.root,
        "--health",
        "--metrics",
        "--header",
        "Strict-Transport-Security: max-age=63072000",
      ]);
      proxied = await startSundial(target, [
        fixture.root,
        "--log-format",
        "json",
        "--trust-proxy",
        "127.0.0.2",
        "--proxy-protocol",
        "--base-path",
        "/files",
      ]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([logged?.stop(), proxied?.stop()]);
      fixture?.remove();
    });

    it("logs each request on stdout in the combined format, and only that: the banner is on stderr", async () => {
      await ask(logged.port, get("/hello.txt", "Referer: http://ref.example/\r\nUser-Agent: ops-test/1\r\n"));
      const line = await logLine(logged, /hello\.txt/);
      expect(line).toMatch(
        /^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/hello\.txt HTTP\/1\.1" 200 12 "http:\/\/ref\.example\/" "ops-test\/1"$/,
      );
      expect(logged.stdout()).not.toContain("Local:");
      expect(logged.stderr()).toContain("Local:");
    });

    it("logs a refused request too (400, with the request line as '-')", async () => {
      await ask(logged.port, "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
      expect(await logLine(logged, /" 400 /)).toMatch(/"-" 400 /);
    });

    it("logs a body refused by its declared length with its request line (413, as nginx does)", async () => {
      await ask(logged.port, "PUT /too-big HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n");
      expect(await logLine(logged, /" 413 /)).toMatch(/"PUT \/too-big HTTP\/1\.1" 413 /);
    });

    it("--header adds its field to every response: files, 404s and refusals", async () => {
      for (const request of [get("/hello.txt"), get("/missing"), "GET / HTTP/1.1\r\n\r\n"]) {
        expect((await ask(logged.port, request)).headers.get("strict-transport-security")).toBe("max-age=63072000");
      }
    });

    it("/healthz and /readyz answer 200, uncached and unlogged; /metrics counts requests in Prometheus' format", async () => {
      const health = await ask(logged.port, get("/healthz"));
      expect([health.status, health.body.toString(), health.headers.get("cache-control")]).toEqual([
        200,
        "ok\n",
        "no-store",
      ]);
      expect((await ask(logged.port, get("/readyz"))).status).toBe(200);
      const metrics = await ask(logged.port, get("/metrics"));
      expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const text = metrics.body.toString();
      expect(text).toMatch(/^http_requests_total\{method="GET",code="200",protocol="1.1"\} \d+$/m);
      expect(text).toMatch(/^http_request_duration_seconds_count \d+$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
      await ask(logged.port, get("/a.txt"));
      await logLine(logged, /a\.txt/);
      expect(logged.stdout()).not.toMatch(/healthz|readyz|metrics/);
    });

    it("json lines carry the request id and the connection's request count", async () => {
      const pipelined =
        `GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
      await rawExchange(proxied.port, pipelined, { until: hasResponses(2), timeoutMs: 5000 });
      const second = JSON.parse(await logLine(proxied, /"\/b\.txt"/)) as Record<string, unknown>;
      expect(second).toMatchObject({
        method: "GET",
        target: "/b.txt",
        status: 200,
        bytes: 8,
        connection_requests: 2,
        client: "127.0.0.1",
      });
      expect(typeof second.request_id).toBe("string");
      expect(typeof second.duration_ms).toBe("number");
    });

    it("json lines carry no raw C1 control character: User-Agent and Referer bytes 0x80..0x9F are written as \\u0080..\\u009f", async () => {
      // obs-text (RFC 9110 §5.5): the parser reads these bytes as latin-1, U+0080..U+009F; raw in the
      // line they would be C2 80..C2 9F in UTF-8 (NEL, CSI: a terminal or a line splitter acts on them).
      const head = Buffer.concat([
        Buffer.from("GET /hello.txt?c1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nUser-Agent: ua", "latin1"),
        Buffer.from([0x80, 0x85, 0x9b, 0x9f]),
        Buffer.from("[31mend\r\nReferer: http://r.example/", "latin1"),
        Buffer.from([0x8d, 0x90]),
        Buffer.from("\r\n\r\n", "latin1"),
      ]);
      expect((await ask(proxied.port, head)).status).toBe(200);
      const line = await logLine(proxied, /"\/hello\.txt\?c1"/);
      expect(line).not.toMatch(/[\u0080-\u009f\ufffd]/);
      expect(line).toContain('"user_agent":"ua\\u0080\\u0085\\u009b\\u009f[31mend"');
      const parsed = JSON.parse(line) as { user_agent: string; referer: string };
      expect([parsed.user_agent, parsed.referer]).toEqual([
        "ua\u0080\u0085\u009b\u009f[31mend",
        "http://r.example/\u008d\u0090",
      ]);
    });

    it("X-Forwarded-For from an untrusted peer changes nothing; from a trusted one it names the client (right-most untrusted hop)", async () => {
      const spoof = "X-Forwarded-For: 203.0.113.9\r\n";
      expect(clientIp(await ask(proxied.port, get("/time", spoof)))).toBe("127.0.0.1");
      expect(clientIp(await ask(proxied.port, get("/time", spoof), "127.0.0.2"))).toBe("203.0.113.9");
      const chain = "X-Forwarded-For: 198.51.100.1, 203.0.113.9, 127.0.0.2\r\n";
      expect(clientIp(await ask(proxied.port, get("/time", chain), "127.0.0.2"))).toBe("203.0.113.9");
      expect(clientIp(await ask(proxied.port, get("/time", 'Forwarded: for="[2001:db8::7]:4711"\r\n'), "127.0.0.2")))
        .toBe("2001:db8::7");
      const line = JSON.parse(await logLine(proxied, /"client":"2001:db8::7"/)) as { client: string };
      expect(line.client).toBe("2001:db8::7");
    });

    it("a PROXY protocol header (v1 and v2) names the client, from a trusted peer only", async () => {
      const v1 = `PROXY TCP4 198.51.100.7 127.0.0.1 5555 80\r\n${get("/time")}`;
      expect(clientIp(await ask(proxied.port, v1, "127.0.0.2"))).toBe("198.51.100.7");
      // From an untrusted peer the header is not read: it is a malformed request line.
      expect((await ask(proxied.port, v1)).status).toBe(400);
      const v2 = Buffer.concat([
        Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x21, 0x11, 0x00, 0x0c]),
        Buffer.from([192, 0, 2, 44, 127, 0, 0, 1, 0x30, 0x39, 0x00, 0x50]),
        Buffer.from(get("/time"), "latin1"),
      ]);
      expect(clientIp(await ask(proxied.port, v2, "127.0.0.2"))).toBe("192.0.2.44");
      expect((await ask(proxied.port, "PROXY TCP4 999.1.1.1 127.0.0.1 1 2\r\n", "127.0.0.2")).status).toBe(400);
      // A trusted peer may also speak plain HTTP (a health check).
      expect((await ask(proxied.port, get("/hello.txt"), "127.0.0.2")).status).toBe(200);
    });

    it("behind a prefix: --base-path is removed from requests that carry it, and links stay under it", async () => {
      expect((await ask(proxied.port, get("/files/hello.txt"))).status).toBe(200);
      expect((await ask(proxied.port, get("/hello.txt"))).status).toBe(200);
      const redirect = await ask(proxied.port, get("/files/sub/deep"));
      expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "deep/"]);
      expect((await ask(proxied.port, get("/files"))).headers.get("location")).toBe("files/");
      const listing = (await ask(proxied.port, get("/files/sub/deep/"))).body.toString();
      expect(listing).toContain("<title>Index of /files/sub/deep/</title>");
      // A trusted proxy's X-Forwarded-Prefix wins.
      const prefixed = (await ask(proxied.port, get("/sub/deep/", "X-Forwarded-Prefix: /mirror\r\n"), "127.0.0.2")).body
        .toString();
      expect(prefixed).toContain("<title>Index of /mirror/sub/deep/</title>");
    });
  });

  describe.skipIf(target.skip !== undefined)("draining on SIGTERM", () => {
    let fixture: Fixture;
    beforeAll(() => {
      fixture = createFixture();
    });
    afterAll(() => fixture?.remove());

    it(
      "/readyz turns 503 on the admin port, a download in progress finishes, new connections are refused, then exit 0",
      async () => {
        const server = await startSundial(target, [fixture.root, "--admin-port", "0", "--quiet"]);
        try {
          const adminLine = /Admin:\s+http:\/\/127\.0\.0\.1:(\d+)\//;
          await waitFor(() => adminLine.test(server.stderr()));
          const admin = Number(adminLine.exec(server.stderr())![1]);
          expect((await ask(admin, get("/readyz"))).status).toBe(200);
          expect((await ask(server.port, get("/healthz"))).status).toBe(404); // probes live on the admin port only
          // A download the client reads slowly: paused until the drain has begun.
          const socket = net.connect({ host: "127.0.0.1", port: server.port });
          await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
          socket.write(get("/big.bin").replace("Connection: close\r\n", ""));
          let received = 0;
          socket.on("data", (chunk: Buffer) => {
            received += chunk.length;
            socket.pause();
          });
          await sleep(300);
          const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
          server.process.kill("SIGTERM");
          await sleep(300);
          const ready = await ask(admin, get("/readyz"));
          expect([ready.status, ready.body.toString()]).toEqual([503, "draining\n"]);
          const refused = await new Promise<boolean>((resolve) => {
            const probe = net.connect({ host: "127.0.0.1", port: server.port });
            probe.once("error", () => resolve(true));
            probe.once("connect", () => {
              probe.destroy();
              resolve(false);
            });
          });
          expect(refused).toBe(true);
          const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
          socket.on("data", () => socket.resume());
          socket.resume();
          await ended;
          expect(received).toBeGreaterThan(fixture.files["big.bin"]!.length);
          expect(await exited).toBe(0);
        } finally {
          await server.stop();
        }
      },
      30_000,
    );

    it("a second signal exits at once", async () => {
      const server = await startSundial(target, [fixture.root, "--quiet"]);
      try {
        const socket = net.connect({ host: "127.0.0.1", port: server.port });
        await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
        socket.write(get("/big.bin"));
        socket.on("data", () => socket.pause());
        await sleep(300);
        const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
        server.process.kill("SIGTERM");
        await sleep(300);
        const began = performance.now();
        server.process.kill("SIGINT");
        expect(await exited).toBe(130);
        expect(performance.now() - began).toBeLessThan(2000);
        socket.destroy();
      } finally {
        await server.stop();
      }
    }, 30_000);

    it("--log FILE appends the log; SIGUSR1 reopens it after logrotate moved it", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-log-"));
      const file = path.join(dir, "access.log");
      const server = await startSundial(target, [fixture.root, "--log", file]);
      try {
        await ask(server.port, get("/a.txt"));
        await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, "utf8").includes("/a.txt"));
        fs.renameSync(file, `${file}.1`);
        server.process.kill("SIGUSR1");
        await waitFor(() => fs.existsSync(file));
        await ask(server.port, get("/b.txt"));
        await waitFor(() => fs.readFileSync(file, "utf8").includes("/b.txt"));
        expect(fs.readFileSync(`${file}.1`, "utf8")).not.toContain("/b.txt");
        expect(server.stdout()).toBe("");
      } finally {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  });
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error("timed out waiting");
}
