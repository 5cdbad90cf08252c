// bun bench/attacks/silent-tls.ts [REPO] [COUNT] [LIMIT] [HOLD_MS]: issue 22, finding 4. Each
// run form of REPO (default: this checkout) starts under `ulimit -n LIMIT` with --tls-self-signed
// and the default 10 s handshake timeout; COUNT TCP clients connect to it and send nothing.
// After HOLD_MS the server's descriptors are counted (/proc/PID/fd) and three TLS probes ask for
// /time. Then, with COUNT / 4 clients that finish their handshake and send nothing, the same
// count at --max-connections-per-ip 50 (the rest get the 503) and at --max-connections 50 (the
// rest evict the oldest): what the core closes must leave no descriptor behind either.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import { REPO_ROOT, startSundial, type Target } from "../../test/support/server-process.ts";
import { runForms } from "./targets.ts";

const [repo, count = "1300", limit = "1200", hold = "15000"] = process.argv.slice(2);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fds = (pid: number): number => fs.readdirSync(`/proc/${pid}/fd`).length;
const limited = (target: Target): Target => ({
  ...target,
  command: ["sh", "-c", `ulimit -n ${limit} && exec "$@"`, "sh", ...target.command],
});

/** The status of GET /time over TLS, or "none" (no answer within 5 s, or no connection). */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      socket.write("GET /time HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    });
    let text = "";
    const timer = setTimeout(() => done(), 5000);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? "none");
    };
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("end", done);
    socket.on("error", done);
  });
}

/** n clients: raw TCP that sends nothing, or TLS that finishes its handshake and then sends nothing. */
function clients(port: number, n: number, kind: "tcp" | "tls"): net.Socket[] {
  return Array.from({ length: n }, () => {
    const socket = kind === "tcp"
      ? net.connect({ host: "127.0.0.1", port })
      : tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false });
    socket.on("error", () => {});
    socket.on("data", () => {});
    return socket;
  });
}

async function scenario(
  target: Target,
  flags: string[],
  n: number,
  kind: "tcp" | "tls",
  holdMs: number,
): Promise<string> {
  const server = await startSundial(limited(target), [
    path.join(REPO_ROOT, "static"),
    "--quiet",
    "--tls-self-signed",
    ...flags,
  ]);
  const pid = server.process.pid!;
  await probe(server.port);
  await sleep(200);
  const baseline = fds(pid);
  const open = clients(server.port, n, kind);
  await sleep(holdMs);
  const held = fds(pid);
  const probes = [await probe(server.port), await probe(server.port), await probe(server.port)];
  // Those accepted late (past the descriptor limit) have their own timeout from then on.
  await sleep(kind === "tcp" ? 10_000 : 0);
  const later = fds(pid);
  for (const socket of open) socket.destroy();
  await server.stop();
  return `descriptors ${baseline} -> ${held}${kind === "tcp" ? ` (10 s later ${later})` : ""}, TLS probes: ${
    probes.join(" ")
  }`;
}

for (const target of runForms(repo)) {
  const silent = await scenario(target, [], Number(count), "tcp", Number(hold));
  console.log(
    `${target.name}: ${count} silent TLS clients, ulimit -n ${limit}, after ${Number(hold) / 1000} s: ${silent}`,
  );
  const quarter = Math.floor(Number(count) / 4);
  const perIp = await scenario(target, ["--max-connections-per-ip", "50"], quarter, "tls", 3000);
  console.log(`${target.name}: ${quarter} idle TLS clients at --max-connections-per-ip 50, after 3 s: ${perIp}`);
  const cap = await scenario(target, ["--max-connections", "50"], quarter, "tls", 3000);
  console.log(`${target.name}: ${quarter} idle TLS clients at --max-connections 50, after 3 s: ${cap}`);
}
