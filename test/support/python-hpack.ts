import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./hpack-peer.py", import.meta.url));

/** Why Python's hpack cannot be used (the test is then skipped with this reason), or null. */
export function pythonHpackMissing(): string | null {
  const probe = spawnSync("/usr/bin/python3", ["-c", "import hpack"], { encoding: "utf8" });
  if (probe.status === 0) return null;
  return `/usr/bin/python3 cannot import hpack (apt-get install -y python3-hpack): ${
    (probe.stderr ?? String(probe.error)).trim().split("\n").pop()
  }`;
}

/** A field as the peer script takes and gives it: name and value in hex, and never-indexed or not. */
export type HexField = [name: string, value: string, sensitive: boolean];

export interface HpackPeerRequest {
  /** Connections for Python's encoder: its table size (set before the first block), Huffman or not, the lists. */
  readonly encode: ReadonlyArray<{ tableSize: number; huffman: boolean; blocks: HexField[][] }>;
  /** Connections for Python's decoder: the blocks, in hex. */
  readonly decode: ReadonlyArray<{ blocks: string[] }>;
}

export interface HpackPeerResponse {
  readonly encoded: string[][];
  readonly decoded: Array<{ lists: HexField[][] } | { error: string }>;
}

/** Runs test/support/hpack-peer.py once over the whole request (JSON on stdin and stdout). */
export function runHpackPeer(request: HpackPeerRequest): HpackPeerResponse {
  const run = spawnSync("/usr/bin/python3", [SCRIPT], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`hpack-peer.py failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as HpackPeerResponse;
}
