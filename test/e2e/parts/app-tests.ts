import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, type ParsedResponse, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { REPO_ROOT, type RunningSundial, runSundial, startSundial } from "../../support/server-process.ts";
import { rssMiB } from "../../support/slow-readers.ts";
import type { SuiteContext } from "../context.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "protocol-app.mjs");
const MIB = 1024 * 1024;

/** Sends raw bytes, waits for `count` responses (or the close), parses them. */
async function exchange(
  port: number,
  request: string,
  count = 1,
  heads?: boolean[],
): Promise<{ responses: ParsedResponse[]; closed: boolean; data: Buffer }> {
  const result = await rawExchange(port, request, { until: hasResponses(count, { heads }), timeoutMs: 5000 });
  return {
    responses: parseResponses(result.data, { heads, ended: result.closed }),
    closed: result.closed,
    data: result.data,
  };
}

const get = (target: string, extra = ""): string => `GET ${target} HTTP/1.1\r\nHost: t\r\n${extra}\r\n`;

/** Fetch-handler apps run with `sundial DIR --app MODULE` (issue 14), over raw TCP. */
export function appTests({ target }: SuiteContext): void {
  describe("--app: loading the module", () => {
    // Node 20 has no type stripping (22.18 has); Deno and Bun, and the Bun executable, load .ts.
    const nodeWithoutTypes = target.name.startsWith("node") && Number(process.versions.node.split(".")[0]) < 22;
    it(
      nodeWithoutTypes
        ? "a .ts app on Node 20: one line that says why, exit 1"
        : "a .ts app whose default export is a function",
      async () => {
        const app = path.join(REPO_ROOT, "test", "fixtures", "apps", "typed-app.ts");
        if (nodeWithoutTypes) {
          const result = await runSundial(target, [REPO_ROOT, "--app", app, "--port", "0"]);
          expect(result.code).toBe(1);
          expect(result.stderr.trim().split("\n")).toHaveLength(1);
          expect(result.stderr).toMatch(/cannot load this file type \(TypeScript needs Node 22\.18/);
          return;
        }
        const typed = await startSundial(target, [os.tmpdir(), "--app", app]);
        try {
          const { responses } = await exchange(typed.port, get("/not-a-file-here"));
          expect(responses[0]!.body.toString()).toBe("typed hello /not-a-file-here");
        } finally {
          await typed.stop();
        }
      },
    );
    it("without DIR, no files are served: /time and the app only (the app's folder is not a site)", async () => {
      const bare = await startSundial(target, ["--app", APP], {}, REPO_ROOT);
      try {
        const { responses } = await exchange(bare.port, get("/package.json") + get("/time"), 2);
        expect(responses[0]!.body.toString()).toBe("the app's own 404");
        expect(responses[1]!.status).toBe(200);
        expect(bare.stderr()).toContain("Serving no files");
      } finally {
        await bare.stop();
      }
    });
    it("a missing module or one without a fetch handler: one line, exit 1", async () => {
      const missing = await runSundial(target, [REPO_ROOT, "--app", "/nonexistent/app.mjs", "--port", "0"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^sundial: --app \/nonexistent\/app\.mjs: /);
      const notAnApp = await runSundial(target, [
        REPO_ROOT,
        "--app",
        path.join(REPO_ROOT, "test", "fixtures", "apps", "not-an-app.mjs"),
        "--port",
        "0",
      ]);
      expect(notAnApp.code).toBe(1);
      expect(notAnApp.stderr).toMatch(/its default export must be \{ fetch\(request\) \} or a function/);
    });
  });

  describe("--app: a fetch handler on the raw-TCP core", () => {
    let server: RunningSundial;
    let dir: string;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-app-"));
      fs.writeFileSync(path.join(dir, "file.txt"), "a static file\n");
      server = await startSundial(target, [dir, "--app", APP, "--max-body", "4k", "--body-timeout", "1s"]);
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("serves /time and files first, and the app in place of the 404 and for other methods", async () => {
      const { responses } = await exchange(
        server.port,
        get("/file.txt") + get("/hello") + `POST /file.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi` +
          get("/time"),
        4,
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 200]);
      expect(responses[0]!.body.toString()).toBe("a static file\n");
      expect(responses[1]!.body.toString()).toBe("Hello, world!");
      expect(responses[2]!.body.toString()).toBe("the app's own 404");
      expect(JSON.parse(responses[3]!.body.toString())).toHaveProperty("utc_datetime");
    });

    it("gives the app a Request: method, absolute URL from Host, combined headers, the client's address", async () => {
      const { responses } = await exchange(
        server.port,
        `GET /info?x=1 HTTP/1.1\r\nHost: example.test:81\r\nAccept: a\r\nAccept: b\r\n\r\n`,
      );
      const info = JSON.parse(responses[0]!.body.toString());
      expect(info).toMatchObject({
        method: "GET",
        url: "http://example.test:81/info?x=1",
        ip: "127.0.0.1",
        isRequest: true,
        accept: "a, b",
      });
      expect(info.port).toBeGreaterThan(0);
    });

    it("frames what the app answers: Content-Length for a known length, the same head for HEAD without the body", async () => {
      const { responses } = await exchange(
        server.port,
        get("/hello") + "HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n" + get("/hello"),
        3,
        [false, true, false],
      );
      expect(responses.map((r) => r.framing)).toEqual(["content-length", "none", "content-length"]);
      expect(responses[1]!.headers.get("content-length")).toBe("13");
      expect(responses[1]!.body.length).toBe(0);
      expect(responses[2]!.body.toString()).toBe("Hello, world!");
    });

    it("streams a body of unknown length chunked (HTTP/1.1) and to the close (HTTP/1.0)", async () => {
      const chunked = await exchange(server.port, get("/stream"));
      expect(chunked.responses[0]!.framing).toBe("chunked");
      expect(chunked.responses[0]!.body.toString()).toBe("piece 0\npiece 1\npiece 2\n");
      const old = await rawExchange(server.port, "GET /stream HTTP/1.0\r\n\r\n", { timeoutMs: 5000 });
      expect(old.closed).toBe(true);
      const [response] = parseResponses(old.data, { ended: true });
      expect(response!.framing).toBe("close");
      expect(response!.body.toString()).toBe("piece 0\npiece 1\npiece 2\n");
    });

    it("reads request bodies: Content-Length, chunked, pipelined behind each other on one connection", async () => {
      const body = "x".repeat(3000);
      const chunked = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
      const { responses, closed } = await exchange(
        server.port,
        `POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
          `POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}` + get("/hello"),
        3,
      );
      expect(responses.map((r) => r.body.toString())).toEqual([body, "hello world", "Hello, world!"]);
      expect(responses[0]!.headers.get("x-body-length")).toBe("3000");
      expect(closed).toBe(false);
    });

    it("streams a request body back as it arrives (request.body into the Response)", async () => {
      const { responses } = await exchange(
        server.port,
        `POST /echo-stream HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n`,
      );
      expect(responses[0]!.body.toString()).toBe("abcdef");
    });

    it("parses URL-encoded and multipart forms with formData()", async () => {
      const urlencoded = "a=1&b=two+words";
      const boundary = "XyZ";
      const multipart =
        `--${boundary}\r\nContent-Disposition: form-data; name="n"\r\n\r\nv\r\n--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\nfile!\r\n--${boundary}--\r\n`;
      const { responses } = await exchange(
        server.port,
        `POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${urlencoded.length}\r\n\r\n${urlencoded}` +
          `POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${multipart.length}\r\n\r\n${multipart}`,
        2,
      );
      expect(JSON.parse(responses[0]!.body.toString())).toEqual({ a: "1", b: "two words" });
      expect(JSON.parse(responses[1]!.body.toString())).toEqual({ n: "v", f: "file:f.txt:5" });
    });

    it("Expect: 100-continue: 100 when the app reads the body, and the final response at once when it never does", async () => {
      const socket = net.connect(server.port, "127.0.0.1");
      let data = "";
      socket.on("data", (d: Buffer) => (data += d.toString("latin1")));
      await new Promise((r) => socket.once("connect", r));
      socket.write("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      await waitFor(() => data.includes("\r\n\r\n"));
      expect(data).toBe("HTTP/1.1 100 Continue\r\n\r\n");
      socket.write("body");
      await waitFor(() => data.endsWith("body"));
      socket.destroy();
      const ignored = await rawExchange(
        server.port,
        "POST /ignore-body HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n",
        { until: hasResponses(1), timeoutMs: 3000 },
      );
      const [response] = parseResponses(ignored.data);
      expect(response!.interim).toEqual([]);
      expect(response!.body.toString()).toBe("not read");
      expect(response!.headers.get("connection")).toBe("close");
    });

    it("a body over --max-body is 413: by Content-Length before the app runs, chunked as it grows past", async () => {
      const declared = await exchange(server.port, `POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n`);
      expect(declared.responses[0]!.status).toBe(413);
      const piece = "x".repeat(1024);
      const chunks = Array.from({ length: 5 }, () => `400\r\n${piece}\r\n`).join("");
      const grown = await exchange(
        server.port,
        `POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`,
      );
      expect(grown.responses[0]!.status).toBe(413);
      expect(grown.responses[0]!.headers.get("connection")).toBe("close");
    });

    it("a body that stops coming is 408 after --body-timeout", async () => {
      const { responses } = await exchange(
        server.port,
        `POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly this`,
      );
      expect(responses[0]!.status).toBe(408);
    });

    it("an app that throws, rejects or answers no Response is a 500 and a log entry; the connection goes on", async () => {
      const { responses, closed } = await exchange(
        server.port,
        get("/throw") + get("/reject") + get("/not-a-response") + get("/hello"),
        4,
      );
      expect(responses.map((r) => r.status)).toEqual([500, 500, 500, 200]);
      expect(closed).toBe(false);
      await waitFor(() => server.stderr().includes("the app failed") && server.stderr().includes("the app rejected"));
    });

    it("a stream that fails mid-body ends the connection without the last chunk", async () => {
      const result = await rawExchange(server.port, get("/stream-error"), { timeoutMs: 5000 });
      expect(result.closed).toBe(true);
      const [response] = parseResponses(result.data, { ended: true });
      expect(response!.framing).toBe("chunked");
      expect(response!.complete).toBe(false);
      expect(response!.body.toString()).toBe("the start\n");
    });

    it("frames the message itself: the app's Connection, Keep-Alive, Transfer-Encoding, Upgrade and a wrong Content-Length are not passed on", async () => {
      const { responses, closed } = await exchange(server.port, get("/hop") + get("/hello"), 2);
      const hop = responses[0]!;
      for (const name of ["connection", "keep-alive", "transfer-encoding", "upgrade"]) {
        expect(hop.headers.get(name)).toBeUndefined();
      }
      expect(hop.headers.get("content-length")).toBe(String("framed by the server".length));
      expect(hop.headers.get("x-kept")).toBe("yes");
      expect(responses[1]!.status).toBe(200);
      expect(closed).toBe(false);
    });

    it("204 and 304 carry no body; 201 keeps its Location; each Set-Cookie stays its own field", async () => {
      const { responses } = await exchange(
        server.port,
        get("/no-content") + get("/not-modified") + get("/created") + get("/cookies"),
        4,
      );
      expect(responses.map((r) => [r.status, r.framing])).toEqual([[204, "none"], [304, "none"], [
        201,
        "content-length",
      ], [200, "content-length"]]);
      expect(responses[1]!.headers.get("etag")).toBe('"v1"');
      expect(responses[2]!.headers.get("location")).toBe("/things/1");
      expect(responses[3]!.headers.all("set-cookie")).toEqual(["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
    });

    it("request.signal aborts when the client goes away", async () => {
      const socket = net.connect(server.port, "127.0.0.1");
      await new Promise((r) => socket.once("connect", r));
      socket.write(get("/wait-abort"));
      await new Promise((r) => setTimeout(r, 200));
      socket.destroy();
      await waitFor(() => server.stderr().includes("app: request aborted"));
    });

    it(
      "a client reading a 1 GB generated stream at 1 MB/s for 10 s raises the server's RSS by at most 32 MB",
      async () => {
        const pid = server.process.pid!;
        const before = rssMiB(pid);
        let peak = before;
        const socket = net.connect(server.port, "127.0.0.1");
        await new Promise((r) => socket.once("connect", r));
        socket.write(get("/big?bytes=1000000000"));
        let received = 0;
        const started = Date.now();
        const allowed = (): number => ((Date.now() - started) / 1000) * MIB;
        socket.on("data", (d: Buffer) => {
          received += d.length;
          // 1 MB/s: stop reading when ahead of the pace (the server's socket then fills up).
          if (received >= allowed()) socket.pause();
        });
        while (Date.now() - started < 10_000) {
          await new Promise((r) => setTimeout(r, 50));
          if (received < allowed()) socket.resume();
          peak = Math.max(peak, rssMiB(pid));
        }
        socket.destroy();
        const seen = `received ${(received / MIB).toFixed(1)} MiB, RSS ${before.toFixed(0)} -> peak ${
          peak.toFixed(0)
        } MiB`;
        expect(received, seen).toBeGreaterThan(5 * MIB);
        expect(received, seen).toBeLessThan(20 * MIB);
        expect(peak - before, seen).toBeLessThanOrEqual(32);
      },
      30_000,
    );
  });
}

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
