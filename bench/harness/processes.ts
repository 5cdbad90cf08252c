// Servers under test as processes: started pinned to the server core, probed until they answer,
// measured with wrk on the load core while their RSS is sampled, stopped (all of them on exit).
import { type ChildProcess, spawn } from "node:child_process";
import * as net from "node:net";
import { rssMiB } from "./proc.ts";
import { runWrk, type WrkResult } from "./wrk.ts";

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

const running: ChildProcess[] = [];
/** On exit (also Ctrl-C or SIGTERM): SIGTERM, so nginx's master also stops its worker (SIGKILL would orphan it). */
export function stopAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}
process.on("exit", stopAll);
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

function listenable(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(-1));
    server.listen(port, "127.0.0.1", () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/** SUNDIAL_BENCH_PORTS=FIRST-LAST: the benches take their ports from that range only, each once. */
const range = /^(\d+)-(\d+)$/.exec(process.env.SUNDIAL_BENCH_PORTS ?? "");
let nextInRange = Number(range?.[1] ?? 0);

/** A port of 127.0.0.1 free now: any (the kernel's pick), or the next free one of SUNDIAL_BENCH_PORTS. */
export async function freePort(): Promise<number> {
  if (range === null) return listenable(0);
  const first = Number(range[1]);
  const last = Number(range[2]);
  for (let tries = 0; tries <= last - first; tries++) {
    const port = nextInRange;
    nextInRange = port >= last ? first : port + 1;
    if ((await listenable(port)) === port) return port;
  }
  throw new Error(`no free port in SUNDIAL_BENCH_PORTS=${range[0]}`);
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

/** Whether the server on the port answers as it should yet (for servers an HTTP/1.1 GET cannot ask). */
export type Readiness = (port: number) => Promise<boolean>;

/**
 * Spawns argv pinned to the server core (or to `cpus`, a taskset list such as "0,1" for servers
 * of several processes); resolves once GET probePath on the port answers 200 (or, given a
 * Readiness, once it says so).
 */
export async function launch(
  name: string,
  argv: readonly string[],
  port: number,
  probePath: string | Readiness,
  cpus = String(SERVER_CORE),
): Promise<Started> {
  const ready: Readiness = typeof probePath === "string" ? async (p) => (await probe(p, probePath)) === 200 : probePath;
  const [command, ...rest] = argv;
  const began = performance.now();
  const child = spawn("taskset", ["-c", cpus, command!, ...rest], { stdio: ["ignore", "ignore", "pipe"] });
  running.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`);
    if (await ready(port)) return { name, child, port, startupMs: performance.now() - began };
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

/**
 * wrk (on the load core) against the started server for `seconds`, its RSS sampled every `everyMs`;
 * `script`: wrk's -s FILE and the script's arguments, as runWrk takes them.
 */
export async function measure(
  started: Started,
  target: string,
  connections: number,
  seconds: number,
  everyMs = 100,
  script: readonly string[] = [],
): Promise<Measured> {
  const pid = started.child.pid!;
  let peak = rssMiB(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), everyMs);
  const wrk = await runWrk(`http://127.0.0.1:${started.port}${target}`, connections, seconds, LOAD_CORE, script);
  clearInterval(sampler);
  return { wrk, peakRssMiB: Math.max(peak, rssMiB(pid)) };
}
