import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, quickDeaths, restartDelay } from "../../../src/workers/backoff.ts";
import { lineReader } from "../../../src/workers/line-reader.ts";
import { linePieces, PIPE_BUF } from "../../../src/workers/pipe-pieces.ts";
import { pinnedTransport } from "../../../src/workers/pinned-transport.ts";
import { parseReadyLine, readyLine, workerEnv, workerRole } from "../../../src/workers/worker-role.ts";
import { reusePortSupport } from "../../../src/ports/workers.ts";
import { parseWorkersOption, workerCount } from "../../../src/cli/workers-options.ts";
import { forWorker } from "../../../src/cli/worker-command.ts";
import { parseCli, USAGE } from "../../../src/cli/arguments.ts";
import type { ListenOptions, ListenResult, Transport } from "../../../src/ports/transport.ts";

describe("backoff", () => {
  it("counts quick deaths until a worker lives past healthyAfterMs", () => {
    expect(quickDeaths(0, 500, DEFAULT_BACKOFF)).toBe(1);
    expect(quickDeaths(4, 9_999, DEFAULT_BACKOFF)).toBe(5);
    expect(quickDeaths(4, 10_000, DEFAULT_BACKOFF)).toBe(0);
  });
  it("waits 100 ms, then doubles, capped at 30 s (and never overflows)", () => {
    expect([0, 1, 2, 3, 9, 10, 1000].map((n) => restartDelay(n, DEFAULT_BACKOFF))).toEqual([
      100,
      100,
      200,
      400,
      25_600,
      30_000,
      30_000,
    ]);
  });
});

describe("worker role", () => {
  it("reads the id and the pinned ports the supervisor set", () => {
    expect(workerRole({})).toBe(null);
    expect(workerRole({ SUNDIAL_WORKER: "0" })).toBe(null);
    expect(workerRole({ SUNDIAL_WORKER: "x" })).toBe(null);
    expect(workerRole(workerEnv(2, []))).toEqual({ id: 2, pinned: [] });
    expect(workerRole(workerEnv(3, [8000, 9000]))).toEqual({ id: 3, pinned: [8000, 9000] });
    expect(workerRole({ SUNDIAL_WORKER: "1", SUNDIAL_WORKER_PORTS: "8000,junk" })).toEqual({ id: 1, pinned: [] });
  });
  it("ready lines go there and back; other lines are not ready lines", () => {
    expect(parseReadyLine(readyLine([]))).toEqual([]);
    expect(parseReadyLine(readyLine([40000, 1]))).toEqual([40000, 1]);
    expect(parseReadyLine("sundial 0.1.0 (node 20)")).toBe(null);
    expect(parseReadyLine("sundial-worker: ready ports=70000")).toBe(null);
  });
});

/** A transport that records each listen and binds what it is asked for (50000 + n for port 0), or fails on the hosts given. */
function recordingTransport(failHosts: string[] = []): Transport & { calls: ListenOptions[] } {
  const calls: ListenOptions[] = [];
  let next = 50000;
  return {
    calls,
    listen: (options): Promise<ListenResult> => {
      calls.push(options);
      if (failHosts.includes(options.host)) {
        return Promise.resolve({ kind: "failed", code: "EAFNOSUPPORT", message: "no" });
      }
      const port = options.port === 0 ? next++ : options.port;
      return Promise.resolve({ kind: "listening", listener: { port, close: () => Promise.resolve() } });
    },
  };
}

describe("pinned transport", () => {
  it("the first worker binds port 0 with reusePort and reports what it got, in order; fixed ports are left alone", async () => {
    const inner = recordingTransport();
    const transport = pinnedTransport(inner, [], true);
    await transport.listen({ host: "::", port: 0 }, () => {});
    await transport.listen({ host: "::", port: 8000 }, () => {});
    await transport.listen({ host: "::", port: 0 }, () => {});
    expect(inner.calls).toEqual([
      { host: "::", port: 0, reusePort: true },
      { host: "::", port: 8000, reusePort: true },
      { host: "::", port: 0, reusePort: true },
    ]);
    expect(transport.boundForPortZero()).toEqual([50000, 50001]);
  });

  it("the others bind the pinned ports, and a failed listen (another address is tried) keeps its pin", async () => {
    const inner = recordingTransport(["::"]);
    const transport = pinnedTransport(inner, [41000, 42000], true);
    await transport.listen({ host: "::", port: 0 }, () => {});
    await transport.listen({ host: "0.0.0.0", port: 0 }, () => {});
    await transport.listen({ host: "0.0.0.0", port: 0 }, () => {});
    expect(inner.calls.map((c) => `${c.host}:${c.port}`)).toEqual([":::41000", "0.0.0.0:41000", "0.0.0.0:42000"]);
    expect(transport.boundForPortZero()).toEqual([41000, 42000]);
  });

  it("without kernel sharing (node:cluster) asks for no reusePort", async () => {
    const inner = recordingTransport();
    await pinnedTransport(inner, [], false).listen({ host: "127.0.0.1", port: 0 }, () => {});
    expect(inner.calls).toEqual([{ host: "127.0.0.1", port: 0 }]);
  });
});

describe("pipe pieces", () => {
  it("leaves a small batch whole", () => {
    const batch = new TextEncoder().encode("a\nb\n");
    expect(linePieces(batch)).toEqual([batch]);
  });

  it("cuts a batch into pieces of at most PIPE_BUF bytes that end at a line's end; a longer line goes alone", () => {
    const line = (n: number, c: string): string => `${c.repeat(n - 1)}\n`;
    const text = line(3000, "a") + line(2000, "b") + line(9000, "c") + line(100, "d");
    const pieces = linePieces(new TextEncoder().encode(text)).map((p) => new TextDecoder().decode(p));
    expect(pieces).toEqual([line(3000, "a"), line(2000, "b"), line(9000, "c"), line(100, "d")]);
  });

  it("property: the pieces are the batch, each ends in a newline (but perhaps the last), and only a single line exceeds PIPE_BUF", () => {
    const lines = fc.array(fc.integer({ min: 1, max: 6000 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(lines, fc.boolean(), (lengths, endsInNewline) => {
        let text = lengths.map((n) => `${"x".repeat(n - 1)}\n`).join("");
        if (!endsInNewline) text = text.slice(0, -1);
        const batch = new TextEncoder().encode(text);
        const pieces = linePieces(batch);
        expect(Buffer.compare(Buffer.concat(pieces), batch)).toBe(0);
        pieces.forEach((piece, i) => {
          if (i < pieces.length - 1) expect(piece.at(-1)).toBe(0x0a);
          // Longer than PIPE_BUF only as one line: no newline but perhaps the last byte.
          if (piece.length > PIPE_BUF) expect([-1, piece.length - 1]).toContain(piece.indexOf(0x0a));
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe("line reader", () => {
  it("joins lines across chunks, drops CR, and decodes UTF-8 cut in the middle of a character", () => {
    const reader = lineReader();
    const bytes = new TextEncoder().encode("zoned €\r\nnext");
    const at = bytes.indexOf(0xe2) + 1;
    expect(reader.push(bytes.subarray(0, at))).toEqual([]);
    expect(reader.push(bytes.subarray(at))).toEqual(["zoned €"]);
    expect(reader.end()).toEqual(["next"]);
  });
  it("passes a line with no end on in pieces of the maximum", () => {
    const reader = lineReader(4);
    expect(reader.push(new TextEncoder().encode("abcdefghij"))).toEqual(["abcd", "efgh"]);
    expect(reader.end()).toEqual(["ij"]);
  });
});

describe("--workers", () => {
  const value = (text: string | null) => () => text;
  it("takes a count or auto", () => {
    expect(parseWorkersOption("--workers", value("4"))).toEqual({ kind: "ok", workers: { kind: "count", count: 4 } });
    expect(parseWorkersOption("--workers", value("auto"))).toEqual({ kind: "ok", workers: { kind: "auto" } });
    expect(parseWorkersOption("--port", value("4"))).toEqual({ kind: "unknown" });
    for (const bad of ["0", "-1", "1.5", "two", "", "1025"]) {
      expect(parseWorkersOption("--workers", value(bad)).kind).toBe("error");
    }
    expect(parseWorkersOption("--workers", value(null))).toEqual({
      kind: "error",
      message: "option '--workers' needs a number of processes 1-1024, or auto (one per core)",
    });
  });
  it("is in --help, with what each runtime does and what is per worker", () => {
    for (const text of ["--workers N|auto", "node:cluster", "SO_REUSEPORT", "--unstable-net", "--max-connections"]) {
      expect(USAGE).toContain(text);
    }
  });
  it("is on the command line, default 1", () => {
    expect(parseCli(["--workers", "2"], {})).toMatchObject({ kind: "serve", workers: { kind: "count", count: 2 } });
    expect(parseCli(["--workers=auto"], {})).toMatchObject({ kind: "serve", workers: { kind: "auto" } });
    expect(parseCli([], {})).toMatchObject({ kind: "serve", workers: { kind: "count", count: 1 } });
    expect(parseCli(["--workers", "many"], {})).toMatchObject({
      kind: "error",
      message: "invalid value 'many' for --workers (expected a number of processes 1-1024, or auto (one per core))",
    });
  });
  it("auto is one per core; where ports cannot be shared, auto is one process with a note and N > 1 an error", () => {
    expect(workerCount({ kind: "auto" }, 8, null)).toEqual({ kind: "count", count: 8, note: null });
    expect(workerCount({ kind: "auto" }, 1, "no")).toEqual({ kind: "count", count: 1, note: null });
    expect(workerCount({ kind: "auto" }, 8, "why")).toEqual({
      kind: "count",
      count: 1,
      note: "--workers auto: one process: why",
    });
    expect(workerCount({ kind: "count", count: 2 }, 8, "why")).toEqual({ kind: "error", message: "--workers 2: why" });
    expect(workerCount({ kind: "count", count: 1 }, 8, "why")).toEqual({ kind: "count", count: 1, note: null });
  });
  it("a worker leaves the RFC 867/868 services to its supervisor", () => {
    const command = parseCli(["--daytime-port", "13", "--time-port=37"], {});
    expect(forWorker(command, {})).toBe(command);
    expect(forWorker(command, { SUNDIAL_WORKER: "1" })).toMatchObject({ daytimePort: null, timePort: null });
  });
  it("SO_REUSEPORT spreads connections on Linux only", () => {
    const mechanism = {
      sharing: "kernel" as const,
      description: "x",
      spawn: () => ({ kind: "failed" as const, message: "" }),
    };
    expect(reusePortSupport("linux", mechanism)).toEqual({ kind: "available", mechanism });
    expect(reusePortSupport("darwin", mechanism)).toMatchObject({
      kind: "unavailable",
      reason: expect.stringContaining("only on Linux (this is darwin)"),
    });
  });
});
