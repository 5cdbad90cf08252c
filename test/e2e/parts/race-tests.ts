import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { type RunningSundial, startSundial, type Target } from "../../support/server-process.ts";
import { createRaceFixture, raceUnavailable, runRace } from "../../support/symlink-race.ts";
import type { SuiteContext } from "../context.ts";

/** How long each run of the swap loop lasts. */
const RACE_SECONDS = 3;

/**
 * Issue 12 A: a folder swapped for a symlink to the outside while clients ask for files in it
 * (renameat2 RENAME_EXCHANGE in a loop, test/support/rename-exchange.py). Not one response may
 * carry a byte or a name from outside, with the cache, without it, and with --no-symlinks; and
 * nothing from outside may stay in the cache afterwards.
 */
export function raceTests({ target }: SuiteContext): void {
  const unavailable = raceUnavailable();
  describe.skipIf(unavailable !== undefined)("symlink race: files outside the root are never served", () => {
    for (const flags of [[], ["--cache-ttl", "0"], ["--no-symlinks"]]) {
      it(`${flags.join(" ") || "defaults"}: zero leaks while the folder is swapped for a symlink`, async () => {
        const fixture = createRaceFixture();
        const server = await startSundial(target, [fixture.root, ...flags]);
        try {
          const result = await runRace(server.port, fixture, RACE_SECONDS);
          expect(result.swaps).toBeGreaterThan(10_000);
          // The attack ran against files really being served (not only refusals).
          expect(result.statuses[200] ?? 0).toBeGreaterThan(10);
          expect(result.leaks).toBe(0);
          // Once what was cached during the swaps has expired (1 s), the files are served again, from inside.
          await new Promise((resolve) => setTimeout(resolve, 1100));
          for (const target of ["/race/secret.txt", "/race/big.bin"]) {
            const response = await fetch(`http://127.0.0.1:${server.port}${target}`);
            expect(response.status).toBe(200);
            expect(Buffer.from(await response.arrayBuffer()).includes("O")).toBe(false);
          }
        } finally {
          await server.stop();
          fixture.remove();
        }
      }, 30_000);
    }
  });
  if (unavailable !== undefined) it.skip(`symlink race: skipped: ${unavailable}`, () => {});
  // Deno reads /proc/self/fd only with --allow-all: with fewer permissions it serves, and says the check is narrowed.
  if (target.name === "deno") {
    it("deno with --allow-net --allow-read --allow-env only: serves, and warns that the check of opened files is narrowed", async () => {
      const narrow: Target = {
        ...target,
        command: target.command.map((a) => (a === "--allow-all" ? "--allow-net" : a)).flatMap((
          a,
        ) => (a === "--allow-net" ? [a, "--allow-read", "--allow-env"] : [a])),
      };
      const fixture = createRaceFixture();
      const server = await startSundial(narrow, [fixture.root]);
      try {
        const response = await fetch(`http://127.0.0.1:${server.port}/race/secret.txt`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("i".repeat(64));
        expect(server.stderr()).toMatch(
          /warning: this runtime cannot name open files \(Deno: \/proc\/self\/fd needs --allow-all/,
        );
      } finally {
        await server.stop();
        fixture.remove();
      }
    });
  }
}

const KIB = 1024;

/**
 * Issue 12 C: a body piece of exactly 64 KiB (the size that leaves in one write, and the
 * transports' high-water mark) once lost its drain on Deno, stalling the connection 60 s.
 * Each case is followed by a pipelined request, which must be answered at once.
 */
export function boundaryTests({ target }: SuiteContext): void {
  describe("64 KiB boundary: whole files, single ranges and multipart parts", () => {
    let dir = "";
    let server: RunningSundial | undefined;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-boundary-"));
      const large = Buffer.alloc(1_560_000);
      for (let i = 0; i < large.length; i++) large[i] = 97 + (i % 26);
      fs.writeFileSync(path.join(dir, "large.txt"), large);
      for (const size of [64 * KIB - 1, 64 * KIB, 64 * KIB + 1]) {
        fs.writeFileSync(path.join(dir, `f${size}.bin`), large.subarray(0, size));
      }
      server = await startSundial(target, [dir]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const cases: Array<[string, string, string]> = [];
    for (const size of [64 * KIB - 1, 64 * KIB, 64 * KIB + 1]) {
      cases.push([`whole file of ${size} bytes`, `/f${size}.bin`, ""]);
      cases.push([`single range of ${size} bytes`, "/large.txt", `Range: bytes=0-${size - 1}\r\n`]);
      cases.push([`multipart part of ${size} bytes`, "/large.txt", `Range: bytes=0-${size - 1},-10\r\n`]);
      cases.push([
        `multipart, ${size} bytes in the middle`,
        "/large.txt",
        `Range: bytes=0-9,100-${100 + size - 1},-10\r\n`,
      ]);
    }
    for (const [name, target, range] of cases) {
      it(`${name}: complete, and the pipelined request behind it is answered`, async () => {
        const request =
          `GET ${target} HTTP/1.1\r\nHost: x\r\n${range}\r\nGET /f65536.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n`;
        const started = performance.now();
        const result = await rawExchange(server!.port, request, { until: hasResponses(2), timeoutMs: 5000 });
        const responses = parseResponses(result.data);
        expect(responses.map((r) => r.status)).toEqual([range === "" ? 200 : 206, 206]);
        expect(responses[0]!.body.length).toBe(Number(responses[0]!.headers.get("content-length")));
        if (range.includes(",")) expect(responses[0]!.body.toString("latin1").trimEnd().endsWith("--")).toBe(true);
        expect(responses[1]!.body.toString("latin1")).toBe("a");
        expect(performance.now() - started).toBeLessThan(4000);
      });
    }
  });
}
