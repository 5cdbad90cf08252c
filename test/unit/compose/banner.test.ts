import { describe, expect, it } from "vitest";
import { authLine, type BannerFacts, bannerLines, networkAddresses } from "../../../src/compose/banner.ts";
import { userTable } from "../../../src/auth/credentials.ts";

const FACTS: BannerFacts = {
  runtime: "node 20.20.2",
  version: "0.1.0",
  root: "/srv/site",
  appModule: null,
  host: "",
  boundHost: "::",
  port: 8000,
  scheme: "http",
  tlsLines: [],
  redirectPort: null,
  daytimePort: null,
  timePort: null,
  adminPort: null,
  networkAddresses: ["192.0.2.10"],
  auth: null,
};

describe("bannerLines", () => {
  it("says what is served and where, every interface with Local and Network lines", () => {
    expect(bannerLines(FACTS)).toEqual([
      "sundial 0.1.0 (node 20.20.2)",
      "Serving /srv/site",
      "  Local:   http://localhost:8000/",
      "  Network: http://192.0.2.10:8000/",
    ]);
  });

  it("one host: one Local line; an app without a folder; every listener beside the main one", () => {
    expect(bannerLines({
      ...FACTS,
      root: null,
      appModule: "./app.mjs",
      host: "::1",
      scheme: "https",
      tlsLines: ["  TLS:     cert.pem (kill -HUP reloads it)"],
      redirectPort: 8080,
      daytimePort: 1313,
      timePort: 1337,
      adminPort: 9090,
    })).toEqual([
      "sundial 0.1.0 (node 20.20.2)",
      "Serving no files (--app without a folder): /time and the app",
      "  App:     ./app.mjs (for what /time and the files do not answer)",
      "  Local:   https://[::1]:8000/",
      "  TLS:     cert.pem (kill -HUP reloads it)",
      "  Redirect: http://[::1]:8080/ -> https (308)",
      "  Daytime: tcp://[::1]:1313 (RFC 867)",
      "  Time:    tcp://[::1]:1337 (RFC 868)",
      "  Admin:   http://[::1]:9090/healthz, readyz, metrics",
    ]);
  });

  it("every interface: the services and the admin port name the address actually bound", () => {
    const lines = bannerLines({ ...FACTS, boundHost: "0.0.0.0", daytimePort: 13, adminPort: 9090 });
    expect(lines.slice(-2)).toEqual([
      "  Daytime: tcp://0.0.0.0:13 (RFC 867)",
      "  Admin:   http://0.0.0.0:9090/healthz, readyz, metrics",
    ]);
  });
});

describe("networkAddresses", () => {
  it("keeps IPv4 addresses that are not loopback (Deno does not say internal: 127/8 counts as such)", () => {
    expect(networkAddresses([
      { family: "IPv4", address: "127.0.0.1", internal: true },
      { family: "IPv4", address: "127.0.1.1" },
      { family: "IPv6", address: "fe80::1", internal: false },
      { family: "IPv4", address: "192.0.2.10", internal: false },
    ])).toEqual(["192.0.2.10"]);
  });
});

describe("the Auth line", () => {
  it("says the number of users, the scope and the paths, before the Local line", () => {
    const lines = bannerLines({ ...FACTS, auth: { users: 2, scope: "all", paths: [] } });
    expect(lines.slice(1, 4)).toEqual([
      "Serving /srv/site",
      "  Auth:    HTTP Basic, 2 users, every request",
      "  Local:   http://localhost:8000/",
    ]);
    expect(authLine({ users: 1, scope: "writes", paths: [] })).toBe("  Auth:    HTTP Basic, 1 user, writes");
    expect(authLine({ users: 3, scope: "writes", paths: ["/private", "/admin"] })).toBe(
      "  Auth:    HTTP Basic, 3 users, writes under /private, /admin",
    );
    expect(authLine({ users: 0, scope: "all", paths: ["/private"] })).toBe(
      "  Auth:    HTTP Basic, 0 users, every request under /private",
    );
  });

  it("is absent without authentication", () => {
    expect(bannerLines(FACTS).some((line) => line.includes("Auth:"))).toBe(false);
  });
});

describe("the Auth line of real users", () => {
  it("names no password, no digest and no user", async () => {
    const table = await userTable([
      { user: "alice", kind: "plain", password: "hunter2" },
      { user: "bob", kind: "hashed", algorithm: "SHA-256", digest: new Uint8Array(32).fill(0xab) },
    ]);
    const lines = bannerLines({ ...FACTS, auth: { users: table.size, scope: "all", paths: ["/private"] } });
    const text = lines.join("\n");
    expect(text).toContain("  Auth:    HTTP Basic, 2 users, every request under /private");
    for (const secret of ["hunter2", "abab", "alice", "bob"]) expect(text).not.toContain(secret);
  });
});
