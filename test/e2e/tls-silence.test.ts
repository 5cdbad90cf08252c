/**
 * Clients that open a TCP connection to the TLS port and never send a byte (not even a
 * ClientHello) must cost the server nothing once the handshake timeout has passed: their sockets
 * closed, their descriptors free. Each target runs under a 200-descriptor limit with 300 such
 * clients, so a server that keeps them runs out of descriptors and stops answering TLS at all
 * (issue 22: Deno.listenTls kept every one; under `ulimit -n 1200`, 1,300 of them stopped Deno).
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, startSundial, type Target, TARGETS } from "../support/server-process.ts";
import { sleep, until } from "../support/wait.ts";

const DESCRIPTOR_LIMIT = 200;
const SILENT = 300;

/** The target started under `ulimit -n LIMIT` (the shell execs it: the pid stays the server's). */
function limited(target: Target, limit: number): Target {
  return { ...target, command: ["sh", "-c", `ulimit -n ${limit} && exec "$@"`, "sh", ...target.command] };
}

function openFds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** The status line of GET /time over TLS (the self-signed certificate is not checked), or why there is none. */
function tlsStatus(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      socket.write("GET /time HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    });
    let text = "";
    const timer = setTimeout(() => finish("no answer within 10 s"), 10_000);
    const finish = (outcome: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("end", () => finish(text.split("\r\n")[0] ?? ""));
    socket.on("error", (error) => finish(`error: ${error.message}`));
  });
}

/** A TCP connection that sends nothing; `ended` turns true when the server closes it (FIN or reset). */
function silentClient(port: number): { socket: net.Socket; ended: () => boolean } {
  let ended = false;
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.on("data", () => {});
  socket.on("end", () => (ended = true));
  socket.on("close", () => (ended = true));
  socket.on("error", () => (ended = true));
  return { socket, ended: () => ended };
}

for (const target of TARGETS) {
  describe.skipIf(target.skip !== undefined)(`silent TLS clients on ${target.name}`, () => {
    it(
      `closes ${SILENT} clients that send nothing at the handshake timeout, under a ${DESCRIPTOR_LIMIT}-descriptor limit: descriptors back to the baseline, TLS answered`,
      async () => {
        const server = await startSundial(limited(target, DESCRIPTOR_LIMIT), [
          path.join(REPO_ROOT, "static"),
          "--quiet",
          "--tls-self-signed",
          "--tls-handshake-timeout",
          "2s",
        ]);
        const clients: ReturnType<typeof silentClient>[] = [];
        try {
          const pid = server.process.pid!;
          // One exchange first, so that lazily opened descriptors count in the baseline.
          expect(await tlsStatus(server.port)).toBe("HTTP/1.1 200 OK");
          await sleep(200);
          const baseline = openFds(pid);
          for (let i = 0; i < SILENT; i++) clients.push(silentClient(server.port));
          // Every one is closed by the server: the first ones at 2 s, those waiting in the accept
          // queue (past the descriptor limit) 2 s after they are accepted. A server that keeps them never gets there.
          const allEnded = await until(() => clients.every((c) => c.ended()), 30_000);
          expect(clients.filter((c) => !c.ended()).length, "silent connections the server still holds after 30 s").toBe(
            0,
          );
          expect(allEnded).toBe(true);
          // A closed socket's descriptor goes at once; allow a moment for one freed in the same turn.
          await until(() => openFds(pid) <= baseline, 2000);
          expect(openFds(pid)).toBeLessThanOrEqual(baseline);
          for (let i = 0; i < 3; i++) expect(await tlsStatus(server.port)).toBe("HTTP/1.1 200 OK");
          expect(server.process.exitCode).toBeNull();
        } finally {
          for (const client of clients) client.socket.destroy();
          await server.stop();
        }
      },
      60_000,
    );
  });
}
