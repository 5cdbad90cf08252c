import { parseCli, USAGE } from "./arguments.ts";
import { site, type SitePorts } from "../site/site.ts";
import type { Clock } from "../ports.ts";
import { type RawService, type RunningServer, type ServerPorts, startServer } from "../server/server.ts";
import { answerTimeService } from "../time/services.ts";
import { VERSION } from "../version.ts";

/** The server's ports and the site's (file system, compressor): main composes the two. */
export interface MainPorts extends ServerPorts, SitePorts {
  /** The runtime and its version, e.g. "node 20.20.2". */
  readonly runtime: string;
  /** This machine's network interfaces, for the "Network:" lines (empty when the runtime may not list them). */
  readonly networkInterfaces: () => ReadonlyArray<NetworkInterface>;
}

/** An interface address as node:os and Deno.networkInterfaces() both describe it. */
export interface NetworkInterface {
  readonly family: string;
  readonly address: string;
  /** Loopback; Deno does not say, so an address in 127.0.0.0/8 counts as internal there. */
  readonly internal?: boolean;
}

/** What the adapter does next: exit with a code, or keep running until a signal. */
export type MainResult = { readonly kind: "exit"; readonly code: number } | { readonly kind: "serving"; readonly server: RunningServer };

/** The whole program, shared by every adapter: parse the command line, start, print where. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  ports: MainPorts,
): Promise<MainResult> {
  const { output } = ports;
  const command = parseCli(argv, env);
  switch (command.kind) {
    case "help":
      output.out(USAGE);
      return { kind: "exit", code: 0 };
    case "version":
      output.out(`sundial ${VERSION} (${ports.runtime})`);
      return { kind: "exit", code: 0 };
    case "error":
      output.err(`sundial: ${command.message}`);
      output.err(USAGE);
      return { kind: "exit", code: 2 };
  }
  const root = await ports.fs.realPath(command.dir);
  const info = root === null ? null : await ports.fs.stat(root);
  if (root === null || info === null) {
    output.err(`sundial: folder not found: ${command.dir}`);
    return { kind: "exit", code: 1 };
  }
  if (info.kind !== "directory") {
    output.err(`sundial: not a folder: ${command.dir}`);
    return { kind: "exit", code: 1 };
  }
  // README, Path safety: the check of opened files is sound only where descriptors can be named.
  if (!ports.fs.namesOpenFiles) {
    output.err("sundial: warning: this runtime cannot name open files (Deno: /proc/self/fd needs --allow-all; macOS, Windows: no /proc), so whoever can rename entries inside the folder could race the symlink check");
  }
  const started = await startServer(ports, {
    app: site(ports, root, command.site),
    services: timeServices(command.daytimePort, command.timePort, ports.clock),
    limits: command.limits,
    maxConnections: command.maxConnections,
    maxConnectionsPerIp: command.maxConnectionsPerIp,
    capLoopback: command.capLoopback,
    host: command.host,
    port: command.port,
  });
  if (started.kind === "failed") {
    output.err(`sundial: ${listenFailure(started.code, command.host, started.port ?? command.port, started.message)}`);
    return { kind: "exit", code: 1 };
  }
  const server = started.server;
  output.out(`sundial ${VERSION} (${ports.runtime})`);
  output.out(`Serving ${root}`);
  for (const line of urlLines(command.host, server.port, () => networkAddresses(ports.networkInterfaces()))) output.out(line);
  const bound = command.host === "" ? server.host : command.host;
  const where = bound.includes(":") ? `[${bound}]` : bound;
  const daytime = server.servicePorts.get("daytime");
  const time = server.servicePorts.get("time");
  if (daytime !== undefined) output.out(`  Daytime: tcp://${where}:${daytime} (RFC 867)`);
  if (time !== undefined) output.out(`  Time:    tcp://${where}:${time} (RFC 868)`);
  return { kind: "serving", server };
}

function listenFailure(code: string, host: string, port: number, message: string): string {
  const where = `${host === "" ? "" : `${host}:`}${port}`;
  if (code === "EADDRINUSE") return `port ${port} is already in use (choose another with --port, or --port 0 for any free port)`;
  if (code === "EACCES") return `no permission to listen on ${where} (ports below 1024 need privileges)`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return `cannot listen on ${where}: address not available on this machine`;
  return `cannot listen on ${where}: ${message}`;
}

function urlFor(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

/** "Local:" and "Network:" lines, like vite, serve and miniserve print. */
export function urlLines(host: string, port: number, networkAddresses: () => string[]): string[] {
  const everywhere = host === "" || host === "0.0.0.0" || host === "::";
  if (!everywhere) return [`  Local:   ${urlFor(host, port)}`];
  const lines = [`  Local:   ${urlFor("localhost", port)}`];
  for (const address of networkAddresses()) lines.push(`  Network: ${urlFor(address, port)}`);
  return lines;
}

/** The addresses worth printing: IPv4, not loopback. */
function networkAddresses(interfaces: ReadonlyArray<NetworkInterface>): string[] {
  return interfaces.filter((i) => i.family === "IPv4" && !(i.internal ?? i.address.startsWith("127."))).map((i) => i.address);
}

/** RFC 867 Daytime and RFC 868 Time on raw TCP, for the ports asked for. */
function timeServices(daytimePort: number | null, timePort: number | null, clock: Clock): RawService[] {
  const services: RawService[] = [];
  if (daytimePort !== null) services.push({ name: "daytime", port: daytimePort, answer: (socket) => answerTimeService("daytime", socket, clock) });
  if (timePort !== null) services.push({ name: "time", port: timePort, answer: (socket) => answerTimeService("time", socket, clock) });
  return services;
}
