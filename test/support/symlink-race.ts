import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "./server-process.ts";

/**
 * The symlink race of issue 12: whoever can rename entries inside the served folder swaps a
 * folder for a symlink to the outside (renameat2 RENAME_EXCHANGE, atomically, over and over)
 * while clients ask for files in it. A check of the name followed by an open of the name
 * loses that race; a check of the opened file does not.
 */
export interface RaceFixture {
  /** The served folder. */
  readonly root: string;
  readonly remove: () => void;
}

/** Files inside the root are made of INSIDE bytes, files outside of OUTSIDE bytes. */
const INSIDE = "i";
const OUTSIDE = "O";
/** Larger than the 1 MiB sundial keeps in memory: streamed, so opened again per request. */
const BIG = 2 * 1024 * 1024;

export function createRaceFixture(): RaceFixture {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-race-"));
  const root = path.join(base, "root");
  const outside = path.join(base, "outside");
  for (const dir of [path.join(root, "race"), outside]) fs.mkdirSync(dir, { recursive: true });
  const fill = (dir: string, byte: string): void => {
    fs.writeFileSync(path.join(dir, "secret.txt"), byte.repeat(64));
    fs.writeFileSync(path.join(dir, "secret.txt.gz"), gzipSync(byte.repeat(64)));
    fs.writeFileSync(path.join(dir, "big.bin"), byte.repeat(BIG));
  };
  fill(path.join(root, "race"), INSIDE);
  fill(outside, OUTSIDE);
  fs.writeFileSync(path.join(outside, "only-outside.txt"), OUTSIDE);
  fs.writeFileSync(path.join(root, "404.html"), INSIDE.repeat(16));
  // The other half of each pair: swapped with race/ and with 404.html.
  fs.symlinkSync(outside, path.join(root, ".race_alt"));
  fs.symlinkSync(path.join(outside, "secret.txt"), path.join(root, ".404_alt"));
  return { root, remove: () => fs.rmSync(base, { recursive: true, force: true }) };
}

export interface RaceResult {
  /** Swaps the attacker made. */
  readonly swaps: number;
  readonly responses: number;
  /** Responses that carried any byte, name or size from outside the root. */
  readonly leaks: number;
  /** How many responses had each status. */
  readonly statuses: Record<number, number>;
}

/** What clients ask for while the swaps run: a small file, a streamed one, a range, a sibling, a listing, a 404 page. */
const REQUESTS: ReadonlyArray<{ readonly path: string; readonly headers?: Record<string, string> }> = [
  { path: "/race/secret.txt" },
  { path: "/race/big.bin" },
  { path: "/race/big.bin", headers: { Range: "bytes=1048570-1048580,-10" } },
  { path: "/race/secret.txt", headers: { "Accept-Encoding": "gzip" } },
  { path: "/race/", headers: { Accept: "application/json" } },
  { path: "/race/missing.txt" },
];

/** Runs the swap loop for `seconds` against a server on 127.0.0.1:port, with `clients` concurrent clients. */
export async function runRace(port: number, fixture: RaceFixture, seconds: number, clients = 3): Promise<RaceResult> {
  const attacker = spawn("python3", [
    path.join(REPO_ROOT, "test", "support", "rename-exchange.py"),
    String(seconds),
    fixture.root,
    "race",
    ".race_alt",
    "404.html",
    ".404_alt",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  attacker.stdout.on("data", (d: Buffer) => (out += d.toString()));
  attacker.stderr.on("data", (d: Buffer) => (err += d.toString()));
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    attacker.once("exit", (code) => {
      running = false;
      resolve(code);
    })
  );
  let responses = 0;
  let leaks = 0;
  const statuses: Record<number, number> = {};
  const client = async (offset: number): Promise<void> => {
    for (let i = offset; running; i++) {
      const request = REQUESTS[i % REQUESTS.length]!;
      const result = await fetchOnce(port, request.path, request.headers);
      if (result === null) continue;
      responses++;
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
      if (leaked(result.body, result.headers)) leaks++;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  const code = await exited;
  if (code !== 0) throw new Error(`rename-exchange.py exited with ${code}: ${err}`);
  return { swaps: Number(out.trim()), responses, leaks, statuses };
}

/** Any byte of an outside file, the name only the outside folder has, or an outside file's size. */
function leaked(body: Buffer, headers: Headers): boolean {
  if (body.includes(OUTSIDE)) return true;
  // The sizes agree inside and out, so a size alone cannot leak here; names can.
  return (headers.get("content-type") ?? "").includes("json") && body.includes("only-outside");
}

async function fetchOnce(
  port: number,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Buffer } | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${target}`, { headers });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  } catch {
    // A connection closed because the file changed under a response: not a leak, try again.
    return null;
  }
}

/** Whether this machine can run the attacker: Linux, python3 and renameat2. */
export function raceUnavailable(): string | undefined {
  if (process.platform !== "linux") return "the swap loop needs Linux renameat2(RENAME_EXCHANGE)";
  const probe = spawnSync("python3", ["-c", "import ctypes; ctypes.CDLL(None).renameat2"], { stdio: "ignore" });
  return probe.status === 0 ? undefined : "python3 with glibc renameat2 is needed for the swap loop";
}
