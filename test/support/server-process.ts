import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(REPO_ROOT, "node_modules", ".bin");

/** A way to start sundial: the argv before sundial's own arguments. */
export interface Target {
  readonly name: string;
  readonly command: readonly string[];
  /** Why this target cannot run here; the suite then reports it as skipped with this reason. */
  readonly skip?: string;
  /** A standalone executable (command is just its path). */
  readonly executable?: boolean;
}

const DIST = path.join(REPO_ROOT, "dist");

/** Why dist/sundial-deno is missing: `npm run build` skips it when deno compile cannot get denort. */
const DENO_EXE_SKIP = fs.existsSync(path.join(DIST, "sundial-deno"))
  ? undefined
  : "dist/sundial-deno was not built: deno compile needs its denort base binary from dl.deno.land (unreachable here); build with DENORT_BIN=/path/to/denort";

/** The three run forms and the standalone executables `npm run build` makes. */
export const TARGETS: readonly Target[] = [
  { name: "node", command: ["node", path.join(REPO_ROOT, "dist", "sundial.mjs")] },
  {
    name: "deno",
    command: [
      path.join(BIN, "deno"),
      "run",
      // --allow-all: Deno opens /proc/self/fd, where the check of opened files looks, only to it.
      "--allow-all",
      // The documented run form (README, Running on each runtime): V8's memory-lean heap sizing.
      "--v8-flags=--max-semi-space-size=1,--heap-growing-percent=20",
      path.join(REPO_ROOT, "runtime-adapters", "deno", "main.ts"),
    ],
  },
  { name: "bun", command: [path.join(BIN, "bun"), "run", path.join(REPO_ROOT, "runtime-adapters", "bun", "main.ts")] },
  // Built executables: a missing node or bun one is a failure (npm test builds them first).
  { name: "node-exe", command: [path.join(DIST, "sundial-node")], executable: true },
  { name: "bun-exe", command: [path.join(DIST, "sundial-bun")], executable: true },
  { name: "deno-exe", command: [path.join(DIST, "sundial-deno")], executable: true, skip: DENO_EXE_SKIP },
];

export interface RunningSundial {
  readonly port: number;
  /** What the "Local:" line named: https when started with --tls-cert/--tls-key or --tls-self-signed. */
  readonly scheme: "http" | "https";
  readonly process: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

/** Starts sundial on 127.0.0.1 and a free port, waiting for the "Local:" line that names it (on stderr, with the banner). */
export function startSundial(
  target: Target,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<RunningSundial> {
  const [command, ...rest] = target.command;
  const child = spawn(command!, [...rest, ...args, "--port", "0", "--host", "127.0.0.1"], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${target.name}: no "Local:" line within 30 s\n${out}\n${err}`)),
      30_000,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    let started = false;
    child.once("exit", (code) => {
      if (!started) fail(new Error(`${target.name} exited with ${code}\n${out}\n${err}`));
    });
    child.stderr!.on("data", () => {
      const match = /Local:\s+(https?):\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (match === null || started) return;
      started = true;
      clearTimeout(timer);
      resolve({
        port: Number(match[2]),
        scheme: match[1] === "https" ? "https" : "http",
        process: child,
        stdout: () => out,
        stderr: () => err,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs sundial to completion (for --help, --version and start-up errors). */
export function runSundial(
  target: Target,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const [command, ...rest] = target.command;
  return new Promise((resolve) => {
    const child = spawn(command!, [...rest, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
