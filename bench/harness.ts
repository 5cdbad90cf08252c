// What bench.ts (files) and apps.ts (fetch apps) share: the command line, starting and stopping
// servers pinned to the server core, probing them, sampling their RSS from /proc, running wrk.
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import { runWrk, type WrkResult } from "./wrk.ts";

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface BenchArgs {
  readonly args: readonly string[];
  readonly quick: boolean;
  readonly rounds: number;
  readonly duration: number;
  /** --only=a,b: the servers to run (undefined: all). */
  readonly only: readonly string[] | undefined;
}

/** --quick, --rounds=N, --duration=S, --only=a,b (the same flags for both benches). */
export function parseArgs(args: readonly string[]): BenchArgs {
  const flag = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = args.includes("--quick");
  return {
    args,
    quick,
    rounds: Number(flag("rounds") ?? (quick ? 1 : 3)),
    duration: Number(flag("duration") ?? (quick ? 1 : 5)),
    only: flag("only")?.split(","),
  };
}

const running: ChildProcess[] = [];
/** On exit (also Ctrl-C or SIGTERM): SIGTERM, so nginx's master also stops its worker (SIGKILL would orphan it). */
export function stopAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}
process.on("exit", stopAll);
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

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

/** One GET over a fresh connection; resolves with the status, or 0 if it failed. */
export function probe(port: number, target: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let data = "";
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("error", () => resolve(0));
    socket.on("close", () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? "0")));
    socket.on("connect", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    socket.on("data", (d: Buffer) => {
      data += d.toString("latin1");
      if (data.includes("\r\n")) socket.destroy();
    });
  });
}

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly startupMs: number;
}

/**
 * Spawns argv pinned to the server core (or to `cpus`, a taskset list such as "0,1" for servers
 * of several processes); resolves once GET probePath on the port answers 200.
 */
export async function launch(
  name: string,
  argv: readonly string[],
  port: number,
  probePath: string,
  cpus = String(SERVER_CORE),
): Promise<Started> {
  const [command, ...rest] = argv;
  const began = performance.now();
  const child = spawn("taskset", ["-c", cpus, command!, ...rest], { stdio: ["ignore", "ignore", "pipe"] });
  running.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`);
    if ((await probe(port, probePath)) === 200) return { name, child, port, startupMs: performance.now() - began };
    if (performance.now() - began > 30_000) throw new Error(`${name} did not answer within 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function stop(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

export interface Measured {
  readonly wrk: WrkResult;
  readonly peakRssMiB: number;
}

/** wrk (on the load core) against the started server for `seconds`, its RSS sampled every `everyMs`. */
export async function measure(
  started: Started,
  target: string,
  connections: number,
  seconds: number,
  everyMs = 100,
): Promise<Measured> {
  const pid = started.child.pid!;
  let peak = rssMiB(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), everyMs);
  const wrk = await runWrk(`http://127.0.0.1:${started.port}${target}`, connections, seconds, LOAD_CORE);
  clearInterval(sampler);
  return { wrk, peakRssMiB: Math.max(peak, rssMiB(pid)) };
}
