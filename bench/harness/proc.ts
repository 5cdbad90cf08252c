// What a server process uses, read from /proc: its memory (with its children's) and its CPU time.
import * as fs from "node:fs";

function procRss(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0") / 1024;
  } catch {
    return 0;
  }
}

/** RSS of a process and its descendants (nginx serves from a worker process), in MiB. */
export function rssMiB(pid: number): number {
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
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop()!;
    total += procRss(next);
    queue.push(...(children.get(next) ?? []));
  }
  return total;
}

/** The process's CPU time so far (user + system, /proc/PID/stat fields 14 and 15), in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks: USER_HZ is 100 on Linux
}
