import type * as net from "node:net";
import * as v8 from "node:v8";
import * as vm from "node:vm";

/** Bytes read from sockets between two young-generation collections. */
const COLLECT_EVERY = 8 * 1024 * 1024;

type Gc = (options: { type: "minor" | "major"; execution: "sync" | "async" }) => void;

/**
 * V8's collector, as --expose-gc gives it (set for a moment, so only the new context made here
 * gets a `gc`: the program's own global has none). Null where it cannot be had.
 */
const gc: Gc | null = (() => {
  try {
    v8.setFlagsFromString("--expose-gc");
    const found = vm.runInNewContext("gc") as unknown;
    return typeof found === "function" ? (found as Gc) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
})();

let sinceCollect = 0;

/**
 * Node reads a socket into a new 64 KiB buffer each time, and V8 frees such buffers only at a
 * young-generation collection, which it starts for them once 32 MiB of them are waiting
 * (twice its default semi-space; Heap::AllocateExternalBackingStore). An upload streamed at
 * disk speed thus held 32-40 MiB of read buffers already on disk (issue 24: a 1 GiB PUT raised
 * RSS by 36-57 MiB; its bound is 32). A minor collection every 8 MiB read (0.2-0.3 ms each, the
 * young generation being nearly empty) keeps the growth near 15 MiB. --max-semi-space-size=1
 * does it too, but only on node's command line, which the single executable cannot take.
 */
export function collectReadBuffers(socket: net.Socket): void {
  if (gc === null) return;
  socket.on("data", (chunk: Buffer) => {
    sinceCollect += chunk.length;
    if (sinceCollect < COLLECT_EVERY) return;
    sinceCollect = 0;
    gc({ type: "minor", execution: "sync" });
  });
}
