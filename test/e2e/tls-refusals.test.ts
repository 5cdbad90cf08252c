/**
 * What a TLS server refuses, on every target (issue 22, findings 10 and 11):
 * - a second sundial on a port one already serves, plain or TLS, on the HTTPS port or on the
 *   plain --redirect-http one: "port in use", exit 1. (Bun opens a TLS listener with reusePort
 *   for its certificate reload; without a check, a second one joined the port and took a share
 *   of the connections.)
 * - a client-initiated TLS 1.2 renegotiation (openssl s_client's "R" command): the connection
 *   is closed (with an alert or without), never renegotiated, and the server serves on.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveOpenssl, makeCertificates, type TestCertificates } from "../support/tls-certs.ts";
import { REPO_ROOT, type RunningSundial, type Target, TARGETS } from "../support/server-process.ts";
import { until } from "../support/wait.ts";
import { startHttpsWithRedirect } from "../support/tls-server.ts";

type SecondStart = { readonly kind: "exited"; readonly code: number | null; readonly stderr: string } | {
  readonly kind: "serving";
  readonly stderr: string;
};

/** Starts a second sundial on `port`: how it ended, or "serving" if it printed its Local: line (then it is stopped). */
function secondOn(target: Target, port: number, args: readonly string[]): Promise<SecondStart> {
  const [command, ...rest] = target.command;
  const child = spawn(command!, [
    ...rest,
    path.join(REPO_ROOT, "static"),
    "--quiet",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    ...args,
  ], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (/Local:/.test(stderr)) child.kill("SIGKILL");
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve(/Local:/.test(stderr) ? { kind: "serving", stderr } : { kind: "exited", code, stderr });
    });
  });
}

interface Renegotiation {
  /** s_client's stdout and stderr. */
  readonly output: string;
  /** The connection ended before the client was done (the server closed it). */
  readonly closedByServer: boolean;
}

/**
 * A TLS 1.2 connection with openssl s_client that asks for a renegotiation ("R" on a line of its
 * own), then waits for the server to close it. A server that renegotiates keeps the connection:
 * after 5 s a GET is sent on it, and its answer shows that it went on.
 */
function renegotiate(port: number, caCert: string): Promise<Renegotiation> {
  const child = spawn("openssl", [
    "s_client",
    "-connect",
    `127.0.0.1:${port}`,
    "-servername",
    "localhost",
    "-tls1_2",
    "-CAfile",
    caCert,
  ], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  let asked = false;
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  child.stdin!.on("error", () => {}); // written after it ended
  const ended = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return (async () => {
    // The handshake is done once s_client has printed its session ("Verify return code").
    await until(() => /Verify return code/.test(output) || child.exitCode !== null, 10_000);
    if (child.exitCode === null) {
      child.stdin!.write("R\n");
      asked = true;
    }
    const closed = await Promise.race([
      ended.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000)),
    ]);
    if (!closed) {
      // s_client ends at the end of its stdin: that comes once the answer is in (or 5 s).
      child.stdin!.write("GET /time HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      await until(() => /HTTP\/1\.1 \d{3}/.test(output) || child.exitCode !== null, 5000);
      child.stdin!.end();
      await ended;
    }
    clearTimeout(killer);
    return { output, closedByServer: asked && closed };
  })();
}

/** GET over node:tls on one connection, trusting the CA; the status line. */
function tlsStatus(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca, servername: "localhost" }, () => {
      socket.write("GET /time HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    });
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("end", () => resolve(text.split("\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}

const OPENSSL = haveOpenssl();

for (const target of TARGETS) {
  const skip = target.skip ?? (OPENSSL ? undefined : "openssl is not installed (apt-get install openssl)");
  if (skip !== undefined) {
    describe(`TLS refusals on ${target.name}`, () => {
      it.skip(`skipped: ${skip}`, () => {});
    });
    continue;
  }
  describe(`TLS refusals on ${target.name}`, () => {
    let certs: TestCertificates;
    let ca: string;
    let server: RunningSundial;
    let redirectPort: number;
    beforeAll(async () => {
      certs = makeCertificates();
      ca = fs.readFileSync(certs.caCert, "utf8");
      ({ server, redirectPort } = await startHttpsWithRedirect(target, certs));
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      certs?.remove();
    });

    it(
      "a second sundial on its HTTPS port or its plain port, plain or TLS, says the port is in use and exits 1",
      async () => {
        expect(redirectPort).toBeGreaterThan(0);
        const tlsArgs = ["--tls-cert", certs.chain, "--tls-key", certs.key];
        for (const port of [server.port, redirectPort]) {
          for (const args of [[], tlsArgs]) {
            const second = await secondOn(target, port, args);
            const what = `port ${port === server.port ? "https" : "http"}, second ${
              args.length === 0 ? "plain" : "TLS"
            }`;
            expect({ what, ...second }).toEqual({
              what,
              kind: "exited",
              code: 1,
              stderr:
                `sundial: port ${port} is already in use (choose another with --port, or --port 0 for any free port)\n`,
            });
          }
        }
        expect(await tlsStatus(server.port, ca)).toBe("HTTP/1.1 200 OK");
      },
      60_000,
    );

    it("closes a TLS 1.2 connection whose client asks to renegotiate, and serves on", async () => {
      const result = await renegotiate(server.port, certs.caCert);
      expect(result.output).toContain("RENEGOTIATING");
      const after = result.output.slice(result.output.indexOf("RENEGOTIATING"));
      expect(after).not.toContain("HTTP/1.1 200");
      expect(result.closedByServer, after).toBe(true);
      expect(await tlsStatus(server.port, ca)).toBe("HTTP/1.1 200 OK");
      expect(server.process.exitCode).toBeNull();
    }, 40_000);
  });
}
