/**
 * The transports the contract suite runs against, each listening through transport-host.ts:
 * Node's in vitest's own process (vitest imports the adapter), Deno's and Bun's in a child of
 * that runtime (transport-host-main.ts), as srvx's tests start each runtime.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeTransport } from "../../runtime-adapters/node/transport.ts";
import type { TlsCredentials } from "../../src/ports/transport.ts";
import { REPO_ROOT } from "../support/server-process.ts";
import { startHost } from "./transport-host.ts";

export interface Subject {
  readonly port: number;
  /** The process that holds the listener (its descriptors are the ones a refused handshake must free). */
  readonly pid: number;
  close(): Promise<void>;
}

export interface TlsFiles {
  readonly chain: string;
  readonly key: string;
}

export interface Runtime {
  readonly name: string;
  /** Why it cannot run here, or undefined. */
  readonly missing: string | undefined;
  /** Listens (TLS with the first pair of certificate chain and key files; the others are for "reload id n"). */
  start(tls?: readonly TlsFiles[]): Promise<Subject>;
}

const BIN = path.join(REPO_ROOT, "node_modules", ".bin");
const MAIN = path.join(REPO_ROOT, "test", "contract", "transport-host-main.ts");
/** The handshake deadline the hosts listen with (transport-host-main.ts has the same). */
export const HANDSHAKE_TIMEOUT_MS = 500;

const node: Runtime = {
  name: "node",
  missing: undefined,
  start: async (tls = []) => {
    const [first, ...reloads] = tls.map((files): TlsCredentials => ({
      cert: fs.readFileSync(files.chain, "utf8"),
      key: fs.readFileSync(files.key, "utf8"),
      passphrase: null,
    }));
    const listen = first === undefined ? undefined : { ...first, handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS };
    const host = await startHost(nodeTransport, listen, reloads);
    return { port: host.port, pid: process.pid, close: () => host.close() };
  },
};

function child(name: string, command: readonly string[]): Runtime {
  const binary = command[0]!;
  return {
    name,
    missing: fs.existsSync(binary) ? undefined : `${binary} is missing`,
    start: (tls = []) => startChild([...command, MAIN, ...tls.flatMap((files) => [files.chain, files.key])]),
  };
}

function startChild(command: readonly string[]): Promise<Subject> {
  const proc: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stderr!.on("data", (chunk: Buffer) => void (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port from ${command.join(" ")}: ${err}`)), 20_000);
    proc.once("exit", (code) => reject(new Error(`${command[0]} exited (${code}): ${err}`)));
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /port (\d+)/.exec(out)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({
        port: Number(port),
        pid: proc.pid!,
        close: () =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return done();
            proc.once("exit", () => done());
            proc.kill("SIGKILL");
          }),
      });
    });
  });
}

export const RUNTIMES: readonly Runtime[] = [
  node,
  child("deno", [path.join(BIN, "deno"), "run", "--allow-all", "--quiet"]),
  child("bun", [path.join(BIN, "bun"), "run"]),
];
