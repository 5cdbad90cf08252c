/**
 * Load beside and for the HTTP/2 attacks (h2-attacks.ts): a probe that asks for / on a fresh
 * connection every so often while an attack runs (the server must keep answering others), and
 * many connections of many streams each (for a bound on the server's memory). 127.0.0.1 only,
 * bounded in count and time.
 */
import { H2Client, type H2Endpoint } from "./h2-raw.ts";
import { SITE } from "./h2-servers.ts";
import { sleep } from "./wait.ts";

export interface ProbeResult {
  readonly answered: number;
  /** Probes that got no 200 within their 2 s, with what happened. */
  readonly failures: readonly string[];
  readonly slowestMs: number;
}

/** Starts probing every `everyMs`; stop() ends it and says how the probes went. */
export function startProbe(endpoint: H2Endpoint, everyMs = 200): { stop(): Promise<ProbeResult> } {
  let running = true;
  let answered = 0;
  let slowestMs = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      const began = performance.now();
      try {
        const c = await H2Client.open(endpoint);
        const response = await c.get(SITE.index, 2000);
        c.destroy();
        if (response.status === 200 && response.end === "end-stream") answered++;
        else failures.push(`${response.status} ${response.end}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
      slowestMs = Math.max(slowestMs, performance.now() - began);
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { answered, failures, slowestMs };
    },
  };
}

export interface ManyResult {
  readonly connections: number;
  readonly answered: number;
  readonly failures: readonly string[];
  readonly elapsedMs: number;
}

/**
 * Opens `connections` h2 connections (`batch` at a time), each asking for / on `streams`
 * streams at once and collecting every response; all stay open until `whileOpen` has run (the
 * caller's moment to measure), then they are closed. Bounded by `ms`.
 */
export async function manyConnections(
  endpoint: H2Endpoint,
  connections: number,
  streams: number,
  whileOpen: () => void | Promise<void>,
  ms = 60_000,
  batch = 50,
): Promise<ManyResult> {
  const began = performance.now();
  const clients: H2Client[] = [];
  const failures: string[] = [];
  let answered = 0;
  try {
    for (let i = 0; i < connections && performance.now() - began < ms; i += batch) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(batch, connections - i) }, () => H2Client.open(endpoint).catch((e: Error) => e)),
      );
      await Promise.all(opened.map(async (c) => {
        if (c instanceof Error) return void failures.push(c.message);
        clients.push(c);
        const ids = Array.from({ length: streams }, () => c.request(SITE.index));
        for (const id of ids) {
          const response = await c.response(id, Math.max(1000, ms - (performance.now() - began)));
          if (response.status === 200 && response.end === "end-stream") answered++;
          else if (failures.length < 20) {
            failures.push(`stream ${id}: ${response.status} ${response.end} ${response.code ?? ""}`);
          }
        }
      }));
    }
    await whileOpen();
  } finally {
    for (const c of clients) c.destroy();
  }
  return { connections: clients.length, answered, failures, elapsedMs: performance.now() - began };
}
