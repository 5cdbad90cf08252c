import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { REPO_ROOT, type RunningSundial, startSundial } from "../../support/server-process.ts";
import { until } from "../../support/wait.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "contract-app.mjs");

/**
 * The fetch contract as apps rely on it (issue 25): the request an app gets can be printed,
 * copied, cloned and forwarded as a real one can, on every runtime; a status the server cannot
 * honour (1xx, or 101 without an upgrade) is a 500 and a log line, never a hung client.
 */
export function appContractTests({ target }: SuiteContext): void {
  describe("--app: the request is a Request in every way an app uses it", () => {
    let app: RunningSundial;
    let base: string;
    beforeAll(async () => {
      app = await startSundial(target, [os.tmpdir(), "--app", APP]);
      base = `http://127.0.0.1:${app.port}`;
    }, 60_000);
    afterAll(async () => {
      await app.stop();
    });

    it("console.log and util.inspect print the request and its headers as real ones print", async () => {
      const response = await fetch(`${base}/inspect`, { headers: { "x-a": "1" } });
      expect(response.status).toBe(200);
      const printed = await response.json() as { request: string; headers: string };
      // Node prints "Request {", Deno "Request {", Bun's util.inspect "Request {}" as for a real one.
      expect(printed.request).toMatch(/^Request \{/);
      expect(printed.headers).toMatch(/^Headers \{/);
      if (!target.name.startsWith("bun")) {
        expect(printed.request).toContain(`/inspect`);
        expect(printed.headers).toMatch(/x-a['"]?: ['"]1['"]/);
      }
      await until(() => app.stderr().includes("Request"), 2_000);
      expect(app.stderr()).not.toMatch(/TypeError|Illegal invocation/);
    });

    it("new Request(request) copies method, URL, fields and body", async () => {
      const response = await fetch(`${base}/copy`, { method: "POST", headers: { "x-a": "1" }, body: "hello" });
      expect(await response.json()).toEqual({ method: "POST", url: `${base}/copy`, a: "1", body: "hello" });
    });

    it("new Request(request, init) overrides as the init says, keeping the body", async () => {
      const response = await fetch(`${base}/copy-init`, { method: "POST", body: "body" });
      expect(await response.json()).toEqual({ method: "PUT", b: "2", body: "body" });
    });

    it("request.clone() gives the body twice", async () => {
      const response = await fetch(`${base}/clone`, { method: "POST", body: "twice" });
      expect(await response.json()).toEqual({ first: "twice", second: "twice" });
    });

    it("a proxy forwards the request it got with fetch(new Request(url, request)), body streamed", async () => {
      const body = "x".repeat(300_000);
      const response = await fetch(`${base}/proxy?q=1`, {
        method: "POST",
        headers: { "x-a": "forwarded", "x-upstream": base },
        body,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-method")).toBe("POST");
      expect(response.headers.get("x-a")).toBe("forwarded");
      expect(await response.text()).toBe(body);
    });

    it("a proxy forwards new Request(request)'s body stream with fetch(url, init)", async () => {
      const response = await fetch(`${base}/proxy-fetch`, {
        method: "PUT",
        headers: { "x-upstream": base },
        body: "up",
      });
      expect(response.headers.get("x-method")).toBe("PUT");
      expect(await response.text()).toBe("up");
    });

    for (const status of [101, 103, 100]) {
      it(`an app's own ${status} is a 500 and a log line, and the connection goes on`, async () => {
        const request = `GET /status?s=${status} HTTP/1.1\r\nHost: t\r\n\r\nGET /echo HTTP/1.1\r\nHost: t\r\n\r\n`;
        const result = await rawExchange(app.port, request, {
          until: hasResponses(2),
          timeoutMs: 5_000,
        });
        const responses = parseResponses(result.data);
        expect(responses.map((r) => r.status)).toEqual([500, 200]);
        await until(() => app.stderr().includes(`answered ${status}`), 2_000);
      });
    }
  });

  describe("--app: the app's console.log and the access log", () => {
    it("share stdout by default; with --log FILE, stdout holds the app's output alone", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-applog-"));
      const file = path.join(dir, "access.log");
      const shared = await startSundial(target, [os.tmpdir(), "--app", APP]);
      const split = await startSundial(target, [os.tmpdir(), "--app", APP, "--log", file]);
      try {
        for (const server of [shared, split]) await (await fetch(`http://127.0.0.1:${server.port}/say`)).text();
        await until(() => shared.stdout().includes("GET /say") && split.stdout().includes("says hello"), 3_000);
        await until(() => fs.existsSync(file) && fs.readFileSync(file, "utf8").includes("GET /say"), 3_000);
        expect(shared.stdout()).toContain("the app says hello");
        expect(shared.stdout()).toContain('"GET /say HTTP/1.1" 200');
        expect(split.stdout().trim()).toBe("the app says hello");
        const log = fs.readFileSync(file, "utf8");
        expect(log).toContain('"GET /say HTTP/1.1" 200');
        expect(log).not.toContain("says hello");
      } finally {
        await shared.stop();
        await split.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
