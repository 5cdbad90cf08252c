/**
 * The library's door to authentication (issue 24): serve({ auth }) guards the app as --auth
 * guards the site, and server.reloadAuth() reads auth.file again. In process, on Node's adapter
 * (the command line's door runs on every target in parts/auth-tests.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../runtime-adapters/node/serve.ts";
import type { Server } from "../../src/compose/server.ts";

const basic = (user: string, password: string): Record<string, string> => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
});

describe("serve({ auth })", () => {
  let server: Server;
  let folder: string;
  let usersFile: string;
  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-serve-auth-"));
    usersFile = path.join(folder, "users");
    fs.writeFileSync(usersFile, "carol:first\n");
    server = await serve({
      fetch: (request) => new Response(`${request.method} ok`),
      port: 0,
      hostname: "127.0.0.1",
      // A trusted proxy is taken to terminate TLS: no clear-text warning in the test's output.
      trustProxy: "127.0.0.1",
      auth: { users: ["alice:secret"], file: usersFile, scope: "writes" },
    }).ready();
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("scope writes: GET reaches the app; POST needs a user's password", async () => {
    expect(await (await fetch(server.url!)).text()).toBe("GET ok");
    const refused = await fetch(server.url!, { method: "POST" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Basic realm="sundial", charset="UTF-8"');
    const alice = await fetch(server.url!, { method: "POST", headers: basic("alice", "secret") });
    expect([alice.status, await alice.text()]).toEqual([200, "POST ok"]);
    expect((await fetch(server.url!, { method: "POST", headers: basic("carol", "first") })).status).toBe(200);
  });

  it("reloadAuth() reads auth.file again (its users after the inline ones)", async () => {
    fs.writeFileSync(usersFile, "dave:second\n");
    expect(await server.reloadAuth()).toEqual({ kind: "reloaded", message: `reloaded ${usersFile} (2 users)` });
    expect((await fetch(server.url!, { method: "POST", headers: basic("dave", "second") })).status).toBe(200);
    expect((await fetch(server.url!, { method: "POST", headers: basic("carol", "first") })).status).toBe(401);
  });
});
