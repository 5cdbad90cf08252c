// bun bench/attacks/stopped-worker.ts [REPO] [CONNECTIONS] [STOP_MS] [WORKER_TIMEOUT]: issue 22's hung worker.
// Runs `--workers 2` on node, deno and bun of REPO (default: this checkout), stops worker 2
// with SIGSTOP for STOP_MS (10 s), opens CONNECTIONS (100) new connections one by one, evenly
// spread over that time, each with one GET, and counts those not answered within a second
// (stalled: answered late, once the worker went on, or never) and those reset; then SIGCONT.
// WORKER_TIMEOUT, e.g. 2s, is passed as --worker-timeout (a REPO from before it has no such flag).
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startSundial } from "../../test/support/server-process.ts";
import { sleep, until } from "../../test/support/wait.ts";
import { runForms } from "./targets.ts";

const args = process.argv.slice(2);
const repo = args[0] || undefined; // "" for this checkout, to give the arguments after it
const connections = args[1] || "100";
const stopMs = args[2] || "10000";
const workerTimeout = args[3] || "";
/** An answer later than this counts as stalled (unloaded, each comes within milliseconds). */
const PROMPT_MS = 1000;
/** A connection not answered by then is given up (the stop, then time for the worker to go on). */
const GIVE_UP_MS = Number(stopMs) + 5000;

type Outcome = { kind: "answered"; afterMs: number } | { kind: "failed"; why: string; afterMs: number };

function getOnce(port: number): Promise<Outcome> {
  const began = performance.now();
  const after = (): number => performance.now() - began;
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let text = "";
    const timer = setTimeout(() => finish({ kind: "failed", why: "no answer", afterMs: after() }), GIVE_UP_MS);
    const finish = (outcome: Outcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    socket.on("connect", () => socket.write("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    socket.on("data", (d: Buffer) => {
      text += d.toString("latin1");
      if (text.includes("\r\n\r\n")) finish({ kind: "answered", afterMs: after() });
    });
    socket.on(
      "error",
      (error: NodeJS.ErrnoException) => finish({ kind: "failed", why: error.code ?? error.message, afterMs: after() }),
    );
    socket.on("close", () => finish({ kind: "failed", why: "closed", afterMs: after() }));
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-stopped-"));
fs.writeFileSync(path.join(dir, "hello.txt"), "hello world\n");
for (const target of runForms(repo)) {
  const server = await startSundial(target, [
    dir,
    "--workers",
    "2",
    "--quiet",
    ...(workerTimeout === "" ? [] : ["--worker-timeout", workerTimeout]),
  ]);
  await until(() => /Workers: .*\n/.test(server.stderr()), 5000);
  const victim = Number(/Workers: 2 processes \(pids \d+, (\d+)\)/.exec(server.stderr())?.[1]);
  const mark = server.stderr().length;
  process.kill(victim, "SIGSTOP");
  const pending: Promise<Outcome>[] = [];
  const every = Number(stopMs) / Number(connections);
  for (let i = 0; i < Number(connections); i++) {
    pending.push(getOnce(server.port));
    await sleep(every);
  }
  try {
    process.kill(victim, "SIGCONT");
  } catch {
    // killed and replaced already
  }
  const outcomes = await Promise.all(pending);
  const prompt = outcomes.filter((o) => o.kind === "answered" && o.afterMs <= PROMPT_MS).length;
  const late = outcomes.filter((o) => o.kind === "answered" && o.afterMs > PROMPT_MS).length;
  const failed = outcomes.filter((o): o is Outcome & { kind: "failed" } => o.kind === "failed");
  const reasons = [...new Set(failed.map((o) => o.why))].join(", ");
  const log = server.stderr().slice(mark).trim().split("\n").filter((line) => line !== "");
  console.log(
    `${target.name}: worker stopped ${
      Number(stopMs) / 1000
    } s, ${connections} new connections: ${prompt} answered within ${PROMPT_MS} ms, ` +
      `${late + failed.length} stalled (${late} answered late, ${failed.length} failed${
        reasons === "" ? "" : `: ${reasons}`
      })` +
      (log.length === 0 ? "" : `\n  ${log.join("\n  ")}`),
  );
  await server.stop();
}
fs.rmSync(dir, { recursive: true, force: true });
