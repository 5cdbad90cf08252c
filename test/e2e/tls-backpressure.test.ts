/**
 * Input backpressure over TLS: a client that asks for a large file, reads nothing, and sends
 * on and on behind its request must find the server no longer reading (its sends stall in the
 * kernel's buffers), not holding what it sends. The core pauses a socket once 64 KiB wait
 * unparsed (src/connection/input-flow.ts); on Deno the pause has to reach the reads under the
 * TLS layer (runtime-adapters/deno/conn-duplex.ts), which reads whatever its socket's state.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { describe, expect, it } from "vitest";
import { rssMiB } from "../support/slow-readers.ts";
import { startSundial, TARGETS } from "../support/server-process.ts";
import { sleep } from "../support/wait.ts";

const FLOOD = 64 * 1024 * 1024;

/** Sends GET /big.bin, then up to FLOOD bytes without reading; resolves with what the kernel took once sends stall for 2 s. */
function flood(port: number): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0;
    let stalled: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(stalled);
      socket.destroy();
      resolve(sent);
    };
    const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      socket.pause(); // never reads: the response to the GET waits on us
      socket.write("GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n");
      const junk = Buffer.alloc(1024 * 1024, 0x61);
      const pump = (): void => {
        clearTimeout(stalled);
        while (sent < FLOOD) {
          sent += junk.length;
          if (!socket.write(junk)) {
            stalled = setTimeout(finish, 2000);
            socket.once("drain", pump);
            return;
          }
        }
        finish();
      };
      pump();
    });
    socket.on("error", finish);
  });
}

for (const target of TARGETS) {
  describe.skipIf(target.skip !== undefined)(`TLS input backpressure on ${target.name}`, () => {
    it(
      "stops reading a client that sends 64 MiB behind a request whose answer it does not read: its sends stall, server RSS rises by less than 32 MB",
      async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-tls-flood-"));
        fs.writeFileSync(path.join(dir, "big.bin"), "");
        fs.truncateSync(path.join(dir, "big.bin"), 64 * 1024 * 1024);
        const server = await startSundial(target, [dir, "--quiet", "--tls-self-signed"]);
        try {
          await sleep(200);
          const pid = server.process.pid!;
          const before = rssMiB(pid);
          let peak = before;
          const tick = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
          const sent = await flood(server.port);
          clearInterval(tick);
          // The kernel's buffers on both sides take some MiB (loopback autotuning); the rest must wait.
          expect(sent, `${sent / 1024 / 1024} MiB taken`).toBeLessThan(FLOOD);
          expect(peak - before, `RSS ${before.toFixed(0)} -> ${peak.toFixed(0)} MiB`).toBeLessThan(32);
        } finally {
          await server.stop();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      60_000,
    );
  });
}
