/**
 * The parent side of the app tests: starts an example app on sundial or on the runtime's own
 * server, each in its own child process (./apps-launch-<runtime>.ts), and stops it by its PID.
 * Node 20 loads no .ts, so its launcher is bundled first with `bun build` (hono and
 * @hono/node-server inlined); Deno and Bun run the sources.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import * as path from "node:path";
import { type AppName, LISTENING, type ServerName } from "./apps-launch.ts";
import { REPO_ROOT } from "./server-process.ts";

export type Runtime = "node" | "deno" | "bun";
export const RUNTIMES: readonly Runtime[] = ["node", "deno", "bun"];

const BIN = path.join(REPO_ROOT, "node_modules", ".bin");
const SUPPORT = path.join(REPO_ROOT, "test", "support");

/** What each runtime's server is called in reports. */
export const REFERENCE_NAME: Readonly<Record<Runtime, string>> = {
  node: "@hono/node-server",
  deno: "Deno.serve",
  bun: "Bun.serve",
};

/** The argv that runs a runtime's launcher; Node's needs `bundleNodeLauncher` first. */
export function launcherCommand(runtime: Runtime, bundleDir: string): readonly string[] {
  switch (runtime) {
    case "node":
      return ["node", path.join(bundleDir, "apps-launch-node.mjs")];
    case "deno":
      // --allow-all: the network, the guestbook's database file, GUESTBOOK_DB.
      return [path.join(BIN, "deno"), "run", "--allow-all", path.join(SUPPORT, "apps-launch-deno.ts")];
    case "bun":
      return [path.join(BIN, "bun"), "run", path.join(SUPPORT, "apps-launch-bun.ts")];
  }
}

/** Bundles the Node launcher (sundial's Node adapter, the examples, hono, @hono/node-server) into bundleDir. */
export function bundleNodeLauncher(bundleDir: string): void {
  execFileSync(
    path.join(BIN, "bun"),
    [
      "build",
      path.join(SUPPORT, "apps-launch-node.ts"),
      "--target=node",
      "--format=esm",
      `--outfile=${path.join(bundleDir, "apps-launch-node.mjs")}`,
    ],
    { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
}

export interface AppServer {
  readonly label: string;
  readonly port: number;
  /** What the process printed so far (stdout and stderr). */
  readonly output: () => string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly runtime: Runtime;
  readonly bundleDir: string;
  readonly app: AppName;
  readonly server: ServerName;
  readonly env?: Record<string, string>;
}

/** Starts the app on the server in a child process; resolves once it printed its URL. */
export function startApp(options: StartOptions): Promise<AppServer> {
  const [command, ...args] = launcherCommand(options.runtime, options.bundleDir);
  const label = `${options.app} on ${
    options.server === "sundial" ? "sundial" : REFERENCE_NAME[options.runtime]
  } (${options.runtime})`;
  const child = spawn(command!, [...args, options.app, options.server], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      stopChild(child, exited).then(() => reject(new Error(`${label}: ${reason}\n${output}`)), reject);
    };
    const timer = setTimeout(() => fail("no listening line within 30 s"), 30_000);
    const onExit = (code: number | null, signal: string | null): void =>
      fail(`exited with ${code ?? signal} before listening`);
    child.once("exit", onExit);
    child.stdout!.on("data", () => {
      const match = LISTENING.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      resolve({ label, port: Number(match[2]), output: () => output, stop: () => stopChild(child, exited) });
    });
  });
}

/** SIGTERM to the child's PID, SIGKILL after 5 s if it is still there. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  process.kill(child.pid, "SIGTERM");
  const killer = setTimeout(
    () => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, "SIGKILL"),
    5000,
  );
  await exited;
  clearTimeout(killer);
}
