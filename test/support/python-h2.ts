/**
 * Python's h2 (python3-h2) as a client of an HTTP/2 server reached through a pipe: the script's
 * stdout is what the client sends, its stdin what the server writes. Used against the session
 * engine in-process (test/unit/http2/session/python-h2.test.ts); no sockets.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./h2-python-client.py", import.meta.url));

/** Why Python's h2 cannot be used (the test is then skipped with this reason), or null. */
export function pythonH2Missing(): string | null {
  const probe = spawnSync("/usr/bin/python3", ["-c", "import h2.connection"], { encoding: "utf8" });
  if (probe.status === 0) return null;
  return `/usr/bin/python3 cannot import h2 (apt-get install -y python3-h2): ${
    (probe.stderr ?? String(probe.error)).trim().split("\n").pop()
  }`;
}

export interface PythonRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Uint8Array;
}

export interface PythonResponse {
  readonly status: number | null;
  readonly headers: Array<[string, string]>;
  readonly body: Uint8Array;
  readonly reset: number | null;
}

export interface PythonRun {
  readonly responses: Map<number, PythonResponse>;
  /** A protocol error h2 found in what the server sent, or the connection closing early; null when none. */
  readonly error: string | null;
}

/** What the pipe's server end looks like to the script's runner. */
export interface PipeServer {
  /** Bytes from the client (the preface first). */
  feed(bytes: Uint8Array): void;
  /** The client's stdout closed. */
  ended(): void;
}

/**
 * Runs the script with the requests; `connect` gets a function that writes to the client (what
 * the server sends) and returns the server end fed with what the client sends.
 */
export function runPythonH2(
  requests: readonly PythonRequest[],
  connect: (toClient: (bytes: Uint8Array) => void) => PipeServer,
  timeoutMs = 20_000,
): Promise<PythonRun> {
  const argument = JSON.stringify(requests.map((r) => ({
    method: r.method,
    path: r.path,
    headers: r.headers ?? [],
    ...(r.body === undefined ? {} : { body_hex: Buffer.from(r.body).toString("hex") }),
  })));
  // The requests go in a file: bodies are too large for an argument.
  const folder = mkdtempSync(join(tmpdir(), "h2-python-"));
  const file = join(folder, "requests.json");
  writeFileSync(file, argument);
  const child = spawn("/usr/bin/python3", [SCRIPT, file], { stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.on("error", () => {}); // the script may exit before reading the last bytes
  const server = connect((bytes) => {
    if (!child.stdin.destroyed) child.stdin.write(bytes);
  });
  child.stdout.on("data", (chunk: Buffer) => server.feed(new Uint8Array(chunk)));
  child.stdout.on("end", () => server.ended());
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(folder, { recursive: true, force: true });
      try {
        const summary = JSON.parse(stderr) as {
          responses: Record<
            string,
            { status: number | null; headers: Array<[string, string]>; body_hex: string; reset: number | null }
          >;
          error: string | null;
        };
        const responses = new Map(
          Object.entries(summary.responses).map(([id, r]) => [Number(id), {
            status: r.status,
            headers: r.headers,
            body: new Uint8Array(Buffer.from(r.body_hex, "hex")),
            reset: r.reset,
          }]),
        );
        resolve({ responses, error: summary.error });
      } catch {
        reject(new Error(`h2-python-client.py exited ${code}: ${stderr.slice(0, 2000)}`));
      }
    });
  });
}
