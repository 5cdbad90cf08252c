// What the files bench measures: its scenarios (paths of the site it makes, connections), and the
// facts it records of each server beside the wrk runs.

export interface Scenario {
  readonly id: string;
  readonly path: string;
  readonly connections: number;
  readonly expectStatus: number;
  /** Report MiB/s rather than requests/s. */
  readonly throughput?: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  { id: "/time c50", path: "/time", connections: 50, expectStatus: 200 },
  { id: "1 KB c50", path: "/1kb.bin", connections: 50, expectStatus: 200 },
  { id: "100 KB c50", path: "/100kb.bin", connections: 50, expectStatus: 200 },
  { id: "404 c50", path: "/missing.bin", connections: 50, expectStatus: 404 },
  { id: "1 KB c1000", path: "/1kb.bin", connections: 1000, expectStatus: 200 },
  { id: "100 MB c4", path: "/100mb.bin", connections: 4, expectStatus: 200, throughput: true },
];

export interface ServerFacts {
  readonly idleRssMiB: number;
  readonly startupMs: number[];
  /** Peak RSS of a freshly started server serving only the 100 MB file (nothing else ran before). */
  freshBigRssMiB?: number;
}
