import { type ChildProcess, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSelfSignedCertificate,
  type SelfSignedCertificate,
} from "../../../../src/tls/self-signed/certificate.ts";
import { REPO_ROOT } from "../../../support/server-process.ts";

/**
 * The self-signed pair in real TLS: Node's TLS server with it, and the pair made on Deno and on
 * Bun loaded by their own TLS listeners, each verified by curl and openssl s_client against the
 * certificate as the only trust anchor.
 */

const OPENSSL = "/usr/bin/openssl";
const CURL = "curl";
const BIN = path.join(REPO_ROOT, "node_modules", ".bin");
const HOSTS = ["localhost", "127.0.0.1", "::1"];
const STEP_MS = 10_000;

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end (or STEP_MS), without blocking this process's event loop, where the Node server runs. */
function run(command: string, args: readonly string[], input = ""): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], timeout: STEP_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

const hasProgram = async (command: string, args: readonly string[]): Promise<boolean> =>
  (await run(command, args).catch(() => ({ status: -1 }))).status === 0;

/** curl trusting only the certificate: -f fails on an HTTP error, --max-time bounds it. */
const curl = (caFile: string, url: string): Promise<Outcome> =>
  run(CURL, ["-sS", "-f", "--max-time", "5", "--cacert", caFile, url]);

const sClient = (caFile: string, port: number, nameCheck: readonly string[]): Promise<Outcome> =>
  run(OPENSSL, [
    "s_client",
    "-ign_eof",
    "-connect",
    `127.0.0.1:${port}`,
    "-verify_return_error",
    "-CAfile",
    caFile,
    ...nameCheck,
  ], "GET / HTTP/1.0\r\n\r\n");

let dir: string;
let tools: { curl: boolean; openssl: boolean };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "sundial-self-signed-tls-"));
  tools = { curl: await hasProgram(CURL, ["--version"]), openssl: await hasProgram(OPENSSL, ["version"]) };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function needTools(skip: (note: string) => void): void {
  if (!tools.curl) skip("curl is not installed (apt-get install -y curl)");
  if (!tools.openssl) skip(`${OPENSSL} is not installed (apt-get install -y openssl)`);
}

describe("Node's TLS server with the pair", () => {
  let certificate: SelfSignedCertificate;
  let server: tls.Server;
  let port: number;
  let dualStack: boolean;
  let caFile: string;

  beforeAll(async () => {
    const result = await createSelfSignedCertificate({ hosts: HOSTS, now: new Date() });
    if (result.kind !== "ok") throw new Error(result.message);
    certificate = result.certificate;
    caFile = path.join(dir, "node-cert.pem");
    writeFileSync(caFile, certificate.certPem);
    server = tls.createServer({ cert: certificate.certPem, key: certificate.keyPem }, (socket) => {
      socket.on("error", () => {});
      socket.once("data", () => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnode\n"));
    });
    const listen = (host: string): Promise<void> =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    // "::" takes IPv4 too (dual stack); where there is no IPv6, IPv4 alone.
    dualStack = await listen("::").then(() => true, () => listen("127.0.0.1").then(() => false));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it.for(["localhost", "127.0.0.1"])("curl --cacert verifies https://%s/", async (host, { skip }) => {
    needTools(skip);
    const outcome = await curl(caFile, `https://${host}:${port}/`);
    expect(outcome.stderr).toBe("");
    expect(outcome).toMatchObject({ status: 0, stdout: "node\n" });
  });

  it("curl --cacert verifies https://[::1]/", async ({ skip }) => {
    needTools(skip);
    if (!dualStack) skip("no IPv6 here: the server listens on 127.0.0.1 alone");
    expect(await curl(caFile, `https://[::1]:${port}/`)).toMatchObject({ status: 0, stdout: "node\n" });
  });

  it("curl without the certificate refuses it as self-signed, so verification is real", async ({ skip }) => {
    needTools(skip);
    const outcome = await run(CURL, ["-sS", "--max-time", "5", `https://127.0.0.1:${port}/`]);
    expect(outcome.status).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
    expect(outcome.stderr).toMatch(/self[- ]signed certificate/);
  });

  it("curl refuses a name the certificate does not have", async ({ skip }) => {
    needTools(skip);
    const outcome = await run(CURL, [
      "-sS",
      "--max-time",
      "5",
      "--cacert",
      caFile,
      "--resolve",
      `other.test:${port}:127.0.0.1`,
      `https://other.test:${port}/`,
    ]);
    expect(outcome.status).toBe(60);
    expect(outcome.stderr).toMatch(/other\.test/);
  });

  it.for([
    { check: "the chain alone", flags: [] },
    { check: "-verify_ip 127.0.0.1", flags: ["-verify_ip", "127.0.0.1"] },
    {
      check: "SNI and -verify_hostname localhost",
      flags: ["-servername", "localhost", "-verify_hostname", "localhost"],
    },
  ])("openssl s_client -verify_return_error verifies $check", async ({ flags }, { skip }) => {
    needTools(skip);
    const outcome = await sClient(caFile, port, flags);
    expect(outcome.stdout).toContain("Verify return code: 0 (ok)");
    expect(outcome.stdout).toContain("node\n");
    expect(outcome.status).toBe(0);
  });

  it("openssl s_client refuses it for an address it does not name", async ({ skip }) => {
    needTools(skip);
    const outcome = await sClient(caFile, port, ["-verify_ip", "10.0.0.1"]);
    expect(outcome.status).not.toBe(0);
    expect(outcome.stdout + outcome.stderr).toMatch(/IP address mismatch/);
  });

  it("Node's TLS client verifies it with the certificate as its only CA", async () => {
    const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: certificate.certPem }, () => {
        const cert = socket.getPeerCertificate();
        socket.destroy();
        resolve(cert);
      });
      socket.on("error", reject);
    });
    expect(peer.fingerprint256).toBe(certificate.fingerprintSha256);
  });
});

interface Served {
  readonly port: number;
  readonly certPem: string;
  readonly fingerprintSha256: string;
}

/** Starts a script that prints one JSON line once it listens; the caller stops it. */
function startScript(command: string, args: readonly string[]): Promise<{ child: ChildProcess; served: Served }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} printed no line within ${STEP_MS} ms: ${stderr}`));
    }, STEP_MS);
    child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const end = stdout.indexOf("\n");
      if (end < 0) return;
      clearTimeout(timer);
      resolve({ child, served: JSON.parse(stdout.slice(0, end)) as Served });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}: ${stderr}`));
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

describe.each([
  {
    runtime: "deno",
    args: ["run", "-A", path.join(REPO_ROOT, "test/unit/tls/self-signed/serve-self-signed-deno.ts")],
    listener: "Deno.listenTls",
  },
  {
    runtime: "bun",
    args: [path.join(REPO_ROOT, "test/unit/tls/self-signed/serve-self-signed-bun.ts")],
    listener: "Bun.listen({ tls })",
  },
])("a pair made on $runtime, served by $listener", ({ runtime, args }) => {
  const binary = path.join(BIN, runtime);
  const missing = existsSync(binary) ? undefined : `${binary} is missing (npm install brings it)`;
  let child: ChildProcess | undefined;
  let served: Served;
  let caFile: string;

  beforeAll(async () => {
    if (missing) return;
    ({ child, served } = await startScript(binary, args));
    caFile = path.join(dir, `${runtime}-cert.pem`);
    writeFileSync(caFile, served.certPem);
  });
  afterAll(() => stop(child));

  it("reports the fingerprint of the certificate it made", ({ skip }) => {
    if (missing) skip(missing);
    expect(new X509Certificate(served.certPem).fingerprint256).toBe(served.fingerprintSha256);
  });

  it.for(["localhost", "127.0.0.1"])("curl --cacert verifies https://%s/", async (host, { skip }) => {
    if (missing) skip(missing);
    needTools(skip);
    const outcome = await curl(caFile, `https://${host}:${served.port}/`);
    expect(outcome.stderr).toBe("");
    expect(outcome).toMatchObject({ status: 0, stdout: `${runtime}\n` });
  });

  it("openssl s_client -verify_return_error -verify_ip 127.0.0.1 verifies it", async ({ skip }) => {
    if (missing) skip(missing);
    needTools(skip);
    const outcome = await sClient(caFile, served.port, ["-verify_ip", "127.0.0.1"]);
    expect(outcome.stdout).toContain("Verify return code: 0 (ok)");
    expect(outcome.status).toBe(0);
  });
});
