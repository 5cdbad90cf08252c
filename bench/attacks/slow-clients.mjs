// Slow-body + silent connection attack against sundial, with /time probes from 127.0.0.1.
// node bench/attacks/slow-clients.mjs [--seconds 20] [--slow 1100] [--silent 1100] [--reopen-ms 200] -- <server command...>
// Starts the server (with --port 0 --host 127.0.0.1 appended), attacks from 127.0.0.2-21,
// probes GET /time every 250 ms on a new connection, and prints the fraction of probes that got
// 200 within 2 s and the probe latencies.
import { spawn } from "node:child_process";
import * as net from "node:net";

const argv = process.argv.slice(2);
const sep = argv.indexOf("--");
const opts = Object.fromEntries(
  argv.slice(0, sep).join(" ").split("--").filter(Boolean).map((s) => s.trim().split(/\s+/)),
);
const command = argv.slice(sep + 1);
const SECONDS = Number(opts.seconds ?? 20);
const SLOW = Number(opts.slow ?? 1100);
const SILENT = Number(opts.silent ?? 1100);
const REOPEN_MS = Number(opts["reopen-ms"] ?? 200);
const ADDRESSES = Array.from({ length: 20 }, (_, i) => `127.0.0.${i + 2}`);

const child = spawn(command[0], [...command.slice(1), "--port", "0", "--host", "127.0.0.1"], {
  stdio: ["ignore", "pipe", "pipe"],
});
// The banner (with the Local: line) is on stderr; stdout is the access log, not needed here.
let out = "";
child.stdout.resume();
child.stderr.on("data", (d) => (out += d));
const port = await new Promise((resolve, reject) => {
  child.stderr.on("data", () => {
    const m = /Local:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
    if (m) resolve(Number(m[1]));
  });
  child.once("exit", (c) => reject(new Error(`server exited ${c}`)));
});

let stopping = false;
const sockets = new Set();
const stats = { opened: 0, closedByServer: 0, errors: 0 };

function attacker(kind, i) {
  if (stopping) return;
  const localAddress = ADDRESSES[i % ADDRESSES.length];
  const socket = net.connect({ host: "127.0.0.1", port, localAddress });
  sockets.add(socket);
  stats.opened++;
  let drip = null;
  socket.on("connect", () => {
    if (kind !== "slow") return;
    socket.write("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 8192\r\n\r\n");
    drip = setInterval(() => socket.write("x".repeat(1 + Math.floor(Math.random() * 24))), 1000);
  });
  socket.on("data", () => {});
  socket.on("error", () => stats.errors++);
  socket.on("close", () => {
    clearInterval(drip);
    sockets.delete(socket);
    if (stopping) return;
    stats.closedByServer++;
    setTimeout(() => attacker(kind, i), REOPEN_MS * (0.5 + Math.random()));
  });
}

function probe() {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: "127.0.0.1", port });
    let data = "";
    const done = (status) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, ms: performance.now() - started });
    };
    const timer = setTimeout(() => done(0), 10_000);
    socket.on("connect", () => socket.write("GET /time HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    socket.on("data", (d) => {
      data += d;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m && data.includes("\r\n\r\n")) done(Number(m[1]));
    });
    socket.on("error", () => done(-1));
    socket.on("close", () => done(-1));
  });
}

// Open the attack at about 1,000 connections a second, then probe.
const t0 = performance.now();
for (let i = 0; i < Math.max(SLOW, SILENT); i++) {
  if (i < SLOW) attacker("slow", i);
  if (i < SILENT) attacker("silent", i);
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 50));
}
const results = [];
const pending = [];
while (performance.now() - t0 < SECONDS * 1000) {
  pending.push(probe().then((r) => results.push(r)));
  await new Promise((r) => setTimeout(r, 250));
}
await Promise.all(pending);
stopping = true;
for (const s of sockets) s.destroy();
child.kill("SIGTERM");

const ok = results.filter((r) => r.status === 200 && r.ms <= 2000).length;
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const statuses = {};
for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
const pct = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(0);
console.log(
  `${command.join(" ").replace(/.*\/(sundial\.mjs|main\.ts)$/, "$&")}\n` +
    `  probes ${results.length}, 200 within 2 s: ${ok} (${((100 * ok) / results.length).toFixed(1)}%), statuses ${
      JSON.stringify(statuses)
    }\n` +
    `  latency p50 ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${ms.at(-1).toFixed(0)} ms\n` +
    `  attack connections opened ${stats.opened}, closed by the server ${stats.closedByServer}`,
);
process.exit(0);
