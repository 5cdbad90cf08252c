import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Consumer,
  CONSUMER_RUNTIMES,
  denoCheck,
  packAndInstall,
  startApp,
  typecheck,
} from "../support/package-consumer.ts";
import { chatClient } from "../support/hono-chat.ts";
import { haveOpenssl, makeCertificates } from "../support/tls-certs.ts";
import { until } from "../support/wait.ts";

/**
 * sundial as an npm package (issue 14): the tarball `npm pack` makes, installed into another
 * project, runs a Hono app with `import { serve } from "sundial"` on Node, Bun and Deno, each
 * on its own build (package.json's exports conditions), and types a strict TypeScript consumer.
 * Deno needs nothing more: with a package.json beside the app it resolves bare specifiers from
 * node_modules (its "manual" node_modules mode) and picks the "deno" condition.
 */
describe("the npm package", () => {
  let consumer: Consumer | undefined;
  beforeAll(() => {
    consumer = packAndInstall();
  }, 180_000);
  afterAll(() => consumer?.remove());

  it("the tarball holds the library, its declarations and the README, nothing else", () => {
    const packed = consumer!.packed;
    for (
      const file of [
        "package.json",
        "README.md",
        "LICENSE",
        "dist/sundial.mjs",
        "dist/lib/node.js",
        "dist/lib/bun.js",
        "dist/lib/deno.js",
        "dist/lib/index.d.ts",
      ]
    ) expect(packed).toContain(file);
    const stray = packed.filter((p) =>
      !["package.json", "README.md", "LICENSE", "dist/sundial.mjs"].includes(p) &&
      !(p.startsWith("dist/lib/") && /\.(js|d\.ts)$/.test(p))
    );
    expect(stray).toEqual([]);
  });

  it("the command line comes with it: npx sundial --version in the consumer", () => {
    const result = spawnSync("npx", ["--no-install", "sundial", "--version"], {
      cwd: consumer!.dir,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^sundial \d+\.\d+\.\d+ \(node /);
  });

  it("nothing in the installed package imports a .ts file or a path outside the package", () => {
    const root = path.join(consumer!.dir, "node_modules", "sundial");
    const bad: string[] = [];
    for (const file of listFiles(path.join(root, "dist", "lib"))) {
      for (const specifier of importSpecifiers(fs.readFileSync(file, "utf8"))) {
        const where = `${path.relative(root, file)}: ${specifier}`;
        if (/\.(ts|tsx|mts|cts)$/.test(specifier) && !specifier.endsWith(".d.ts")) bad.push(`${where} (a .ts file)`);
        // Built-ins (the Bun build names them without node:).
        if (builtinModules.includes(specifier.replace(/^node:/, ""))) continue;
        // sundial/hono imports the app's own hono (an optional peer dependency of that subpath only).
        const honoHelper = file.endsWith(`${path.sep}hono.js`) ||
          file.endsWith(path.join("runtime-adapters", "hono", "index.d.ts"));
        if (honoHelper && specifier.startsWith("hono/")) continue;
        if (!specifier.startsWith(".")) {
          bad.push(`${where} (a package: sundial has no dependencies)`);
          continue;
        }
        const target = path.resolve(path.dirname(file), specifier);
        const inside = target.startsWith(root + path.sep);
        // A declaration's "./x.js" is x.d.ts.
        const exists = fs.existsSync(target) || fs.existsSync(target.replace(/\.js$/, ".d.ts"));
        if (!inside || !exists) bad.push(`${where} (${inside ? "missing" : "outside the package"})`);
      }
    }
    expect(bad).toEqual([]);
  });

  for (const runtime of CONSUMER_RUNTIMES) {
    if (runtime.skip !== undefined) {
      it.skip(`${runtime.name}: skipped: ${runtime.skip}`, () => {});
      continue;
    }
    it(`${runtime.name} app.mjs: import { serve } from "sundial" serves a Hono app on its own build`, async () => {
      const app = await startApp(runtime, consumer!.dir);
      let stopped: { code: number | null; killed: boolean } | undefined;
      try {
        expect(app.entry).toBe(
          pathToFileURL(path.join(consumer!.dir, "node_modules", "sundial", "dist", "lib", `${runtime.name}.js`)).href,
        );
        expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

        const hi = await fetch(app.url);
        expect(await summary(hi)).toEqual({
          status: 200,
          body: "hi",
          headers: {
            "content-type": expect.stringMatching(/^text\/plain;\s*charset=utf-8$/i),
            "content-length": "2",
            server: expect.stringMatching(/^sundial\/\d/),
          },
        });

        const sent = { greeting: "grüß dich", list: [1, 2, 3], nested: { ok: true } };
        const echo = await fetch(new URL("/echo", app.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(sent),
        });
        expect(await summary(echo)).toEqual({
          status: 200,
          body: JSON.stringify(sent),
          headers: {
            "content-type": expect.stringMatching(/^application\/json\b/),
            "content-length": String(Buffer.byteLength(JSON.stringify(sent))),
            server: expect.any(String),
          },
        });

        const ip = await fetch(new URL("/ip", app.url));
        expect(await summary(ip)).toMatchObject({ status: 200, body: "127.0.0.1" });

        const missing = await fetch(new URL("/nowhere", app.url));
        expect(await summary(missing)).toMatchObject({ status: 404, body: "404 Not Found" });
      } finally {
        stopped = await app.stop();
      }
      // SIGTERM runs the app's close(): it must finish, print "closed", and leave nothing that keeps the process alive.
      expect(
        { ...stopped, closed: app.output().includes("closed") },
        `SIGTERM, then close() (killed: it did not finish within 5 s); output:\n${app.output()}`,
      ).toEqual({ code: 0, killed: false, closed: true });
    }, 60_000);
  }

  for (const runtime of CONSUMER_RUNTIMES) {
    if (runtime.skip !== undefined) continue;
    it(`${runtime.name} chat.mjs: upgradeWebSocket from "sundial/hono" echoes over a WebSocket`, async () => {
      const app = await startApp(runtime, consumer!.dir, "chat.mjs");
      try {
        expect(app.entry).toBe(
          pathToFileURL(path.join(consumer!.dir, "node_modules", "sundial", "dist", "lib", "hono.js")).href,
        );
        const client = await chatClient(`${app.url.replace(/^http/, "ws")}ws`);
        client.send("hi");
        expect(await client.next()).toBe("echo hi");
        expect(await client.close()).toBe(1000);
      } finally {
        await app.stop();
      }
    }, 60_000);
  }

  for (const runtime of CONSUMER_RUNTIMES) {
    if (runtime.skip !== undefined || !haveOpenssl()) {
      it.skip(`${runtime.name} options.mjs: skipped: ${runtime.skip ?? "openssl is missing"}`, () => {});
      continue;
    }
    it(
      `${runtime.name} options.mjs: every command-line capability is a serve() option of the same meaning`,
      async () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-options-"));
        const certs = makeCertificates();
        fs.mkdirSync(path.join(work, "site"));
        fs.writeFileSync(path.join(work, "site", "hello.txt"), "hello\n");
        fs.mkdirSync(path.join(work, "files", "inbox"), { recursive: true });
        const app = await startApp(
          runtime,
          consumer!.dir,
          "options.mjs",
          [work, certs.chain, certs.key],
          /^ports (.+)$/m,
        );
        try {
          const ports = JSON.parse(app.url) as Record<string, number>;
          const plain = `http://127.0.0.1:${ports.plain}`;
          // static + basePath + headers
          const file = await fetch(`${plain}/base/hello.txt`);
          expect([file.status, await file.text(), file.headers.get("x-frame-options")]).toEqual([
            200,
            "hello\n",
            "DENY",
          ]);
          // trustProxy: a trusted peer's X-Forwarded-For names the client
          const forwarded = await fetch(`${plain}/ip`, { headers: { "x-forwarded-for": "203.0.113.9" } });
          expect(await forwarded.text()).toBe("203.0.113.9");
          // proxyProtocol: a trusted peer may open with a PROXY header
          const proxied = await rawExchange(
            ports.plain!,
            "PROXY TCP4 198.51.100.7 127.0.0.1 5555 80\r\nGET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
          );
          expect(proxied).toMatch(/^HTTP\/1\.1 200[\s\S]*\r\n\r\n198\.51\.100\.7$/);
          // health and metrics on the admin port; the main port leaves /healthz to the app
          const health = await fetch(`http://127.0.0.1:${ports.admin}/healthz`);
          expect([health.status, await health.text()]).toEqual([200, "ok\n"]);
          expect(await (await fetch(`http://127.0.0.1:${ports.admin}/metrics`)).text()).toMatch(/^sundial_/m);
          expect(await (await fetch(`${plain}/healthz`)).text()).toBe("app /healthz");
          // RFC 867 Daytime on its own port
          expect(await rawExchange(ports.daytime!, "")).toMatch(/\d{4}/);
          expect(ports.time).toBeGreaterThan(0);
          // TLS from files, the redirect, and a reload
          const secure = await httpsGet(ports.secure!, certs.caCert);
          expect(secure).toEqual({ status: 200, body: "app /" });
          const redirect = await fetch(`http://127.0.0.1:${ports.redirect}/x`, { redirect: "manual" });
          expect([redirect.status, redirect.headers.get("location")]).toEqual([
            308,
            `https://127.0.0.1:${ports.secure}/x`,
          ]);
          // static.upload, mkdir, maxUpload, allowDelete, archives; auth.paths with scope writes
          const files = `http://127.0.0.1:${ports.files}`;
          expect((await fetch(`${files}/new/a.txt`, { method: "PUT", body: "alpha" })).status).toBe(201);
          expect((await fetch(`${files}/big.bin`, { method: "PUT", body: "x".repeat(101) })).status).toBe(413);
          expect((await fetch(`${files}/inbox/b.txt`, { method: "PUT", body: "b" })).status).toBe(401);
          const alice = { Authorization: `Basic ${Buffer.from("alice:secret").toString("base64")}` };
          expect((await fetch(`${files}/inbox/b.txt`, { method: "PUT", body: "b", headers: alice })).status).toBe(201);
          const tar = await fetch(`${files}/new/?download=tar`);
          expect([tar.status, tar.headers.get("content-type")]).toEqual([200, "application/x-tar"]);
          expect(Buffer.from(await tar.arrayBuffer()).includes(Buffer.from("alpha"))).toBe(true);
          expect((await fetch(`${files}/new/a.txt`, { method: "DELETE" })).status).toBe(204);
          expect(fs.existsSync(path.join(work, "files", "new", "a.txt"))).toBe(false);
          process.kill(app.pid, "SIGHUP");
          await until(() => /^reload /m.test(app.output()), 10_000);
          expect(app.output()).toContain(`reload {"kind":"reloaded","message":"reloaded ${certs.chain}"}`);
        } finally {
          const stopped = await app.stop();
          certs.remove();
          expect(stopped, app.output()).toEqual({ code: 0, killed: false });
        }
        // accessLog: JSON lines in the file, written out by close(), the forwarded client named
        const log = fs.readFileSync(path.join(work, "access.log"), "utf8").trim().split("\n");
        fs.rmSync(work, { recursive: true, force: true });
        expect(log.map((line) => (JSON.parse(line) as { client: string }).client)).toContain("203.0.113.9");
      },
      60_000,
    );
  }

  it(
    "types: a strict TypeScript consumer compiles against the declarations, and the declarations need no @types/node",
    async () => {
      const [app, types] = await Promise.all([
        typecheck(consumer!.dir, "tsconfig.json"),
        typecheck(consumer!.dir, "tsconfig.types.json"),
      ]);
      expect(app, app.output).toEqual({ code: 0, output: "" });
      expect(types, types.output).toEqual({ code: 0, output: "" });
    },
    120_000,
  );

  const deno = CONSUMER_RUNTIMES.find((r) => r.name === "deno")!;
  if (deno.skip !== undefined) it.skip(`types: deno check app.ts: skipped: ${deno.skip}`, () => {});
  else {
    it("types: deno check app.ts takes the same declarations from node_modules", async () => {
      const checked = await denoCheck(consumer!.dir, deno);
      expect(checked, checked.output).toEqual({ code: 0, output: "" });
    }, 120_000);
  }
});

/** Writes `text` to a fresh TCP connection and reads until the server closes it. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    let received = "";
    socket.on("data", (d) => (received += d.toString("latin1")));
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error("no close within 10 s")));
  });
}

function httpsGet(port: number, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get({ host: "127.0.0.1", port, path: "/", ca: fs.readFileSync(ca) }, (response) => {
      let body = "";
      response.on("data", (d) => (body += d));
      response.on("end", () => resolve({ status: response.statusCode!, body }));
    });
    request.on("error", reject);
  });
}

/** What the test compares of a response: its status, body and the fields it checks. */
async function summary(
  response: Response,
): Promise<{ status: number; body: string; headers: Record<string, string | null> }> {
  const headers: Record<string, string | null> = {};
  for (const name of ["content-type", "content-length", "server"]) headers[name] = response.headers.get(name);
  return { status: response.status, body: await response.text(), headers };
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The specifiers of static imports and re-exports, dynamic imports and import types. */
function importSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (
    const match of text.matchAll(
      /(?:^|[\s;])(?:import|export)\b[^"'`;]*?\bfrom\s*(["'])([^"']+)\1|\bimport\s*\(\s*(["'])([^"']+)\3\s*\)|^import\s*(["'])([^"']+)\5/gm,
    )
  ) {
    found.push(match[2] ?? match[4] ?? match[6]!);
  }
  return found;
}
