import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../../support/fixture.ts";
import { hasResponses, header, type ParsedResponse, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

import { lineMatching } from "../../support/wait.ts";

/** sha256("hashed"), as `printf %s hashed | sha256sum` prints it. */
const SHA256_HASHED = "1a06df824ed741b53c785079a6347f00eec5af82f9850775409ca69dff4068a6";

const basic = (user: string, password: string): string =>
  `Authorization: Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}\r\n`;

const request = (method: string, target: string, extra = ""): string =>
  `${method} ${target} HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`;

/** One request on a fresh raw TCP connection, from `localAddress` (127.0.0.1 unless said). */
async function ask(port: number, text: string, localAddress?: string): Promise<ParsedResponse> {
  const { data } = await rawExchange(port, text, { until: hasResponses(1), timeoutMs: 5000, localAddress });
  return parseResponses(data)[0]!;
}

/** Waits until the server's stderr holds a line matching `pattern` (up to 5 s). */
function errLine(server: RunningSundial, pattern: RegExp): Promise<string> {
  return lineMatching(() => server.stderr(), pattern, 5_000, "stderr");
}

/** HTTP Basic (issue 24): --auth, the hashed form, --auth-file and SIGHUP, --auth-scope writes, the 429. */
export function authTests({ target }: SuiteContext): void {
  describe.skipIf(target.skip !== undefined)("authentication: --auth, --auth-file, --auth-scope", () => {
    let fixture: Fixture;
    let folder: string;
    let usersFile: string;
    let all: RunningSundial;
    let writes: RunningSundial;
    beforeAll(async () => {
      fixture = createFixture();
      folder = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-auth-"));
      usersFile = path.join(folder, "users.txt");
      fs.writeFileSync(usersFile, "# who may write\ncarol:first\n");
      all = await startSundial(target, [
        fixture.root,
        "--health",
        "--auth",
        "alice:secret",
        "--auth",
        `bob:sha256:${SHA256_HASHED}`,
      ]);
      writes = await startSundial(target, [fixture.root, "--auth-file", usersFile, "--auth-scope", "writes"]);
    }, 60_000);
    afterAll(async () => {
      await all?.stop();
      await writes?.stop();
      fixture?.remove();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it("without TLS, the start warns that passwords cross the network in clear text", () => {
      expect(all.stderr()).toMatch(/warning: authentication without TLS: passwords cross the network in clear text/);
    });

    it("401 with a Basic challenge (realm, charset UTF-8) without credentials or with wrong ones", async () => {
      for (const extra of ["", basic("alice", "wrong"), basic("nobody", "secret")]) {
        const response = await ask(all.port, request("GET", "/hello.txt", extra));
        expect(response.status).toBe(401);
        expect(header(response, "www-authenticate")).toBe('Basic realm="sundial", charset="UTF-8"');
        expect(response.body.toString()).not.toContain("hello world");
      }
      // The failed attempts are logged with the client's address (fail2ban reads these lines).
      await errLine(all, /^sundial: auth: failed login from 127\.0\.0\.1 for user "alice"$/);
    });

    it("200 with a user's password, plain or given as its SHA-256 digest", async () => {
      const alice = await ask(all.port, request("GET", "/hello.txt", basic("alice", "secret")));
      expect([alice.status, alice.body.toString()]).toEqual([200, "hello world\n"]);
      const bob = await ask(all.port, request("GET", "/hello.txt", basic("bob", "hashed")));
      expect(bob.status).toBe(200);
    });

    it("health probes need no password", async () => {
      expect((await ask(all.port, request("GET", "/healthz"))).status).toBe(200);
    });

    it("more than 10 failures in a minute from one address: 429 with Retry-After, that address only", async () => {
      for (let i = 0; i < 11; i++) {
        expect((await ask(all.port, request("GET", "/", basic("alice", `guess${i}`)), "127.0.0.3")).status).toBe(401);
      }
      const blocked = await ask(all.port, request("GET", "/", basic("alice", "secret")), "127.0.0.3");
      expect(blocked.status).toBe(429);
      expect(Number(header(blocked, "retry-after"))).toBeGreaterThan(0);
      await errLine(all, /^sundial: auth: 127\.0\.0\.3 blocked: too many failed logins in a minute$/);
      expect((await ask(all.port, request("GET", "/hello.txt", basic("alice", "secret")))).status).toBe(200);
    });

    it("--auth-scope writes: reading needs no password, writing does", async () => {
      expect((await ask(writes.port, request("GET", "/hello.txt"))).status).toBe(200);
      expect((await ask(writes.port, request("HEAD", "/hello.txt"))).status).toBe(200);
      expect((await ask(writes.port, request("PUT", "/new.txt"))).status).toBe(401);
      expect((await ask(writes.port, request("DELETE", "/hello.txt"))).status).toBe(401);
      // Past authentication, the site answers as it does to anyone (it has no writes of its own yet).
      expect((await ask(writes.port, request("PUT", "/new.txt", basic("carol", "first")))).status).not.toBe(401);
    });

    it.skipIf(process.platform === "win32")(
      "SIGHUP reads --auth-file again; a broken file keeps the users",
      async () => {
        fs.writeFileSync(usersFile, "dave:second\n");
        writes.process.kill("SIGHUP");
        await errLine(writes, /^sundial: SIGHUP: reloaded .*users\.txt \(1 user\)$/);
        expect((await ask(writes.port, request("PUT", "/x", basic("dave", "second")))).status).not.toBe(401);
        expect((await ask(writes.port, request("PUT", "/x", basic("carol", "first")))).status).toBe(401);
        fs.writeFileSync(usersFile, "broken\n");
        writes.process.kill("SIGHUP");
        await errLine(writes, /^sundial: SIGHUP: --auth-file: .*line 1: .*; still using the users before$/);
        expect((await ask(writes.port, request("PUT", "/x", basic("dave", "second")))).status).not.toBe(401);
      },
    );
  });
}
