// What a server process uses, read from /proc: its memory (with its children's) and its CPU time.
import * as fs from "node:fs";

/** A number field of /proc/PID/status, in MiB (0 when the process is gone). */
function statusMiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? "0") / 1024;
  } catch {
    return 0;
  }
}

/** The process and its descendants (nginx serves from a worker process). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** RSS of a process and its descendants, in MiB. */
export function rssMiB(pid: number): number {
  return processTree(pid).reduce((total, p) => total + statusMiB(p, "VmRSS"), 0);
}

/**
 * Peak RSS (VmHWM) of a process and its descendants since they started or since resetPeakRss, in
 * MiB: the sum of each process's own peak (for nginx, the master's few MiB and its worker's).
 */
export function peakRssMiB(pid: number): number {
  return processTree(pid).reduce((total, p) => total + statusMiB(p, "VmHWM"), 0);
}

/** Sets VmHWM back to the current RSS (writing 5 to /proc/PID/clear_refs, Linux 4.0+); false where not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    for (const p of processTree(pid)) fs.writeFileSync(`/proc/${p}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** The process's CPU time so far (user + system, /proc/PID/stat fields 14 and 15), in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks: USER_HZ is 100 on Linux
}

/** CPU time of a process and its descendants so far, in seconds (a process gone meanwhile counts 0). */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((total, p) => {
    try {
      return total + cpuSeconds(p);
    } catch {
      return total;
    }
  }, 0);
}
