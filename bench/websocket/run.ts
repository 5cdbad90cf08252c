// npm run bench:websocket [-- --quick] [-- --only=name,name] [-- --rounds=N] [-- --duration=S]
// WebSocket echo (issue 25): each server (sundial on each runtime and the Bun executable, Bun.serve,
// Deno.serve with Deno.upgradeWebSocket, Node's ws) takes SOCKETS connections from a client on the
// load core (load.mjs, raw frames), each sending a 32-byte text message and the next when its echo is
// back. Figures: messages echoed per second, the server's CPU time per message (/proc/PID/stat), its
// RSS before, with the sockets open and idle, and at its peak. Servers run interleaved, round by round.
import { type ChildProcess, spawn } from "node:child_process";
import * as readline from "node:readline";
import * as path from "node:path";
import { parseArgs } from "../harness/args.ts";
import { rssMiB, treeCpuSeconds } from "../harness/proc.ts";
import { freePort, launch, LOAD_CORE, type Started, stop, stopAll } from "../harness/processes.ts";
import { BIN, REPO } from "../harness/repo.ts";
import { machineFacts, stealPercent } from "../harness/system.ts";
import { type EchoSample, type Opened, writeWebSocketReport } from "./report.ts";
import { WEBSOCKET_SERVERS, type WebSocketServerSpec } from "./servers.ts";

const { args, quick, rounds, duration, only } = parseArgs(process.argv.slice(2));
const SOCKETS = quick ? 200 : 1000;
const SIZE = 32;
const servers = WEBSOCKET_SERVERS.filter((s) => only === undefined || only.includes(s.name));
const command = process.env.SUNDIAL_BENCH_COMMAND ??
  `npm run bench:websocket${args.length ? ` -- ${args.join(" ")}` : ""}`;

/** The load client of one server: its process and its output, a line at a time. */
interface Load {
  readonly child: ChildProcess;
  next(): Promise<string>;
  send(line: string): void;
}

/** load.mjs under Bun (the cheapest client of the three here) on the load core, against port. */
function startLoad(port: number): Load {
  const child = spawn("taskset", [
    "-c",
    String(LOAD_CORE),
    path.join(BIN, "bun"),
    path.join(REPO, "bench", "websocket", "load.mjs"),
    String(port),
    String(SOCKETS),
    String(SIZE),
  ], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    next: async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error("the load client ended early");
      return value as string;
    },
    send: (line) => child.stdin!.write(`${line}\n`),
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (servers.length === 0) {
    console.log(`sundial bench (websocket): no server matches --only=${only?.join(",")}; skipped`);
    return;
  }
  const began = new Date();
  const stealBefore = stealPercent();
  const samples: EchoSample[] = [];
  const opened: Opened[] = [];
  const live = new Map<string, { started: Started; load: Load }>();
  try {
    console.log(
      `sundial bench (websocket): ${quick ? "quick" : "full"}, ${rounds} round(s) x ${duration}s, ` +
        `${SOCKETS} sockets, ${servers.length} servers`,
    );
    for (const spec of servers) {
      const port = await freePort();
      const started = await launch(spec.name, spec.command(port), port, "/");
      await settle(500);
      const pid = started.child.pid!;
      const beforeMiB = rssMiB(pid);
      const load = startLoad(port);
      const line = await load.next();
      if (!line.startsWith("open ")) throw new Error(`${spec.name}: ${line}`);
      await settle(1000);
      opened.push({ server: spec.name, beforeMiB, openMiB: rssMiB(pid), sockets: SOCKETS });
      live.set(spec.name, { started, load });
      console.log(
        `  ${spec.name}: ${SOCKETS} sockets open, rss ${beforeMiB.toFixed(1)} -> ${rssMiB(pid).toFixed(1)} MiB`,
      );
    }
    // An uncounted second of echo each: the JIT compiles before the first counted round.
    for (const { load } of live.values()) {
      load.send("run 1");
      await load.next();
    }
    for (let round = 0; round < rounds; round++) {
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const spec of order) samples.push(await echoRound(spec, live.get(spec.name)!, round));
    }
  } finally {
    for (const { started, load } of live.values()) {
      load.child.kill("SIGTERM");
      await stop(started);
    }
    stopAll();
  }
  const report = writeWebSocketReport({
    quick,
    began,
    rounds,
    duration,
    sockets: SOCKETS,
    size: SIZE,
    servers,
    samples,
    opened,
    machine: machineFacts(),
    stealPercent: stealPercent(stealBefore).percent,
    command,
  });
  console.log(`\n${report.table}\nwritten to ${report.file}`);
}

/** One counted run: the echoes, the server's CPU over it, its RSS sampled every 100 ms. */
async function echoRound(
  spec: WebSocketServerSpec,
  { started, load }: { started: Started; load: Load },
  round: number,
): Promise<EchoSample> {
  const pid = started.child.pid!;
  let peak = rssMiB(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100);
  const cpuBefore = treeCpuSeconds(pid);
  const clientBefore = treeCpuSeconds(load.child.pid!);
  load.send(`run ${duration}`);
  const result = JSON.parse(await load.next()) as { messages: number; seconds: number; errors: number };
  const cpuSeconds = treeCpuSeconds(pid) - cpuBefore;
  const clientSeconds = treeCpuSeconds(load.child.pid!) - clientBefore;
  clearInterval(sampler);
  const sample: EchoSample = {
    server: spec.name,
    round,
    messagesPerSec: result.messages / result.seconds,
    cpuUsPerMessage: (cpuSeconds * 1e6) / Math.max(1, result.messages),
    clientCpuShare: clientSeconds / result.seconds,
    peakMiB: Math.max(peak, rssMiB(pid)),
    errors: result.errors,
  };
  console.log(
    `  r${round + 1} ${spec.name.padEnd(18)} ${`${sample.messagesPerSec.toFixed(0)} msg/s`.padStart(14)} ${
      `${sample.cpuUsPerMessage.toFixed(1)} CPU µs/msg`.padStart(17)
    }  rss ${sample.peakMiB.toFixed(0)} MiB${sample.errors ? `  ERRORS ${sample.errors}` : ""}`,
  );
  return sample;
}

await main();
