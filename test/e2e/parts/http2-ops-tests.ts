import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeRstStream } from "../../../src/http2/frame-writer.ts";
import { createFixture, type Fixture } from "../../support/fixture.ts";
import { H2Client, type H2Endpoint, type H2Response } from "../../support/h2-raw.ts";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import { lineMatching, sleep } from "../../support/wait.ts";
import type { SuiteContext } from "../context.ts";

const SECOND = 1000;
const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "h2-ops-app.mjs");
const RESPONSE_TIMEOUT_MS = 2 * SECOND;

const h2c = (server: RunningSundial): H2Endpoint => ({ host: "127.0.0.1", port: server.port, tls: false });

/** One GET over a fresh h2c connection, with extra fields. */
async function h2get(server: RunningSundial, target: string, extra: ReadonlyArray<readonly [string, string]> = []) {
  const client = await H2Client.open(h2c(server));
  try {
    return await client.response(client.request(target, { extra }));
  } finally {
    client.destroy();
  }
}

const bodyText = (response: H2Response): string => response.body.toString();
const field = (response: H2Response, name: string): string | undefined =>
  response.headers.find(([n]) => n === name)?.[1];
const clientIp = (response: H2Response): string => (JSON.parse(bodyText(response)) as { client_ip: string }).client_ip;

/** Waits for a line of the server's stdout (the access log, written within 100 ms) matching `pattern`. */
function logLine(server: RunningSundial, pattern: RegExp): Promise<string> {
  return lineMatching(() => server.stdout(), pattern, 2_500, "log");
}

/**
 * HTTP/2's operations surface on one target (issue 26), over h2c: the response deadline per
 * stream, the access log's HTTP/2.0 lines (combined, json; 499 for a reset stream), trusted
 * proxies, the protocol label in /metrics, and the drain on SIGTERM (GOAWAY, the stream in flight
 * finishes, one opened after is never served, exit 0).
 */
export function http2OpsTests({ target }: SuiteContext): void {
  describe.skipIf(target.skip !== undefined)("HTTP/2 in production: deadline, log, proxies, metrics", () => {
    let fixture: Fixture;
    let combined: RunningSundial;
    let json: RunningSundial;
    beforeAll(async () => {
      fixture = createFixture();
      const common = [fixture.root, "--app", APP, "--http2", "--response-timeout", `${RESPONSE_TIMEOUT_MS}ms`];
      [combined, json] = await Promise.all([
        startSundial(target, [...common, "--metrics", "--trust-proxy", "127.0.0.1"]),
        startSundial(target, [...common, "--log-format", "json", "--trust-proxy", "127.0.0.2"]),
      ]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([combined?.stop(), json?.stop()]);
      fixture?.remove();
    });

    it(
      "an app that never answers a stream: 503 with Retry-After at --response-timeout, its signal aborted, the connection's other streams served",
      async () => {
        const before = Number(bodyText(await h2get(combined, "/aborted")));
        const client = await H2Client.open(h2c(combined));
        try {
          const started = performance.now();
          const hang = client.request("/hang");
          const time = await client.response(client.request("/time"));
          expect(time.status).toBe(200);
          expect(performance.now() - started).toBeLessThan(RESPONSE_TIMEOUT_MS);
          const stoodIn = await client.response(hang, 4 * RESPONSE_TIMEOUT_MS);
          const elapsed = performance.now() - started;
          expect([stoodIn.status, stoodIn.end, field(stoodIn, "retry-after")]).toEqual([503, "end-stream", "1"]);
          expect(elapsed).toBeGreaterThan(RESPONSE_TIMEOUT_MS - 100);
          expect(elapsed).toBeLessThan(RESPONSE_TIMEOUT_MS + 2 * SECOND);
          // The connection goes on: another stream on it is answered.
          expect((await client.response(client.request("/hello.txt"))).status).toBe(200);
        } finally {
          client.destroy();
        }
        expect(Number(bodyText(await h2get(combined, "/aborted")))).toBe(before + 1);
        expect(combined.stderr()).toMatch(/503 for GET \/hang: the app did not answer within --response-timeout/);
      },
      15_000,
    );

    it("the combined log says HTTP/2.0 with the status and the DATA bytes; a stream reset before its response is 499 with no bytes (CLF -)", async () => {
      const ok = await h2get(combined, "/hello.txt?combined", [["user-agent", "h2-ops/1"], [
        "referer",
        "http://r.example/",
      ]]);
      expect(bodyText(ok)).toBe("hello world\n");
      expect(await logLine(combined, /"GET \/hello\.txt\?combined HTTP\/2\.0"/)).toMatch(
        /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/hello\.txt\?combined HTTP\/2\.0" 200 12 "http:\/\/r\.example\/" "h2-ops\/1"$/,
      );
      const client = await H2Client.open(h2c(combined));
      try {
        const id = client.request("/hang?reset");
        await sleep(200);
        client.send(encodeRstStream(id, "CANCEL"));
        expect(await logLine(combined, /\/hang\?reset/)).toMatch(/"GET \/hang\?reset HTTP\/2\.0" 499 - /);
      } finally {
        client.destroy();
      }
    });

    it("json lines say protocol HTTP/2.0, with the status and the DATA bytes", async () => {
      const missing = await h2get(json, "/missing.txt");
      expect(missing.status).toBe(404);
      await h2get(json, "/a.txt");
      const line = JSON.parse(await logLine(json, /"\/a\.txt"/)) as Record<string, unknown>;
      expect(line).toMatchObject({ method: "GET", target: "/a.txt", protocol: "HTTP/2.0", status: 200, bytes: 4 });
      const notFound = JSON.parse(await logLine(json, /"\/missing\.txt"/)) as Record<string, unknown>;
      expect(notFound).toMatchObject({ protocol: "HTTP/2.0", status: 404, bytes: missing.body.length });
    });

    it("X-Forwarded-For over h2 names the client from a trusted peer (log and /time), and is ignored from another", async () => {
      const spoof: Array<[string, string]> = [["x-forwarded-for", "203.0.113.9"]];
      expect(clientIp(await h2get(combined, "/time?trusted", spoof))).toBe("203.0.113.9");
      expect(await logLine(combined, /\/time\?trusted/)).toMatch(/^203\.0\.113\.9 - - /);
      expect(clientIp(await h2get(json, "/time?untrusted", spoof))).toBe("127.0.0.1");
      const line = JSON.parse(await logLine(json, /\/time\?untrusted/)) as { client: string };
      expect(line.client).toBe("127.0.0.1");
    });

    it('/metrics counts h2 requests with protocol="2" beside HTTP/1.1\'s "1.1", and the HTTP/2 connections open', async () => {
      await h2get(combined, "/a.txt?metrics");
      await rawExchange(combined.port, "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {
        until: hasResponses(1),
        timeoutMs: 5 * SECOND,
      });
      const client = await H2Client.open(h2c(combined));
      try {
        const text = bodyText(await client.response(client.request("/metrics")));
        expect(text).toMatch(/^http_requests_total\{method="GET",code="200",protocol="2"\} \d+$/m);
        expect(text).toMatch(/^http_requests_total\{method="GET",code="200",protocol="1\.1"\} \d+$/m);
        expect(text).toMatch(/^sundial_http2_connections_open [1-9]\d*$/m);
      } finally {
        client.destroy();
      }
      // Every h2 client of this server is gone: the gauge comes back to 0.
      const scrape = async (): Promise<string> => {
        const { data } = await rawExchange(
          combined.port,
          "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
          {
            until: hasResponses(1),
            timeoutMs: 5 * SECOND,
          },
        );
        return parseResponses(data)[0]!.body.toString();
      };
      let last = "";
      for (let i = 0; i < 20 && !/^sundial_http2_connections_open 0$/m.test(last); i++) {
        if (i > 0) await sleep(100);
        last = await scrape();
      }
      expect(last).toMatch(/^sundial_http2_connections_open 0$/m);
    });
  });

  describe.skipIf(target.skip !== undefined)("HTTP/2 draining on SIGTERM", () => {
    let fixture: Fixture;
    beforeAll(() => {
      fixture = createFixture();
    });
    afterAll(() => fixture?.remove());

    it(
      "GOAWAY names the stream in flight; it completes, a stream opened after is never served, then exit 0",
      async () => {
        const server = await startSundial(target, [fixture.root, "--app", APP, "--http2"]);
        try {
          const client = await H2Client.open(h2c(server));
          const slow = client.request("/slow?ms=1500");
          await sleep(300);
          const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
          server.process.kill("SIGTERM");
          const goaway = await client.goaway(3 * SECOND);
          expect(goaway).toEqual({ kind: "goaway", code: "NO_ERROR", lastStreamId: slow });
          const after = client.request("/after-goaway");
          const answer = await client.response(slow, 5 * SECOND);
          expect([answer.status, bodyText(answer), answer.end]).toEqual([200, "slow 1500\n", "end-stream"]);
          expect(await client.waitClosed(5 * SECOND)).toBe(true);
          expect(client.events.some((e) => e.kind === "fields" && e.streamId === after)).toBe(false);
          expect(await exited).toBe(0);
          expect(server.stdout()).toMatch(/"GET \/slow\?ms=1500 HTTP\/2\.0" 200 /);
          expect(server.stdout()).not.toContain("/after-goaway");
        } finally {
          await server.stop();
        }
      },
      20_000,
    );
  });
}
