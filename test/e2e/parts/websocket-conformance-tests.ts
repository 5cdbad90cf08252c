import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { REPO_ROOT, type RunningSundial, runSundial, startSundial } from "../../support/server-process.ts";
import { comparable, play } from "../../support/websocket-case-runner.ts";
import { ALL_CASES, messageKey, type WsCase } from "../../support/websocket-cases.ts";
import { DEFLATE_CASES } from "../../support/websocket-cases-deflate.ts";
import { TEXT_CASES } from "../../support/websocket-cases-text.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-conformance-app.mjs");

/** Autobahn's case groups, by the first number of a case's id. */
const GROUPS: ReadonlyArray<readonly [string, string]> = [
  ["1", "framing: text and binary at the length forms' edges, whole and in small writes"],
  ["2", "pings and pongs"],
  ["3", "reserved bits"],
  ["4", "reserved opcodes"],
  ["5", "fragmentation"],
  ["6", "UTF-8"],
  ["7", "close handling"],
  ["9", "limits: maxPayloadLength"],
  ["12", "permessage-deflate round trips"],
  ["13", "permessage-deflate negotiation and refusals, a zip bomb"],
];

const CASES: readonly WsCase[] = [...ALL_CASES, ...TEXT_CASES, ...DEFLATE_CASES];

/** Cases played this many at a time (each its own connection). */
const AT_ONCE = 4;

/**
 * A WebSocket conformance suite of our own along the Autobahn testsuite's case groups (Autobahn's
 * fuzzingclient itself is neither on npm nor in Debian), played over raw TCP against an echo app
 * with permessage-deflate on, on every target: what RFC 6455 and RFC 7692 require, case by case.
 */
export function websocketConformanceTests({ target }: SuiteContext): void {
  describe("WebSocket conformance (Autobahn's case groups, raw frames)", () => {
    let server: RunningSundial;
    beforeAll(async () => {
      server = await startSundial(target, ["--app", APP, "--quiet"]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    for (const [group, title] of GROUPS) {
      const cases = CASES.filter((c) => c.id.split(".")[0] === group);
      it(`${group} ${title} (${cases.length} cases)`, async () => {
        const failures: string[] = [];
        for (let i = 0; i < cases.length; i += AT_ONCE) {
          await Promise.all(
            cases.slice(i, i + AT_ONCE).map(async (c) => {
              const outcome = comparable(await play(server.port, c), c.expect);
              if (!equal(outcome, c.expect)) {
                failures.push(`${c.id} ${c.title}: ${JSON.stringify(outcome)} != ${JSON.stringify(c.expect)}`);
              }
            }),
          );
        }
        expect(failures).toEqual([]);
      }, 60_000);
    }

    it("real clients compress: npm's ws with context takeover both ways, every size, text and binary", async () => {
      for (const wsPath of ["/echo", "/compressed"]) {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}${wsPath}`, { perMessageDeflate: { threshold: 0 } });
        await new Promise((resolve, reject) => {
          ws.once("open", resolve);
          ws.once("error", reject);
        });
        expect(ws.extensions).toBe("permessage-deflate");
        const sent = [0, 1, 100, 1023, 1024, 5000, 70_000, 300_000].flatMap((n) => [
          "text ".repeat(n).slice(0, n),
          Buffer.from(Array.from({ length: n }, (_, i) => (i * 13) & 0xff)),
        ]);
        const echoes: Array<Buffer | string> = [];
        const all = new Promise<void>((resolve) =>
          ws.on("message", (data: Buffer, isBinary: boolean) => {
            echoes.push(isBinary ? data : data.toString());
            if (echoes.length === sent.length) resolve();
          })
        );
        for (const m of sent) ws.send(m);
        await all;
        const key = (m: Buffer | string): string =>
          typeof m === "string" ? messageKey(0x1, new TextEncoder().encode(m)) : messageKey(0x2, m);
        expect(echoes.map(key)).toEqual(sent.map(key));
        ws.close(1000);
        expect(await new Promise((resolve) => ws.once("close", resolve))).toBe(1000);
      }
    });

    it("an --app whose perMessageDeflate Bun would not take is refused at start, naming it", async () => {
      const bad = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-bad-deflate-app.mjs");
      const run = await runSundial(target, ["--app", bad, "--port", "0", "--host", "127.0.0.1"]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("its websocket export's perMessageDeflate.compress must be true, false,");
    });

    const python = spawnSync("/usr/bin/python3", ["-c", "import websockets"]).status === 0;
    it.skipIf(!python)("real clients compress: Python's websockets (its default, permessage-deflate)", () => {
      const run = spawnSync("/usr/bin/python3", ["-c", PYTHON_CLIENT, `ws://127.0.0.1:${server.port}/compressed`], {
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.stderr).toBe("");
      expect(run.stdout.trim().split("\n")).toEqual(["permessage-deflate", "hello ".repeat(1000), "256000"]);
    });
  });
}

/** Python's websockets, compressing (its default): the extension agreed, a text and a binary echoed. */
const PYTHON_CLIENT = `
import asyncio, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1], max_size=2**20) as ws:
        print(ws.response_headers["Sec-WebSocket-Extensions"].split(";")[0])
        await ws.send("hello " + "hello " * 999)
        print(await ws.recv())
        await ws.send(bytes(range(256)) * 1000)
        print(len(await ws.recv()))
asyncio.run(main())
`;

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)));
}
