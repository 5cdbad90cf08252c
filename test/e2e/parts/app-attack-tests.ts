import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdConnections, openDescriptors, probeThroughout, sleep } from "../../support/attack-load.ts";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

const SECOND = 1000;
const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "attack-app.mjs");
/** Five attacking addresses (127/8 is all loopback on Linux); the probes come from 127.0.0.1. */
const ATTACKERS = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"];
const ATTACK_CONNECTIONS = 1100;
const ATTACK_MS = 10 * SECOND;
const PROBE_LIMIT_MS = 2 * SECOND;

const get = (target: string, extra = ""): string => `GET ${target} HTTP/1.1\r\nHost: t\r\n${extra}\r\n`;

async function ask(
  port: number,
  request: string,
  localAddress = "127.0.0.1",
): Promise<{ status: number; body: string; closed: boolean }> {
  const result = await rawExchange(port, request, { until: hasResponses(1), timeoutMs: 5 * SECOND, localAddress });
  const [response] = parseResponses(result.data, { ended: result.closed });
  return { status: response?.status ?? 0, body: response?.body.toString() ?? "", closed: result.closed };
}

/** Opens a socket, sends `first`, and resolves with it once connected. */
function opened(port: number, first: string, localAddress = "127.0.0.1"): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress }, () => {
      socket.write(first);
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

/** Everything the socket receives until it closes (or ms pass), and when the first byte came. */
function received(socket: net.Socket, ms: number): Promise<{ data: string; firstAt: number; closed: boolean }> {
  const started = performance.now();
  let data = "";
  let firstAt = -1;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ data, firstAt, closed: false }), ms);
    socket.on("data", (chunk: Buffer) => {
      if (firstAt < 0) firstAt = performance.now() - started;
      data += chunk.toString("latin1");
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ data, firstAt, closed: true });
    });
  });
}

/**
 * Issue 22: the app path under attack. Each finding that belongs to the core has its test here,
 * through raw TCP against every target: a slow body an app reads, an app that never answers, a
 * body that fails while the app waits, the scheme of an absolute-form target, PROXY-protocol caps.
 */
export function appAttackTests({ target }: SuiteContext): void {
  describe("apps under attack (issue 22)", () => {
    let server: RunningSundial | undefined;
    beforeAll(async () => {
      server = await startSundial(target, [
        os.tmpdir(),
        "--app",
        APP,
        "--quiet",
        "--request-timeout",
        "5s",
        "--body-timeout",
        "3s",
        "--response-timeout",
        "3s",
      ]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("a body sent one byte every 2 s to `await request.text()` gets 408 at --request-timeout 5s", async () => {
      const socket = await opened(server!.port, "POST /read HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n");
      const drip = setInterval(() => socket.writable && socket.write("x"), 2 * SECOND);
      try {
        const answer = await received(socket, 15 * SECOND);
        expect(answer.data).toMatch(/^HTTP\/1\.1 408 /);
        // At the whole-request deadline (5 s), not after pieces kept the 3 s gap clock restarting.
        expect(answer.firstAt).toBeLessThan(9 * SECOND);
      } finally {
        clearInterval(drip);
        socket.destroy();
      }
    }, 20_000);

    it(
      "an app that never answers: 503 with Retry-After at --response-timeout, its request.signal aborted",
      async () => {
        const before = Number((await ask(server!.port, get("/aborted"))).body);
        const started = performance.now();
        const answer = await rawExchange(server!.port, get("/hang"), {
          until: hasResponses(1),
          timeoutMs: 10 * SECOND,
        });
        const [response] = parseResponses(answer.data, { ended: answer.closed });
        expect(response?.status).toBe(503);
        expect(response?.headers.get("retry-after")).toBe("1");
        expect(performance.now() - started).toBeLessThan(8 * SECOND);
        expect(Number((await ask(server!.port, get("/aborted"))).body)).toBe(before + 1);
      },
      15_000,
    );

    it(
      "200 clients that leave an app that never answers: their signals abort and every descriptor comes back",
      async () => {
        const pid = server!.process.pid!;
        await sleep(300);
        const baseline = openDescriptors(pid);
        const before = Number((await ask(server!.port, get("/aborted"))).body);
        const sockets = await Promise.all(Array.from({ length: 200 }, () => opened(server!.port, get("/hang"))));
        await sleep(500);
        expect(openDescriptors(pid)).toBeGreaterThanOrEqual(baseline + 150);
        for (const socket of sockets) socket.end();
        let held = Number.POSITIVE_INFINITY;
        for (let waited = 0; waited < 6 * SECOND && held > baseline + 5; waited += 250) {
          await sleep(250);
          held = openDescriptors(pid);
        }
        for (const socket of sockets) socket.destroy();
        expect(held).toBeLessThanOrEqual(baseline + 5);
        expect(Number((await ask(server!.port, get("/aborted"))).body)).toBe(before + 200);
      },
      20_000,
    );

    it("a bad trailer 0.3 s after a chunk: 400 to the client, at most one line on stderr, no stack trace", async () => {
      const errorsBefore = server!.stderr().length;
      const socket = await opened(
        server!.port,
        "POST /read HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
      );
      const answer = received(socket, 5 * SECOND);
      await sleep(300);
      socket.write("0\r\nbad trailer\r\n\r\n");
      const { data } = await answer;
      socket.destroy();
      expect(data).toMatch(/^HTTP\/1\.1 400 /);
      const stderr = server!.stderr().slice(errorsBefore);
      expect(stderr).not.toMatch(/resolve is not a function/);
      expect(stderr.split("\n").filter((l) => l !== "").length).toBeLessThanOrEqual(1);
    });

    it("500 clients leaving mid-body write at most a few rate-limited lines to stderr", async () => {
      const errorsBefore = server!.stderr().length;
      for (let round = 0; round < 5; round++) {
        const sockets = await Promise.all(
          Array.from(
            { length: 100 },
            () => opened(server!.port, "POST /read HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"),
          ),
        );
        await sleep(50);
        for (const socket of sockets) socket.end();
        await sleep(50);
        for (const socket of sockets) socket.destroy();
      }
      await sleep(500);
      const lines = server!.stderr().slice(errorsBefore).split("\n").filter((l) => l !== "");
      expect(lines.length).toBeLessThanOrEqual(25);
      expect(lines.join("\n")).not.toMatch(/^\s+at /m);
    });

    it("an absolute-form target does not set request.url's scheme: the connection's does", async () => {
      expect((await ask(server!.port, "GET https://evil.example/url HTTP/1.1\r\nHost: t\r\n\r\n")).body).toBe(
        "http://evil.example/url",
      );
      expect((await ask(server!.port, "GET http://evil.example/url?q=1 HTTP/1.1\r\nHost: t\r\n\r\n")).body).toBe(
        "http://evil.example/url?q=1",
      );
    });
  });

  describe("apps under attack: lockouts (issue 22)", () => {
    let server: RunningSundial | undefined;
    beforeAll(async () => {
      server = await startSundial(target, [
        os.tmpdir(),
        "--app",
        APP,
        "--quiet",
        "--max-connections-per-ip",
        "256",
        "--response-timeout",
        "60s",
      ]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    for (
      const [name, request, drip] of [
        [
          `${ATTACK_CONNECTIONS} slow bodies to an app from 5 addresses`,
          "POST /read HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n",
          1,
        ],
        [`${ATTACK_CONNECTIONS} requests to an app that never answers, from 5 addresses`, get("/hang"), 0],
      ] as const
    ) {
      it(`${name}: every /time probe answered 200 within 2 s`, async () => {
        const attack = holdConnections(server!.port, {
          count: ATTACK_CONNECTIONS,
          addresses: ATTACKERS,
          request,
          dripBytes: drip,
          reopenMs: SECOND,
        });
        let probes: Array<{ status: number; ms: number; at: number }>;
        try {
          await sleep(1500); // the attack is in place
          probes = await probeThroughout(server!.port, ATTACK_MS, 250);
        } finally {
          const report = attack.stop();
          console.log(
            `${target.name}: ${name}: opened ${report.opened}, answered ${report.answered} ${
              JSON.stringify([...report.statuses])
            }`,
          );
        }
        const late = probes.filter((p) => p.status !== 200 || p.ms > PROBE_LIMIT_MS);
        console.log(
          `${target.name}: ${name}: ${late.length} of ${probes.length} probes failed ${
            JSON.stringify(late.map((p) => [Math.round(p.at), p.status, Math.round(p.ms)]))
          }`,
        );
        expect(late, `probes not answered 200 within 2 s (of ${probes.length})`).toEqual([]);
        expect(probes.length).toBeGreaterThanOrEqual(30);
        await sleep(500);
        expect((await ask(server!.port, get("/time"))).status).toBe(200);
      }, 40_000);
    }
  });

  describe("PROXY protocol and the per-address cap (issue 22)", () => {
    let server: RunningSundial | undefined;
    beforeAll(async () => {
      server = await startSundial(target, [
        os.tmpdir(),
        "--app",
        APP,
        "--quiet",
        "--trust-proxy",
        "127.0.0.1",
        "--proxy-protocol",
        "--max-connections-per-ip",
        "2",
      ]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("a proxied connection naming a capped client does not free that client's place when it closes", async () => {
      const attacker = "127.0.0.9";
      const held = await Promise.all([0, 1].map(() => opened(server!.port, "", attacker)));
      try {
        const proxied = await ask(
          server!.port,
          `PROXY TCP4 ${attacker} 127.0.0.1 5555 80\r\n${get("/", "Connection: close\r\n")}`,
        );
        expect(proxied.status).toBe(200);
        await sleep(200);
        for (let i = 0; i < 3; i++) expect((await ask(server!.port, get("/time"), attacker)).status).toBe(503);
      } finally {
        for (const socket of held) socket.destroy();
      }
    });
  });
}
