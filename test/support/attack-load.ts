import * as fs from "node:fs";
import * as net from "node:net";
import { hasResponses, parseResponses } from "./http-response-parser.ts";
import { rawExchange } from "./raw-client.ts";

const SECOND = 1000;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** GET /time on a new connection from localAddress: its status (0: no whole response) and how long it took. */
export async function probeTime(port: number, localAddress = "127.0.0.1"): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const result = await rawExchange(port, "GET /time HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {
    localAddress,
    until: hasResponses(1),
    timeoutMs: 5 * SECOND,
  });
  const ms = performance.now() - started;
  const [response] = parseResponses(result.data, { ended: result.closed });
  return { status: response?.complete === true ? response.status : 0, ms };
}

/** Probes /time every `everyMs` for `forMs`; resolves with every probe, each with when it began. */
export async function probeThroughout(
  port: number,
  forMs: number,
  everyMs: number,
): Promise<Array<{ status: number; ms: number; at: number }>> {
  const probes: Array<{ status: number; ms: number; at: number }> = [];
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  while (performance.now() - started < forMs) {
    const at = performance.now() - started;
    pending.push(probeTime(port).then((result) => void probes.push({ ...result, at })));
    await sleep(everyMs);
  }
  await Promise.all(pending);
  return probes.sort((a, b) => a.at - b.at);
}

export interface HoldOptions {
  /** Connections held at once. */
  readonly count: number;
  /** Where they come from, in turn. */
  readonly addresses: readonly string[];
  /** What each sends once connected. */
  readonly request: string;
  /** Bytes sent on each connection every second after the request (a slow body); 0: none. */
  readonly dripBytes: number;
  /** How long after the server closed one it is opened again (0.5-1.5x). */
  readonly reopenMs: number;
}

export interface HoldReport {
  readonly opened: number;
  /** Connections that got a status line before they closed. */
  readonly answered: number;
  /** The status codes they got, counted. */
  readonly statuses: ReadonlyMap<number, number>;
}

/**
 * Holds `count` connections that each send `request` (and a drip of body bytes), re-opening every
 * one the server closes, until stop(), which destroys them all. Opened at about 1,000 a second, so
 * the SYNs stay within the listen backlog.
 */
export function holdConnections(port: number, options: HoldOptions): { stop(): HoldReport } {
  const sockets = new Set<net.Socket>();
  const statuses = new Map<number, number>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let opened = 0;
  let answered = 0;
  let stopped = false;
  const open = (index: number): void => {
    if (stopped) return;
    const socket = net.connect({
      host: "127.0.0.1",
      port,
      localAddress: options.addresses[index % options.addresses.length],
    });
    opened++;
    sockets.add(socket);
    let heard = false;
    socket.on("connect", () => socket.write(options.request));
    socket.on("data", (data: Buffer) => {
      if (heard) return;
      heard = true;
      answered++;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString("latin1"))?.[1] ?? 0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      sockets.delete(socket);
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        open(index);
      }, options.reopenMs * (0.5 + Math.random()));
      timers.add(timer);
    });
  };
  const drip = options.dripBytes <= 0 ? null : setInterval(() => {
    for (const socket of sockets) {
      if (socket.writable && !socket.connecting) socket.write("x".repeat(options.dripBytes));
    }
  }, SECOND);
  let next = 0;
  const ramp = setInterval(() => {
    for (const end = next + 50; next < end && next < options.count; next++) open(next);
    if (next >= options.count) clearInterval(ramp);
  }, 50);
  return {
    stop: () => {
      stopped = true;
      clearInterval(ramp);
      if (drip !== null) clearInterval(drip);
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      return { opened, answered, statuses };
    },
  };
}

/** Descriptors the process has open (/proc/PID/fd). */
export function openDescriptors(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}
