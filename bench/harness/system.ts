// The machine a bench runs on: the tools it needs (installed when missing), what the report says
// of the machine and of each tool's version, and the CPU steal time during the run.
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BIN, REPO } from "./repo.ts";

const TOOLS: ReadonlyArray<readonly [string, string]> = [
  ["wrk", "wrk"],
  ["h2load", "nghttp2-client"],
  ["nginx", "nginx-light"],
  ["caddy", "caddy"],
  ["taskset", "util-linux"],
  ["python3", "python3"],
];

function has(command: string): boolean {
  try {
    execSync(`command -v ${command}`, { stdio: "ignore", shell: "/bin/sh" });
    return true;
  } catch {
    return false;
  }
}

/** Installs wrk, h2load, nginx and caddy from Debian's archive when they are missing (as root), or says how. */
export function ensureTools(): void {
  const missing = TOOLS.filter(([command]) => !has(command)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing tools; install them with: sudo apt-get install -y ${missing.join(" ")}`);
  }
  console.log(`installing ${missing.join(" ")} (apt-get)`);
  execSync("apt-get update -qq", { stdio: "inherit" });
  execSync(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")}`, {
    stdio: "inherit",
    shell: "/bin/sh",
  });
  // Debian starts nginx as a service on install where it can; the bench runs its own.
  if (fs.existsSync("/run/nginx.pid")) {
    try {
      process.kill(Number(fs.readFileSync("/run/nginx.pid", "utf8")), "SIGTERM");
    } catch {
      // not running
    }
  }
}

interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

/** Without an argument: a snapshot of /proc/stat. With one: steal time since it, in percent. */
export function stealPercent(since?: CpuTimes): CpuTimes & { percent: number } {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const steal = fields[7] ?? 0;
  const percent = since === undefined ? 0 : (100 * (steal - since.steal)) / Math.max(1, total - since.total);
  return { total, steal, percent };
}

export function machineFacts(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Linux ${os.release()}`;
}

function version(command: string): string {
  try {
    return execSync(command, { stdio: ["ignore", "pipe", "pipe"], shell: "/bin/sh" }).toString().trim().split("\n")[0]!;
  } catch (error) {
    // Some tools (wrk -v) print their version and exit non-zero.
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    const text = `${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}`.trim();
    return text.split("\n")[0] || "unknown";
  }
}

export function versions(): Record<string, string> {
  const pkg = (name: string): string => {
    try {
      return JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      return "unknown";
    }
  };
  return {
    sundial: JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version,
    // The bench runs under Bun, whose process.versions.node is its compatibility level, not Node's.
    node: version("node --version"),
    deno: version(`${BIN}/deno --version`).replace(/^deno /, ""),
    bun: version(`${BIN}/bun --version`),
    nginx: version("nginx -v 2>&1").replace(/^nginx version: /, ""),
    caddy: version("caddy version"),
    wrk: version("wrk -v 2>&1"),
    h2load: version("h2load --version").replace(/^h2load /, ""),
    python: version("python3 --version"),
    sirv: pkg("sirv"),
    "serve-handler": pkg("serve-handler"),
  };
}
