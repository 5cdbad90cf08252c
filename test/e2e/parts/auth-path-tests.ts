import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, type ParsedResponse, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

const AUTH = `Authorization: Basic ${Buffer.from("alice:secret").toString("base64")}\r\n`;

/** One request as raw bytes (the path exactly as written, never normalised by a client library). */
async function ask(port: number, method: string, target: string, extra = "", body = ""): Promise<ParsedResponse> {
  const text =
    `${method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
  const { data } = await rawExchange(port, text, { until: hasResponses(1), timeoutMs: 5000 });
  return parseResponses(data)[0]!;
}

/**
 * --auth-path /private/ (issue 24): only what is under /private needs the password, judged on the
 * path as the file handler resolves it, so no spelling of a path reaches a private file without it.
 */
export function authPathTests({ target }: SuiteContext): void {
  describe.skipIf(target.skip !== undefined)("authentication for some paths: --auth-path", () => {
    let folder = "";
    let all: RunningSundial;
    let writes: RunningSundial;
    beforeAll(async () => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-auth-path-"));
      fs.mkdirSync(path.join(folder, "private"));
      fs.mkdirSync(path.join(folder, "pub"));
      fs.writeFileSync(path.join(folder, "private", "secret.txt"), "the secret\n");
      fs.writeFileSync(path.join(folder, "public.txt"), "public\n");
      fs.writeFileSync(path.join(folder, "privateer.txt"), "arr\n");
      fs.symlinkSync("../private/secret.txt", path.join(folder, "pub", "link.txt"));
      fs.symlinkSync("../private", path.join(folder, "pub", "dirlink"));
      const common = [folder, "--auth", "alice:secret", "--auth-path", "/private/"];
      all = await startSundial(target, [...common, "--archives"]);
      writes = await startSundial(target, [...common, "--auth-scope", "writes", "--upload"]);
    }, 60_000);
    afterAll(async () => {
      await all?.stop();
      await writes?.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it("the banner says so: the scope, the paths and the number of users", () => {
      expect(all.stderr()).toMatch(/^ {2}Auth: {4}HTTP Basic, 1 user, every request under \/private$/m);
      expect(writes.stderr()).toMatch(/^ {2}Auth: {4}HTTP Basic, 1 user, writes under \/private$/m);
      expect(all.stderr()).not.toContain("secret");
    });

    it("a private file needs the password however its path is spelled; other files do not", async () => {
      for (
        const spelling of [
          "/private/secret.txt",
          "/%70rivate/secret.txt",
          "//private/secret.txt",
          "/pub/../private/secret.txt",
          "/pub/%2e%2e/private/secret.txt",
          "/./private//secret.txt",
        ]
      ) {
        const response = await ask(all.port, "GET", spelling);
        expect([spelling, response.status]).toEqual([spelling, 401]);
        expect(response.body.toString()).not.toContain("the secret");
      }
      const authorised = await ask(all.port, "GET", "//private/secret.txt", AUTH);
      expect([authorised.status, authorised.body.toString()]).toEqual([200, "the secret\n"]);
      for (
        const [spelling, body] of [["/public.txt", "public\n"], ["/private/../public.txt", "public\n"], [
          "/privateer.txt",
          "arr\n",
        ]]
      ) {
        const response = await ask(all.port, "GET", spelling!);
        expect([spelling, response.status, response.body.toString()]).toEqual([spelling, 200, body]);
      }
    });

    it("the folder itself, its listing and an archive that would hold it need the password", async () => {
      expect((await ask(all.port, "GET", "/private/")).status).toBe(401);
      expect((await ask(all.port, "GET", "/private")).status).toBe(401);
      expect((await ask(all.port, "GET", "/?download=tar")).status).toBe(401);
      expect((await ask(all.port, "GET", "/pub/?download=tar")).status).toBe(200);
      expect((await ask(all.port, "GET", "/")).status).toBe(200);
    });

    it("no symlink carries a private file out to an open name: 404, left out of listings and archives", async () => {
      for (const spelling of ["/pub/link.txt", "/pub/dirlink/secret.txt", "/pub/dirlink/"]) {
        const response = await ask(all.port, "GET", spelling, AUTH);
        expect([spelling, response.status]).toEqual([spelling, 404]);
      }
      const listing = await ask(all.port, "GET", "/pub/");
      expect(listing.body.toString()).not.toContain("link.txt");
      const archive = await ask(all.port, "GET", "/pub/?download=tar");
      expect(archive.status).toBe(200);
      expect(archive.body.toString("latin1")).not.toContain("the secret");
    });

    it("a path the server refuses stays refused or guarded, never a private file", async () => {
      for (const spelling of ["/../private/secret.txt", "/private%2fsecret.txt"]) {
        const response = await ask(all.port, "GET", spelling);
        expect([400, 401]).toContain(response.status);
        expect(response.body.toString()).not.toContain("the secret");
      }
    });

    it("with --auth-scope writes: reading private files is open, writing under /private needs the password", async () => {
      expect((await ask(writes.port, "GET", "/private/secret.txt")).status).toBe(200);
      expect((await ask(writes.port, "PUT", "/%70rivate/new.txt", "", "x")).status).toBe(401);
      expect((await ask(writes.port, "PUT", "//private/new.txt", "", "x")).status).toBe(401);
      expect(fs.existsSync(path.join(folder, "private", "new.txt"))).toBe(false);
      expect((await ask(writes.port, "PUT", "/private/new.txt", AUTH, "x")).status).toBe(201);
      expect((await ask(writes.port, "PUT", "/open.txt", "", "y")).status).toBe(201);
      expect(fs.readFileSync(path.join(folder, "open.txt"), "utf8")).toBe("y");
    });
  });
}
