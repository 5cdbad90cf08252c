/**
 * How a worker knows it is one, and how it tells its supervisor it is serving. A worker runs the
 * same program with the same arguments; the supervisor adds two variables to its environment,
 * and reads two kinds of line from its stderr (which it relays, without them): the one that says
 * it is serving, then a heartbeat every second or so.
 */

/** Set by the supervisor: this process is worker N (1-based). */
export const WORKER_ENV = "SUNDIAL_WORKER";
/** Set by the supervisor when the port is shared by SO_REUSEPORT: the ports the first worker got for port 0, in order. */
export const PINNED_PORTS_ENV = "SUNDIAL_WORKER_PORTS";

export interface WorkerRole {
  readonly id: number;
  /** The k-th listener asked for on port 0 binds pinned[k] instead (pinned-transport.ts). */
  readonly pinned: readonly number[];
}

/** This process's role: a worker when the supervisor said so, else null (a supervisor or a single process). */
export function workerRole(env: Readonly<Record<string, string | undefined>>): WorkerRole | null {
  const id = env[WORKER_ENV];
  if (id === undefined || !/^[1-9][0-9]{0,4}$/.test(id)) return null;
  const pinned = parsePorts(env[PINNED_PORTS_ENV] ?? "") ?? [];
  return { id: Number(id), pinned };
}

/** The variables worker `id` is started with. */
export function workerEnv(id: number, pinned: readonly number[]): Record<string, string> {
  return pinned.length === 0
    ? { [WORKER_ENV]: String(id) }
    : { [WORKER_ENV]: String(id), [PINNED_PORTS_ENV]: pinned.join(",") };
}

const READY_PREFIX = "sundial-worker: ready ports=";

/** The line a worker writes to stderr once every listener is up: the ports it bound for port 0 ("-" for none). */
export function readyLine(boundForPortZero: readonly number[]): string {
  return READY_PREFIX + (boundForPortZero.length === 0 ? "-" : boundForPortZero.join(","));
}

/** The line a serving worker writes to stderr every heartbeatInterval() from its event loop (liveness.ts); never relayed. */
export const HEARTBEAT_LINE = "sundial-worker: alive";

/** The ports of a ready line, or null when the line is something else (to be relayed). */
export function parseReadyLine(line: string): number[] | null {
  if (!line.startsWith(READY_PREFIX)) return null;
  const rest = line.slice(READY_PREFIX.length);
  return rest === "-" ? [] : parsePorts(rest);
}

function parsePorts(text: string): number[] | null {
  if (text === "") return [];
  const ports = text.split(",").map(Number);
  return ports.every((p) => Number.isInteger(p) && p > 0 && p <= 65535) ? ports : null;
}
