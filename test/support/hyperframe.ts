/** Debian's python3-hyperframe, run through test/support/hyperframe-frames.py: the HTTP/2 frame layer's differential. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./hyperframe-frames.py", import.meta.url));
const PYTHON = "/usr/bin/python3";

/** Why the differential cannot run here, or null when hyperframe imports. */
export function hyperframeMissing(): string | null {
  const probe = spawnSync(PYTHON, ["-c", "import hyperframe"], { encoding: "utf8" });
  if (probe.error !== undefined) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return "python3 cannot import hyperframe: apt-get install -y python3-hyperframe";
  return null;
}

/** Sends one request to the script and returns its answer (JSON both ways). */
export function hyperframe<T>(request: unknown): T {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", timeout: 60_000 });
  if (run.status !== 0) throw new Error(`hyperframe-frames.py failed: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout) as T;
}
