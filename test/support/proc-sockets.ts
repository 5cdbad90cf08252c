/**
 * Which process holds which TCP connection, read from Linux's /proc (proc(5)): /proc/net/tcp
 * and tcp6 list each socket with its addresses, state and inode; /proc/PID/fd links name the
 * inodes a process holds ("socket:[12345]"). So the test can tell which worker serves which
 * connection without the server saying it (no header added for the test).
 */
import * as fs from "node:fs";

/** /proc/net/tcp's st column: 01 is ESTABLISHED. */
const ESTABLISHED = "01";

interface ServerSide {
  /** The client's port: what the client sees as its socket's localPort. */
  readonly clientPort: number;
  readonly inode: number;
  readonly line: string;
}

/** The server's side of every established connection to `port` on this host. */
function serverSides(port: number): ServerSide[] {
  const sides: ServerSide[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = fs.readFileSync(file, "latin1");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== ESTABLISHED) continue;
      const local = Number.parseInt(fields[1]!.split(":")[1]!, 16);
      if (local !== port) continue;
      sides.push({ clientPort: Number.parseInt(fields[2]!.split(":")[1]!, 16), inode: Number(fields[9]), line });
    }
  }
  return sides;
}

/** The socket inodes a process holds. */
function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match !== null) inodes.add(Number(match[1]));
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

export interface Ownership {
  /** The client ports of the connections each of the processes holds. */
  readonly byPid: Map<number, Set<number>>;
  /** Connections no process holds yet: accepted by the kernel, waiting in a listener's queue (inode 0). */
  readonly queued: Set<number>;
  /** Connections held by some other process (or by none of those asked about). */
  readonly elsewhere: Set<number>;
  /** Each connection's line of /proc/net/tcp, by client port (for messages). */
  readonly lines: Map<number, string>;
}

/** Who holds each established connection to `port`, among `pids` (the first listed, where two do). Synchronous: a snapshot. */
export function connectionOwners(port: number, pids: readonly number[]): Ownership {
  const owner = new Map<number, number>();
  // A socket two of them hold (node:cluster's primary keeps its copy until the worker's
  // acknowledgement has come back) counts for the first one listed.
  for (const pid of pids) for (const inode of socketInodes(pid)) if (!owner.has(inode)) owner.set(inode, pid);
  const byPid = new Map<number, Set<number>>(pids.map((pid) => [pid, new Set<number>()]));
  const queued = new Set<number>();
  const elsewhere = new Set<number>();
  const lines = new Map<number, string>();
  for (const side of serverSides(port)) {
    lines.set(side.clientPort, side.line.trim());
    const pid = owner.get(side.inode);
    if (pid !== undefined) byPid.get(pid)!.add(side.clientPort);
    else if (side.inode === 0) queued.add(side.clientPort);
    else elsewhere.add(side.clientPort);
  }
  return { byPid, queued, elsewhere, lines };
}

/** The children of a process, and whether each is a zombie (ended, not yet waited for). */
export function childrenOf(pid: number): Array<{ pid: number; zombie: boolean }> {
  const children: Array<{ pid: number; zombie: boolean }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const state = processState(Number(entry));
    if (state !== null && state.ppid === pid) children.push({ pid: Number(entry), zombie: state.state === "Z" });
  }
  return children;
}

/** A process's state letter (R, S, Z, ...) and parent, or null once it is gone. */
export function processState(pid: number): { state: string; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return null;
  }
}
