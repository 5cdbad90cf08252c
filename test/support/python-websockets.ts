import { execFileSync, spawnSync } from "node:child_process";

/** Python's websockets (Debian's python3-websockets), installed when missing and root, else the reason to skip. */
export function pythonWebsockets(): string | null {
  const has = (): boolean => spawnSync("/usr/bin/python3", ["-c", "import websockets"]).status === 0;
  if (has()) return null;
  if (process.getuid?.() !== 0) return "python3-websockets is missing and installing it needs root";
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["install", "-y", "python3-websockets"], { stdio: "ignore", timeout: 300_000, env });
  } catch {
    return "python3-websockets is missing and apt-get install -y python3-websockets failed";
  }
  return has() ? null : "python3-websockets installed but python3 cannot import websockets";
}
