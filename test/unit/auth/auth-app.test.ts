import { describe, expect, it } from "vitest";
import type { App, RequestContext } from "../../../src/app.ts";
import { authApp, type AuthScope } from "../../../src/auth/auth-app.ts";
import { parseCredential, type UserTable, userTable } from "../../../src/auth/credentials.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import type { HttpResponse } from "../../../src/http/response.ts";
import { FakeClock } from "../../support/fake-ports.ts";
import { requestHead } from "../../support/request-head.ts";

function head(method: string, authorization: string | null): RequestHead {
  return requestHead(method, "/file.txt", authorization === null ? [] : [["authorization", authorization]]);
}

const context = (address: string): RequestContext => ({
  client: { address, port: 40000 },
  forwarded: null,
  body: null,
  onGone: () => {},
});

const OK: HttpResponse = { status: 200, headers: [], body: new Uint8Array() };
const inner: App = { handle: () => OK, headers: [["X-Policy", "1"]] };
const basic = (user: string, password: string): string => `Basic ${btoa(`${user}:${password}`)}`;

async function setUp(scope: AuthScope = "all") {
  const parsed = parseCredential("alice:secret");
  if (parsed.kind !== "ok") throw new Error(parsed.message);
  const users: UserTable = await userTable([parsed.credential]);
  const clock = new FakeClock(1_000_000);
  const lines: string[] = [];
  const app = authApp(inner, { users: () => users, scope, realm: "sundial" }, { clock, log: (l) => lines.push(l) });
  const ask = async (method: string, authorization: string | null, address = "203.0.113.5") =>
    await app.handle(head(method, authorization), context(address));
  return { app, clock, lines, ask };
}

const field = (response: HttpResponse, name: string): string | undefined =>
  response.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

describe("authApp", () => {
  it("passes the right user and password through, keeping the app's common fields", async () => {
    const { app, ask } = await setUp();
    expect(await ask("GET", basic("alice", "secret"))).toBe(OK);
    expect(app.headers).toEqual([["X-Policy", "1"]]);
  });

  it("answers 401 with the challenge, uncached, without credentials or with wrong ones", async () => {
    const { ask, lines } = await setUp();
    for (const given of [null, basic("alice", "wrong"), basic("bob", "secret"), "Bearer x"]) {
      const response = await ask("GET", given);
      expect(response.status).toBe(401);
      expect(field(response, "WWW-Authenticate")).toBe('Basic realm="sundial", charset="UTF-8"');
      expect(field(response, "Cache-Control")).toBe("no-store");
    }
    // A request without credentials is not a failed attempt; the others are logged with the address.
    expect(lines).toEqual([
      'sundial: auth: failed login from 203.0.113.5 for user "alice"',
      'sundial: auth: failed login from 203.0.113.5 for user "bob"',
      "sundial: auth: failed login from 203.0.113.5 for user (malformed credentials)",
    ]);
  });

  it("more than 10 failures in a minute from one address: 429 with Retry-After, even with the right password", async () => {
    const { ask, clock, lines } = await setUp();
    for (let i = 0; i < 10; i++) expect((await ask("GET", basic("alice", `no${i}`))).status).toBe(401);
    expect((await ask("GET", basic("alice", "no"))).status).toBe(401);
    expect(lines.at(-1)).toBe("sundial: auth: 203.0.113.5 blocked: too many failed logins in a minute");
    const blocked = await ask("GET", basic("alice", "secret"));
    expect(blocked.status).toBe(429);
    expect(field(blocked, "Retry-After")).toBe("60");
    expect(await ask("GET", basic("alice", "secret"), "203.0.113.6")).toBe(OK);
    clock.advance(60_000);
    expect(await ask("GET", basic("alice", "secret"))).toBe(OK);
  });

  it("scope writes: GET, HEAD and OPTIONS pass without credentials; other methods need them", async () => {
    const { ask } = await setUp("writes");
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(await ask(method, null)).toBe(OK);
    for (const method of ["PUT", "DELETE", "POST", "PATCH"]) expect((await ask(method, null)).status).toBe(401);
    expect(await ask("PUT", basic("alice", "secret"))).toBe(OK);
  });
});

describe("authApp with guardsPath (--auth-path)", () => {
  const at = (target: string, method: string): RequestHead => ({ ...head(method, null), target });
  async function guarded(scope: AuthScope) {
    const parsed = parseCredential("alice:secret");
    if (parsed.kind !== "ok") throw new Error(parsed.message);
    const users = await userTable([parsed.credential]);
    const guardsPath = (h: RequestHead): boolean => h.target.startsWith("/private");
    const app = authApp(inner, { users: () => users, scope, realm: "sundial", guardsPath }, {
      clock: new FakeClock(0),
      log: () => {},
    });
    return async (target: string, method = "GET") => await app.handle(at(target, method), context("203.0.113.9"));
  }

  it("only requests under the paths need a password", async () => {
    const ask = await guarded("all");
    expect(await ask("/public.txt")).toBe(OK);
    expect(await ask("/public.txt", "PUT")).toBe(OK);
    expect((await ask("/private/x")).status).toBe(401);
  });

  it("with scope writes: only writes under the paths", async () => {
    const ask = await guarded("writes");
    expect(await ask("/private/x")).toBe(OK);
    expect(await ask("/public.txt", "PUT")).toBe(OK);
    expect((await ask("/private/x", "PUT")).status).toBe(401);
  });
});
