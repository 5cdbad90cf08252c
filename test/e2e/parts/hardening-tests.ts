import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { type RunningSundial, startSundial } from "../../support/server-process.ts";
import { rssMiB } from "../../support/slow-readers.ts";
import type { SuiteContext } from "../context.ts";

const MIB = 1024 * 1024;
const SECOND = 1000;

/** Small limits and 1 s timeouts, so every limit and timeout can be hit quickly. */
const LIMITED = [
  "--max-request-line",
  "1k",
  "--max-header-size",
  "2k",
  "--max-headers",
  "10",
  "--max-body",
  "4k",
  "--header-timeout",
  "1s",
  "--body-timeout",
  "1s",
  "--idle-timeout",
  "1s",
  "--send-timeout",
  "1s",
];

interface Timed {
  readonly data: Buffer;
  readonly closed: boolean;
  readonly ms: number;
}

async function timed(port: number, request: string, options: Parameters<typeof rawExchange>[2] = {}): Promise<Timed> {
  const started = performance.now();
  const result = await rawExchange(port, request, options);
  return { ...result, ms: performance.now() - started };
}

function statusOf(data: Buffer): number | undefined {
  return parseResponses(data)[0]?.status;
}

function openDescriptors(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a download, waits for its first bytes, then drops the connection (RST if data is unread). */
function abortedDownload(port: number, target: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(
      { host: "127.0.0.1", port },
      () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 5000);
    socket.once("data", done);
    socket.on("error", done);
  });
}

/** Reads a download at about bytesPerSecond for ms, calling sample() every 100 ms; resolves with the bytes read. */
function throttledDownload(
  port: number,
  target: string,
  bytesPerSecond: number,
  ms: number,
  sample: () => void,
): Promise<number> {
  return new Promise((resolve) => {
    let received = 0;
    const started = performance.now();
    const socket = net.connect(
      { host: "127.0.0.1", port },
      () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > ((performance.now() - started) / SECOND) * bytesPerSecond) socket.pause();
    });
    socket.on("error", () => {});
    const tick = setInterval(() => {
      sample();
      if (received <= ((performance.now() - started) / SECOND) * bytesPerSecond) socket.resume();
      if (performance.now() - started >= ms) {
        clearInterval(tick);
        socket.destroy();
        resolve(received);
      }
    }, 100);
  });
}

/**
 * Limits, timeouts, the connection cap and resource release, against real servers: one with
 * small limits and 1 s timeouts, one with a cap of 3 connections, and two with the defaults
 * (one each for the descriptor and the memory measurement, which must not disturb each other).
 */
export function hardeningTests({ target }: SuiteContext): void {
  describe.concurrent("limits, timeouts and resources", () => {
    let folder = "";
    let limited: RunningSundial | undefined;
    let capped: RunningSundial | undefined;
    let forDescriptors: RunningSundial | undefined;
    let forMemory: RunningSundial | undefined;
    beforeAll(async () => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-hardening-"));
      fs.writeFileSync(path.join(folder, "a.txt"), "AAAA");
      // Sparse: no disk space, and reads come back as zeros at memory speed.
      fs.writeFileSync(path.join(folder, "64mb.bin"), "");
      fs.truncateSync(path.join(folder, "64mb.bin"), 64 * MIB);
      fs.writeFileSync(path.join(folder, "1gb.bin"), "");
      fs.truncateSync(path.join(folder, "1gb.bin"), 1024 * MIB);
      [limited, capped, forDescriptors, forMemory] = await Promise.all([
        startSundial(target, [folder, ...LIMITED]),
        startSundial(target, [folder, "--max-connections", "3"]),
        startSundial(target, [folder]),
        startSundial(target, [folder]),
      ]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([limited?.stop(), capped?.stop(), forDescriptors?.stop(), forMemory?.stop()]);
      fs.rmSync(folder, { recursive: true, force: true });
    });
    const port = (): number => limited!.port;

    it("a request line over --max-request-line: 414 and close; under it: served", async () => {
      const long = await timed(port(), `GET /${"a".repeat(1100)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(statusOf(long.data)).toBe(414);
      expect(long.closed).toBe(true);
      const fits = await timed(port(), `GET /a.txt?${"q".repeat(900)} HTTP/1.1\r\nHost: x\r\n\r\n`, {
        until: hasResponses(1),
      });
      expect(statusOf(fits.data)).toBe(200);
    });

    it("a header section over --max-header-size: 431 and close", async () => {
      const result = await timed(port(), `GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(2100)}\r\n\r\n`);
      expect(statusOf(result.data)).toBe(431);
      expect(result.closed).toBe(true);
    });

    it("more header fields than --max-headers: 431 and close; exactly that many: served", async () => {
      const fields = (n: number): string => Array.from({ length: n }, (_, i) => `X-F${i}: ${i}\r\n`).join("");
      const over = await timed(port(), `GET /a.txt HTTP/1.1\r\nHost: x\r\n${fields(10)}\r\n`);
      expect(statusOf(over.data)).toBe(431);
      expect(over.closed).toBe(true);
      const fits = await timed(port(), `GET /a.txt HTTP/1.1\r\nHost: x\r\n${fields(9)}\r\n`, {
        until: hasResponses(1),
      });
      expect(statusOf(fits.data)).toBe(200);
    });

    it("a body over --max-body: 413 and close, by Content-Length and by chunk sizes", async () => {
      const declared = await timed(port(), "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
      expect(statusOf(declared.data)).toBe(413);
      expect(declared.closed).toBe(true);
      // The chunk size that crosses the limit comes right after the head, in the same read: a
      // body still on its way when the head is complete is not waited for (a 405 at once).
      const chunk = `1001\r\n${"c".repeat(0x1001)}\r\n`;
      const chunked = await timed(
        port(),
        `POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}0\r\n\r\n`,
      );
      expect(statusOf(chunked.data)).toBe(413);
      expect(chunked.closed).toBe(true);
    });

    it("lingering close: a client still uploading after its 413 reads the whole 413, not a reset", async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const result = await new Promise<{ data: Buffer; error: string | null }>((resolve) => {
          const chunks: Buffer[] = [];
          let error: string | null = null;
          const socket = net.connect({ host: "127.0.0.1", port: port() }, () => {
            socket.write("POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
            // Keep sending body bytes after the 413 is on its way, and read it only later: a server
            // that closed with this input unread would reset the connection, and the reset
            // discards the 413 still waiting in this side's receive buffer.
            socket.pause();
            socket.write(Buffer.alloc(256 * 1024, 0x61));
            setTimeout(() => socket.resume(), 600);
          });
          socket.on("data", (d: Buffer) => chunks.push(d));
          socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
          socket.on("close", () => resolve({ data: Buffer.concat(chunks), error }));
          setTimeout(() => socket.destroy(), 5000);
        });
        expect(result.error, `attempt ${attempt}`).toBeNull();
        expect(statusOf(result.data), `attempt ${attempt}`).toBe(413);
      }
    });

    it("a body within --max-body is read and discarded: the next pipelined request is answered", async () => {
      const body = "x".repeat(4000);
      const request =
        `POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n`;
      const result = await timed(port(), request, { until: hasResponses(2) });
      expect(parseResponses(result.data).map((r) => r.status)).toEqual([405, 200]);
    });

    it("--header-timeout: a head that never ends gets 408 and close", async () => {
      const result = await timed(port(), "GET /a.txt HTTP/1.1\r\nHost: x\r\n", { timeoutMs: 5000 });
      expect(statusOf(result.data)).toBe(408);
      expect(result.closed).toBe(true);
      expect(result.ms).toBeGreaterThan(0.8 * SECOND);
      expect(result.ms).toBeLessThan(3.5 * SECOND);
    });

    it("--header-timeout counts from the first byte: a slow-loris trickle does not extend it", async () => {
      const trickle = `GET /a.txt HTTP/1.1\r\n${"X-Slow: 1\r\n".repeat(40)}\r\n`;
      // Four bytes every 100 ms: the whole head would take 11.6 s.
      const result = await timed(port(), trickle, { pieceSize: 4, pieceDelayMs: 100, timeoutMs: 6000 });
      expect(parseResponses(result.data, { ended: result.closed }).map((r) => [r.version, r.status])).toEqual([[
        "1.1",
        408,
      ]]);
      expect(result.closed).toBe(true);
      expect(result.ms).toBeLessThan(3.5 * SECOND);
    });

    it("a body that has not all arrived is not waited for (no --body-timeout): its 405 comes at once, then close", async () => {
      const result = await timed(port(), "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789", {
        timeoutMs: 5000,
      });
      const response = parseResponses(result.data)[0];
      expect(response?.status).toBe(405);
      expect(response?.headers.get("connection")).toBe("close");
      expect(result.closed).toBe(true);
      expect(result.ms).toBeLessThan(0.8 * SECOND);
    });

    it("--idle-timeout: an idle keep-alive connection is closed without a word", async () => {
      const started = performance.now();
      const result = await timed(port(), "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", { timeoutMs: 5000 });
      const responses = parseResponses(result.data);
      expect(responses.map((r) => r.status)).toEqual([200]);
      expect(result.data.length).toBe(result.data.indexOf("AAAA") + 4); // nothing after the response
      expect(result.closed).toBe(true);
      expect(performance.now() - started).toBeGreaterThan(0.8 * SECOND);
      expect(performance.now() - started).toBeLessThan(3.5 * SECOND);
    });

    it("--send-timeout: a client that stops reading a large download is dropped", async () => {
      const { received, closed } = await new Promise<{ received: number; closed: boolean }>((resolve) => {
        let received = 0;
        let closed = false;
        const socket = net.connect({ host: "127.0.0.1", port: port() }, () => {
          socket.pause();
          socket.write("GET /64mb.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        });
        socket.on("data", (d: Buffer) => (received += d.length));
        socket.on("close", () => (closed = true));
        socket.on("error", () => {});
        // Read nothing for 3 s (send timeout 1 s), then drain what the kernels buffered.
        setTimeout(() => {
          socket.resume();
          setTimeout(() => {
            socket.destroy();
            resolve({ received, closed });
          }, 1500);
        }, 3000);
      });
      expect(closed).toBe(true);
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(64 * MIB);
    });

    it("--max-connections: one connection over the cap, with every place answering, gets 503 with Retry-After, and a place frees up when one closes", async () => {
      // Event streams: responses that never end, so no connection can be evicted to make room.
      const held = await Promise.all(
        [0, 1, 2].map(
          () =>
            new Promise<net.Socket>((resolve) => {
              const socket = net.connect({ host: "127.0.0.1", port: capped!.port }, () =>
                socket.write("GET /time HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"));
              socket.on("error", () => {});
              socket.once("data", () =>
                resolve(socket));
            }),
        ),
      );
      const refused = await timed(capped!.port, "", { timeoutMs: 3000 });
      const response = parseResponses(refused.data)[0];
      expect(response?.status).toBe(503);
      expect(response?.headers.get("retry-after")).toBe("1");
      expect(refused.closed).toBe(true);
      held[0]!.destroy();
      // The server notices at the stream's next event (one a second), when the write fails.
      let after: Timed | undefined;
      for (let attempt = 0; attempt < 10; attempt++) {
        await sleep(300);
        after = await timed(capped!.port, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", { until: hasResponses(1) });
        if (statusOf(after.data) === 200) break;
      }
      expect(statusOf(after!.data)).toBe(200);
      for (const socket of held) socket.destroy();
    });

    it("clients that never close after the server's close do not keep their --max-connections slots", async () => {
      // Its own server: the 503 test holds the shared capped server's slots meanwhile.
      const own = await startSundial(target, [folder!, "--max-connections", "3"]);
      try {
        const stubborn = await Promise.all(
          [0, 1, 2].map(
            () =>
              new Promise<net.Socket>((resolve) => {
                // allowHalfOpen: this client never sends its FIN, even after the server's.
                const socket = net.connect({ host: "127.0.0.1", port: own.port, allowHalfOpen: true }, () =>
                  socket.write("GET /a.txt HTTP/1.0\r\n\r\n"));
                socket.on("error", () => {});
                socket.on("data", () => {});
                socket.once("end", () =>
                  resolve(socket));
              }),
          ),
        );
        await sleep(300);
        const after = await timed(own.port, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", { until: hasResponses(1) });
        expect(statusOf(after.data)).toBe(200);
        for (const socket of stubborn) socket.destroy();
      } finally {
        await own.stop();
      }
    });

    it("200 downloads dropped mid-transfer leave no open descriptors behind", async () => {
      const plain = forDescriptors!;
      const pid = plain.process.pid!;
      await abortedDownload(plain.port, "/64mb.bin"); // warm up lazily opened descriptors
      await sleep(200);
      const before = openDescriptors(pid);
      for (let round = 0; round < 20; round++) {
        await Promise.all(Array.from({ length: 10 }, () => abortedDownload(plain.port, "/64mb.bin")));
      }
      let after = openDescriptors(pid);
      for (let waited = 0; after > before && waited < 3000; waited += 100) {
        await sleep(100);
        after = openDescriptors(pid);
      }
      expect(after).toBeLessThanOrEqual(before);
      const check = await timed(plain.port, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", { until: hasResponses(1) });
      expect(statusOf(check.data)).toBe(200);
    }, 30_000);

    it("a client reading a 1 GB file at 1 MB/s for 10 s raises the server's RSS by at most 32 MB", async () => {
      const plain = forMemory!;
      const pid = plain.process.pid!;
      // Warm up (code paths compiled, first buffers allocated), then take the baseline.
      for (let i = 0; i < 3; i++) await abortedDownload(plain.port, "/1gb.bin");
      await sleep(200);
      const baseline = rssMiB(pid);
      let peak = baseline;
      const received = await throttledDownload(plain.port, "/1gb.bin", MIB, 10 * SECOND, () => {
        peak = Math.max(peak, rssMiB(pid));
      });
      expect(received).toBeGreaterThan(5 * MIB);
      expect(received).toBeLessThan(30 * MIB);
      expect(peak - baseline).toBeLessThanOrEqual(32);
    }, 30_000);
  });
}
