/**
 * The ports of --workers: what an adapter supplies so that the runtime-neutral supervisor
 * (src/workers/supervisor.ts) can run N copies of the program on one port. The mechanics of sharing the
 * port are the runtime's (Node: node:cluster; Bun and Deno: SO_REUSEPORT); everything else
 * (restarts, backoff, signals, the drain, the banner) is decided in src/workers/.
 */

/** The signals the supervisor sends its workers. */
export type WorkerSignal = "SIGTERM" | "SIGINT" | "SIGHUP" | "SIGUSR1" | "SIGKILL";

/** How a worker ended: its exit code, or the signal that ended it (the other one is null). */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A worker process as the supervisor sees it. */
export interface WorkerProcess {
  readonly pid: number;
  /** The worker's stderr (the supervisor reads its ready line there and relays the rest by lines). */
  readonly stderr: ReadableStream<Uint8Array>;
  /** Resolves once, when the process has ended (never rejects); the stderr may still hold its last lines. */
  readonly exited: Promise<WorkerExit>;
  /** Sends a signal; nothing once the process has ended. */
  kill(signal: WorkerSignal): void;
}

export type SpawnResult = { readonly kind: "spawned"; readonly worker: WorkerProcess } | {
  readonly kind: "failed";
  readonly message: string;
};

/**
 * Who spreads the connections:
 * - "kernel": every worker listens on the port itself with SO_REUSEPORT and Linux hashes each
 *   new connection to one of the listeners (Bun, Deno). Port 0 must then be chosen once: the
 *   first worker binds it and the others are given the port it got (src/workers/pinned-transport.ts).
 * - "supervisor": the supervisor holds the listening socket, accepts, and hands each connection
 *   to a worker in turn (node:cluster's round-robin); port 0 is resolved there once by itself.
 */
export type PortSharing = "kernel" | "supervisor";

export interface WorkerMechanism {
  readonly sharing: PortSharing;
  /** For the banner, e.g. "node:cluster, round-robin" or "SO_REUSEPORT". */
  readonly description: string;
  /** Starts one more copy of this program with the same arguments, and these variables added to its environment. */
  spawn(env: Readonly<Record<string, string>>): SpawnResult;
}

/** What this runtime and platform can do, or why not (one line, for the error and --help). */
export type WorkerSupport =
  | { readonly kind: "available"; readonly mechanism: WorkerMechanism }
  | { readonly kind: "unavailable"; readonly reason: string };

export interface WorkerDeps {
  readonly support: WorkerSupport;
  /** Logical CPUs, for --workers auto. */
  readonly cores: () => number;
  /**
   * In a worker: fn runs once when the supervisor is gone (killed without a chance to stop its
   * workers): its end of the worker's stdin closed, or node:cluster's channel disconnected.
   */
  readonly onSupervisorGone: (fn: () => void) => void;
}

/**
 * SO_REUSEPORT as a way to share a port: only Linux (3.9+) spreads new connections across the
 * sockets (socket(7)); macOS and the BSDs let them bind but give every connection to one of them
 * (FreeBSD balances only with SO_REUSEPORT_LB), and Windows has no such option.
 */
export function reusePortSupport(platform: string, mechanism: WorkerMechanism): WorkerSupport {
  if (platform === "linux") return { kind: "available", mechanism };
  return {
    kind: "unavailable",
    reason:
      `shares a port by SO_REUSEPORT, which spreads connections only on Linux (this is ${platform}); the Node build (node:cluster) can`,
  };
}
