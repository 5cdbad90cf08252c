import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

/** Everything a TCP service sends before it closes. */
function readAll(port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no close within 3 s"));
    }, 3000);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

async function printedPort(server: RunningSundial, label: string): Promise<number> {
  for (let waited = 0; waited < 5000; waited += 50) {
    const match = new RegExp(`${label}:\\s+tcp://[^:]+:(\\d+)`).exec(server.stderr());
    if (match !== null) return Number(match[1]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${label} line in ${server.stderr()}`);
}

/** RFC 867 and RFC 868 services, and the event stream's clean end on shutdown. */
export function timeServiceTests({ target }: SuiteContext): void {
  describe("time services and shutdown", () => {
    let server: RunningSundial | undefined;
    beforeAll(async () => {
      server = await startSundial(target, [path.join(REPO_ROOT, "static"), "--daytime-port", "0", "--time-port", "0"], {
        TZ: "UTC",
      });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("RFC 867 Daytime: one line of text with the current time, then close", async () => {
      const text = (await readAll(await printedPort(server!, "Daytime"))).toString();
      expect(text).toMatch(/^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4} \d\d:\d\d:\d\d-UTC\r\n$/);
      const now = new Date();
      expect(text).toContain(String(now.getUTCFullYear()));
    });

    it("RFC 868 Time: four bytes, seconds since 1900, within 2 s of this clock", async () => {
      const bytes = await readAll(await printedPort(server!, "Time"));
      expect(bytes.length).toBe(4);
      const seconds = bytes.readUInt32BE(0) - 2_208_988_800;
      expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(2);
    });

    it("on SIGTERM an open event stream ends cleanly (last chunk), and the process exits 0", async () => {
      const stream = rawExchange(server!.port, "GET /time HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n", {
        timeoutMs: 8000,
      });
      await new Promise((r) => setTimeout(r, 1200));
      const exited = new Promise<number | null>((resolve) => server!.process.once("exit", (code) => resolve(code)));
      server!.process.kill("SIGTERM");
      const result = await stream;
      expect(result.closed).toBe(true);
      const text = result.data.toString();
      expect(text).toContain("data: ");
      expect(text.endsWith("\r\n0\r\n\r\n"), JSON.stringify(text.slice(-40))).toBe(true);
      // One response, chunked, ended by its last chunk: nothing cut short, nothing after it.
      const responses = parseResponses(result.data, { ended: true });
      expect(responses.map((r) => [r.status, r.framing, r.complete])).toEqual([[200, "chunked", true]]);
      expect(await exited).toBe(0);
    }, 15_000);
  });
}
