// What the HTTP/2 bench asks each server for: /time and a 1 KB file with 100 streams in flight
// (10 connections of 10), and a 100 MB file (4 downloads at once, one stream per connection).
import type { H2loadLoad } from "./h2load.ts";

export interface H2Scenario {
  readonly name: string;
  readonly path: string;
  readonly load: (duration: number, quick: boolean) => H2loadLoad;
  /** Measured in MiB/s and CPU per GiB (a large file), not requests/s. */
  readonly throughput: boolean;
  /** The body's size, for a large file's CPU per GiB. */
  readonly bytes?: number;
  /** The load in words, for the report. */
  readonly describe: string;
}

export const ONE_KB = 1024;
export const HUNDRED_MB = 100 * 1024 * 1024;

const streams = (duration: number): H2loadLoad => ({ connections: 10, streams: 10, seconds: duration });

export const H2_SCENARIOS: readonly H2Scenario[] = [
  { name: "/time", path: "/time", load: streams, throughput: false, describe: "-c 10 -m 10 -D duration" },
  { name: "1 KB", path: "/1k.bin", load: streams, throughput: false, describe: "-c 10 -m 10 -D duration" },
  {
    name: "100 MB",
    path: "/100m.bin",
    load: (_duration, quick) => ({ connections: 4, streams: 1, requests: quick ? 4 : 12 }),
    throughput: true,
    bytes: HUNDRED_MB,
    describe: "-c 4 -m 1, -n 12 (quick: 4)",
  },
];
