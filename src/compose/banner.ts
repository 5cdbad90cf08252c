/** The lines that say where a sundial listens (stderr, like vite, serve and miniserve print them). */
import { httpUrl, isEveryInterface } from "../server/listen-url.ts";
import type { NetworkInterface } from "./deps.ts";

/** What the banner says: what is served, and where each listener ended up. */
export interface BannerFacts {
  readonly runtime: string;
  readonly version: string;
  /** The folder served; null: none. */
  readonly root: string | null;
  /** The --app module; null: none (or a handler in hand). */
  readonly appModule: string | null;
  readonly host: string;
  /** The address actually bound ("::" or "0.0.0.0" for every interface). */
  readonly boundHost: string;
  readonly port: number;
  readonly scheme: "http" | "https";
  readonly tlsLines: readonly string[];
  readonly redirectPort: number | null;
  readonly daytimePort: number | null;
  readonly timePort: number | null;
  readonly adminPort: number | null;
  readonly networkAddresses: readonly string[];
  /** HTTP Basic: how many users, which requests; null: off. Never a password or a digest. */
  readonly auth: AuthFacts | null;
}

export interface AuthFacts {
  readonly users: number;
  readonly scope: "all" | "writes";
  /** The --auth-path prefixes; empty: every path. */
  readonly paths: readonly string[];
}

export function bannerLines(facts: BannerFacts): string[] {
  const lines = [`sundial ${facts.version} (${facts.runtime})`];
  lines.push(
    facts.root === null ? "Serving no files (--app without a folder): /time and the app" : `Serving ${facts.root}`,
  );
  if (facts.appModule !== null) {
    lines.push(`  App:     ${facts.appModule} (for what /time and the files do not answer)`);
  }
  // Before the Local line, which tools wait for: what is served is all said by then.
  if (facts.auth !== null) lines.push(authLine(facts.auth));
  lines.push(...urlLines(facts.host, facts.port, facts.networkAddresses, facts.scheme));
  lines.push(...facts.tlsLines);
  if (facts.redirectPort !== null) {
    lines.push(
      `  Redirect: ${httpUrl(facts.host === "" ? "localhost" : facts.host, facts.redirectPort)} -> https (308)`,
    );
  }
  const bound = facts.host === "" ? facts.boundHost : facts.host;
  lines.push(...serviceLines(bound, facts.daytimePort, facts.timePort));
  if (facts.adminPort !== null) lines.push(`  Admin:   ${httpUrl(bound, facts.adminPort)}healthz, readyz, metrics`);
  return lines;
}

/** "  Auth:    HTTP Basic, 2 users, writes under /private": who may, and which requests ask. */
export function authLine(auth: AuthFacts): string {
  const users = `${auth.users} user${auth.users === 1 ? "" : "s"}`;
  const which = auth.scope === "all" ? "every request" : "writes";
  const where = auth.paths.length === 0 ? "" : ` under ${auth.paths.join(", ")}`;
  return `  Auth:    HTTP Basic, ${users}, ${which}${where}`;
}

/** The RFC 867 and RFC 868 listeners' lines. */
export function serviceLines(bound: string, daytimePort: number | null, timePort: number | null): string[] {
  const where = bound.includes(":") ? `[${bound}]` : bound;
  const lines: string[] = [];
  if (daytimePort !== null) lines.push(`  Daytime: tcp://${where}:${daytimePort} (RFC 867)`);
  if (timePort !== null) lines.push(`  Time:    tcp://${where}:${timePort} (RFC 868)`);
  return lines;
}

/** "Local:" and "Network:" lines. */
export function urlLines(
  host: string,
  port: number,
  networkAddresses: readonly string[],
  scheme: "http" | "https" = "http",
): string[] {
  if (!isEveryInterface(host)) return [`  Local:   ${httpUrl(host, port, scheme)}`];
  return [
    `  Local:   ${httpUrl("localhost", port, scheme)}`,
    ...networkAddresses.map((address) => `  Network: ${httpUrl(address, port, scheme)}`),
  ];
}

/** The addresses worth printing: IPv4, not loopback. */
export function networkAddresses(interfaces: ReadonlyArray<NetworkInterface>): string[] {
  return interfaces.filter((i) => i.family === "IPv4" && !(i.internal ?? i.address.startsWith("127."))).map((i) =>
    i.address
  );
}
