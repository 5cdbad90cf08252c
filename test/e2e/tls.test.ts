/**
 * HTTPS on every target, with real clients: curl, openssl s_client, Python's ssl, node:tls.
 * The certificates come from the openssl CLI (test/support/tls-certs.ts): a CA, a leaf it signed
 * and the chain file the server is given. Each target runs a few servers: the main one (with
 * --redirect-http and a short handshake timeout), one whose files are swapped and reloaded
 * with SIGHUP, one with --tls-self-signed, one with an encrypted key.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveOpenssl, makeCertificates, type TestCertificates } from "../support/tls-certs.ts";
import { REPO_ROOT, type RunningSundial, runSundial, startSundial, TARGETS } from "../support/server-process.ts";
import { sleep, until } from "../support/wait.ts";
import { startHttpsWithRedirect } from "../support/tls-server.ts";

function run(
  command: string,
  args: readonly string[],
  input = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error === null
        ? 0
        : typeof (error as { code?: unknown }).code === "number"
        ? (error as { code: number }).code
        : 1;
      resolve({ code, stdout, stderr });
    });
    // A command that exits without reading its input (curl does) closes the pipe: EPIPE here is
    // no failure of the test, and unhandled it would stop the run (the result says how it exited).
    child.stdin?.on("error", () => {});
    child.stdin?.end(input);
  });
}

/** openssl s_client's report of one handshake (stdin closed at once, so it ends after the handshake). */
function sClient(port: number, ...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "localhost", ...extra]);
}

/** GET over node:tls on one connection, trusting the CA; the response text. */
function tlsGet(port: number, ca: string, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca, servername: "localhost" }, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

function openFds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** How a raw TCP peer sees the server end a connection it sent `bytes` on: "fin", "reset" or "open" (after waitMs). */
function endingAfter(port: number, bytes: string, waitMs: number): Promise<"fin" | "reset" | "open"> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      if (bytes !== "") socket.write(bytes);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("open");
    }, waitMs);
    socket.on("data", () => {});
    socket.on("end", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve("fin");
    });
    socket.on("error", () => {
      clearTimeout(timer);
      resolve("reset");
    });
  });
}

const OPENSSL = haveOpenssl();

for (const target of TARGETS) {
  const skip = target.skip ?? (OPENSSL ? undefined : "openssl is not installed (apt-get install openssl)");
  describe.skipIf(skip !== undefined)(`HTTPS on ${target.name}`, () => {
    let certs: TestCertificates;
    let ca: string;
    let server: RunningSundial;
    let redirectPort: number;
    beforeAll(async () => {
      certs = makeCertificates();
      ca = fs.readFileSync(certs.caCert, "utf8");
      ({ server, redirectPort } = await startHttpsWithRedirect(target, certs, ["--tls-handshake-timeout", "1s"]));
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      certs?.remove();
    });

    it("serves /time to curl --cacert, at localhost and 127.0.0.1, and says https in the banner", async () => {
      expect(server.stderr()).toMatch(new RegExp(`Local:\\s+https://127\\.0\\.0\\.1:${server.port}/`));
      for (const host of ["localhost", "127.0.0.1"]) {
        const curl = await run("curl", [
          "-sS",
          "--cacert",
          certs.caCert,
          "-o",
          "/dev/null",
          "-w",
          "%{http_code} %{ssl_verify_result}",
          `https://${host}:${server.port}/time`,
        ]);
        expect(curl.stdout, curl.stderr).toBe("200 0");
      }
      const untrusted = await run("curl", ["-sS", "-o", "/dev/null", `https://localhost:${server.port}/time`]);
      expect(untrusted.code).toBe(60); // curl: the peer's certificate cannot be verified
    });

    it("speaks TLS 1.3 and 1.2 with ALPN http/1.1 and the whole chain, refuses TLS 1.1 and h2-only clients", async () => {
      const v13 = await sClient(
        server.port,
        "-CAfile",
        certs.caCert,
        "-alpn",
        "http/1.1",
        "-showcerts",
        "-verify_return_error",
      );
      expect(v13.stdout).toMatch(/New, TLSv1\.3,|Protocol\s*:\s*TLSv1\.3/);
      expect(v13.stdout).toContain("ALPN protocol: http/1.1");
      expect(v13.stdout).toContain("Verify return code: 0 (ok)");
      expect(v13.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2); // the leaf and the CA, as the file holds them
      const v12 = await sClient(server.port, "-CAfile", certs.caCert, "-tls1_2", "-verify_return_error");
      expect(v12.stdout).toMatch(/New, TLSv1\.2,|Protocol\s*:\s*TLSv1\.2/);
      const v11 = await sClient(server.port, "-tls1_1");
      expect(v11.stdout).toContain("no peer certificate available"); // no handshake: the server sent an alert
      expect(v11.code).not.toBe(0);
      const h2 = await sClient(server.port, "-alpn", "h2");
      expect(h2.stdout).not.toContain("ALPN protocol: h2");
    });

    it("answers Python's ssl module (create_default_context with the CA)", async () => {
      const script = [
        "import socket, ssl, sys",
        `ctx = ssl.create_default_context(cafile=${JSON.stringify(certs.caCert)})`,
        "ctx.set_alpn_protocols(['http/1.1'])",
        `s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', ${server.port})), server_hostname='localhost')`,
        "s.sendall(b'GET /time HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n')",
        "data = b''",
        "while True:",
        "    d = s.recv(65536)",
        "    if not d: break",
        "    data += d",
        "print(s.version(), s.selected_alpn_protocol(), data.split(b'\\r\\n')[0].decode())",
      ].join("\n");
      const python = await run("python3", ["-c", script]);
      expect(python.stdout.trim(), python.stderr).toMatch(/^TLSv1\.3 http\/1\.1 HTTP\/1\.1 200 OK$/);
    });

    it("ends plain HTTP sent to the TLS port with a FIN (never a reset)", async () => {
      expect(await endingAfter(server.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 3000)).toBe("fin");
    });

    it("closes a client that sends nothing once the handshake timeout has passed", async () => {
      const began = performance.now();
      const silent = await endingAfter(server.port, "", 5000);
      expect(silent).not.toBe("open");
      expect(performance.now() - began).toBeLessThan(4000); // --tls-handshake-timeout 1s
    });

    it(
      "keeps no descriptor after 500 failed handshakes (plain bytes, garbage, and clients gone mid-handshake)",
      async () => {
        const pid = server.process.pid!;
        // One exchange first, so that lazily opened descriptors (the file cache, timers) count in the baseline.
        expect(await tlsGet(server.port, ca, "/time")).toMatch(/^HTTP\/1\.1 200/);
        await sleep(200);
        const baseline = openFds(pid);
        const failures: Promise<unknown>[] = [];
        for (let i = 0; i < 500; i++) {
          const kind = i % 3;
          if (kind === 0) failures.push(endingAfter(server.port, "GET / HTTP/1.1\r\n\r\n", 3000));
          else if (kind === 1) failures.push(endingAfter(server.port, "\x16\x03\x01\x00\x05garbage", 3000));
          else {
            failures.push(
              new Promise<void>((resolve) => {
                const socket = tls.connect({ host: "127.0.0.1", port: server.port, rejectUnauthorized: false });
                socket.on("error", () => resolve());
                socket.on("close", () => resolve());
                setTimeout(() => socket.destroy(), 1); // gone before the handshake finishes
              }),
            );
          }
          if (failures.length >= 50) await Promise.all(failures.splice(0));
        }
        await Promise.all(failures);
        let now = openFds(pid);
        for (let i = 0; i < 50 && now > baseline; i++) {
          await sleep(100);
          now = openFds(pid);
        }
        expect(now).toBeLessThanOrEqual(baseline);
        expect(await tlsGet(server.port, ca, "/time")).toMatch(/^HTTP\/1\.1 200/);
      },
      60_000,
    );

    it("--redirect-http answers every plain request with a 308 to the same target on https", async () => {
      expect(redirectPort).toBeGreaterThan(0);
      const curl = await run("curl", [
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{redirect_url}",
        `http://127.0.0.1:${redirectPort}/files/a%20b?x=1`,
      ]);
      expect(curl.stdout).toBe(`308 https://127.0.0.1:${server.port}/files/a%20b?x=1`);
      const followed = await run("curl", [
        "-sS",
        "-L",
        "--cacert",
        certs.caCert,
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{url_effective}",
        `http://localhost:${redirectPort}/time`,
      ]);
      expect(followed.stdout).toBe(`200 https://localhost:${server.port}/time`);
    });

    it(
      "reloads the certificate on SIGHUP: new handshakes get the new one, open connections keep going, a bad one is refused",
      async () => {
        const dir = fs.mkdtempSync(path.join(certs.dir, "reload-"));
        const cert = path.join(dir, "cert.pem");
        const key = path.join(dir, "key.pem");
        fs.copyFileSync(certs.chain, cert);
        fs.copyFileSync(certs.key, key);
        const reloading = await startSundial(target, [
          path.join(REPO_ROOT, "static"),
          "--quiet",
          "--tls-cert",
          cert,
          "--tls-key",
          key,
        ]);
        try {
          const subject = async (): Promise<string> =>
            /subject=.*CN\s*=\s*(localhost \d)/.exec((await sClient(reloading.port, "-CAfile", certs.caCert)).stdout)
              ?.[1] ?? "none";
          expect(await subject()).toBe("localhost 1");
          // A keep-alive connection opened before the reload.
          const kept = tls.connect({ host: "127.0.0.1", port: reloading.port, ca, servername: "localhost" });
          await new Promise<void>((resolve) => kept.once("secureConnect", () => resolve()));
          let keptText = "";
          kept.on("data", (d: Buffer) => (keptText += d.toString("latin1")));
          kept.write("GET /time HTTP/1.1\r\nHost: localhost\r\n\r\n");
          await until(() => keptText.includes("\r\n\r\n"), 2000);
          fs.copyFileSync(certs.chain2, cert);
          fs.copyFileSync(certs.key2, key);
          reloading.process.kill("SIGHUP");
          await until(() => /SIGHUP: reloaded/.test(reloading.stderr()), 2000);
          expect(reloading.stderr()).toContain("SIGHUP: reloaded");
          // Bun hands over to a new listener: allow it a moment.
          await sleep(100);
          expect(await subject()).toBe("localhost 2");
          keptText = "";
          kept.write("GET /time HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
          await new Promise<void>((resolve) => kept.once("end", () => resolve()));
          expect(keptText).toMatch(/^HTTP\/1\.1 200/);
          kept.destroy();
          // A key that does not match the certificate: refused, the previous pair stays.
          fs.copyFileSync(certs.key, key);
          reloading.process.kill("SIGHUP");
          await until(() => /still using/.test(reloading.stderr()), 2000);
          expect(reloading.stderr()).toMatch(/SIGHUP: .*still using the certificate loaded before/);
          expect(await subject()).toBe("localhost 2");
          expect(await tlsGet(reloading.port, ca, "/time")).toMatch(/^HTTP\/1\.1 200/);
          expect(reloading.process.exitCode).toBeNull();
        } finally {
          await reloading.stop();
        }
      },
      60_000,
    );

    it(
      "--tls-self-signed serves a certificate for localhost, 127.0.0.1 and ::1 whose SHA-256 the banner prints",
      async () => {
        const selfSigned = await startSundial(target, [path.join(REPO_ROOT, "static"), "--quiet", "--tls-self-signed"]);
        try {
          await until(() => /SHA-256/.test(selfSigned.stderr()), 1000);
          const printed = /SHA-256 ([0-9A-F:]{95})/.exec(selfSigned.stderr())?.[1];
          expect(printed).toBeDefined();
          const shown = await sClient(selfSigned.port, "-showcerts");
          const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(shown.stdout)?.[0] ?? "";
          const file = path.join(certs.dir, `self-signed-${target.name}.pem`);
          fs.writeFileSync(file, `${pem}\n`);
          const fingerprint = await run("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", file]);
          expect(fingerprint.stdout.trim()).toBe(`sha256 Fingerprint=${printed}`);
          const text = await run("openssl", ["x509", "-noout", "-ext", "subjectAltName", "-in", file]);
          expect(text.stdout).toContain("DNS:localhost");
          expect(text.stdout).toContain("IP Address:127.0.0.1");
          const curl = await run("curl", [
            "-sS",
            "--cacert",
            file,
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            `https://localhost:${selfSigned.port}/time`,
          ]);
          expect(curl.stdout, curl.stderr).toBe("200");
        } finally {
          await selfSigned.stop();
        }
      },
      60_000,
    );

    it(
      "reads an encrypted key with SUNDIAL_TLS_KEY_PASSPHRASE, and says in one line what is missing without it",
      async () => {
        const encrypted = await startSundial(target, [
          path.join(REPO_ROOT, "static"),
          "--quiet",
          "--tls-cert",
          certs.chain,
          "--tls-key",
          certs.encryptedKey,
        ], {
          SUNDIAL_TLS_KEY_PASSPHRASE: certs.passphrase,
        });
        try {
          expect(await tlsGet(encrypted.port, ca, "/time")).toMatch(/^HTTP\/1\.1 200/);
        } finally {
          await encrypted.stop();
        }
        const missing = await runSundial(target, [
          path.join(REPO_ROOT, "static"),
          "--tls-cert",
          certs.chain,
          "--tls-key",
          certs.encryptedKey,
          "--port",
          "0",
        ]);
        expect(missing.code).toBe(1);
        expect(missing.stderr).toMatch(/is encrypted: give its passphrase in SUNDIAL_TLS_KEY_PASSPHRASE/);
        const wrong = await runSundial(target, [
          path.join(REPO_ROOT, "static"),
          "--tls-cert",
          certs.chain,
          "--tls-key",
          certs.encryptedKey,
          "--port",
          "0",
        ], {
          env: { SUNDIAL_TLS_KEY_PASSPHRASE: "wrong" },
        });
        expect(wrong.code).toBe(1);
        expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
      },
      60_000,
    );

    it.skipIf(target.name === "node-exe")("tells apps the request came by https (request.url)", async () => {
      const app = await startSundial(target, [
        "--app",
        path.join(REPO_ROOT, "test", "fixtures", "apps", "protocol-app.mjs"),
        "--quiet",
        "--tls-cert",
        certs.chain,
        "--tls-key",
        certs.key,
      ]);
      try {
        const text = await tlsGet(app.port, ca, "/info");
        const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { url: string };
        expect(body.url).toBe(`https://localhost/info`);
      } finally {
        await app.stop();
      }
    }, 60_000);
  });
  if (skip !== undefined) {
    describe(`HTTPS on ${target.name}`, () => {
      it.skip(`skipped: ${skip}`, () => {});
    });
  }
}
