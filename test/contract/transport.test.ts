/**
 * The Transport contract (src/ports/transport.ts, src/ports/socket.ts), run against each
 * adapter's Transport directly, not through the HTTP server (hono's runTest shape): every case
 * is the same for Node, Deno and Bun. The server side is transport-host.ts; the cases drive it
 * over raw TCP and TLS and read back what its Socket did.
 */
import * as fs from "node:fs";
import { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveOpenssl, makeCertificates, type TestCertificates } from "../support/tls-certs.ts";
import { sleep, until } from "../support/wait.ts";
import { connect, exchange, outcome, reportOf } from "./transport-client.ts";
import { patternByte } from "./transport-host.ts";
import { HANDSHAKE_TIMEOUT_MS, RUNTIMES, type Subject } from "./transport-subjects.ts";

const MiB = 1024 * 1024;

/** The index of the first byte that is not the pattern's, or -1. */
function firstWrongByte(data: Buffer): number {
  for (let i = 0; i < data.length; i++) if (data[i] !== patternByte(i)) return i;
  return -1;
}

function openDescriptors(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

let ids = 0;
const nextId = (): string => `c${++ids}`;

for (const runtime of RUNTIMES) {
  describe.skipIf(runtime.missing !== undefined)(`the ${runtime.name} transport`, () => {
    let subject: Subject;
    beforeAll(async () => void (subject = await runtime.start()));
    afterAll(() => subject?.close());

    it("tells the peer's address and port", async () => {
      const socket = await connect(subject.port);
      const local = `${socket.localAddress} ${socket.localPort}\n`;
      const done = outcome(socket);
      socket.write("peer x\n");
      expect((await done).data.toString()).toBe(local);
    });

    it("half-close: the peer's FIN is onEnd, and writing still works until end()", async () => {
      const id = nextId();
      const result = await exchange(subject.port, `half-close ${id}\nhello`, { end: true });
      expect(result.data.toString()).toBe("received 5\n");
      expect(result.ended).toBe(true);
      await sleep(50);
      const report = await reportOf(subject.port, id);
      expect(report.events).toEqual(["end", "write true", "close"]);
    });

    for (const [what, chunk] of [["in 64 KiB writes", 64 * 1024], ["in one write", 8 * MiB]] as const) {
      it(`delivers 8 MiB ${what} intact, then end() sends FIN once flushed`, async () => {
        const id = nextId();
        const result = await exchange(subject.port, `send ${id} ${8 * MiB} ${chunk}\n`);
        expect(result.data.length).toBe(8 * MiB);
        expect(firstWrongByte(result.data)).toBe(-1);
        expect(result.ended).toBe(true);
        const report = await reportOf(subject.port, id);
        expect(report.written).toBe(8 * MiB);
        expect(report.events).toEqual(["close"]);
      });
    }

    it("write()'s onFlushed runs once the runtime no longer holds the chunk, before the close", async () => {
      const id = nextId();
      const result = await exchange(subject.port, `flushed ${id} ${4 * MiB}\n`);
      expect(result.data.length).toBe(4 * MiB);
      const report = await reportOf(subject.port, id);
      expect(report.events).toEqual(["flushed", "close"]);
    });

    it("backpressure: write() returns false over the high-water mark, and onDrain comes only once the peer reads", async () => {
      const id = nextId();
      const total = 32 * MiB;
      const socket = await connect(subject.port);
      socket.pause();
      socket.write(`send ${id} ${total} 65536\n`);
      await sleep(300);
      const stalled = await reportOf(subject.port, id);
      // Everything the kernel's buffers hold is in, the rest waits: one write refused, no drain yet.
      expect(stalled.written).toBeLessThan(total);
      expect(stalled.refused).toBeGreaterThanOrEqual(1);
      expect(stalled.drains).toBe(stalled.refused - 1);
      await sleep(300);
      expect((await reportOf(subject.port, id)).written).toBe(stalled.written);
      const done = outcome(socket);
      socket.resume();
      const result = await done;
      expect(result.data.length).toBe(total);
      expect(firstWrongByte(result.data)).toBe(-1);
      const report = await reportOf(subject.port, id);
      expect(report.written).toBe(total);
      expect(report.drains).toBe(report.refused);
    });

    it("destroy() closes at once and drops what is queued (end() would have sent it all)", async () => {
      const id = nextId();
      const total = 16 * MiB;
      const result = await exchange(subject.port, `destroy ${id} ${total}\n`);
      expect(result.data.length).toBeLessThan(total);
      expect(firstWrongByte(result.data)).toBe(-1);
      await sleep(50);
      const report = await reportOf(subject.port, id);
      expect(report.events.filter((e) => e === "close")).toHaveLength(1);
      // onClose may come during destroy() (Deno, Bun) or after it (Node): the contract says once, not when.
      expect(report.events.filter((e) => e !== "close")).toEqual(["write false", "destroyed"]);
    });

    it("after close: write() queues nothing and returns false, and no call throws", async () => {
      const id = nextId();
      const result = await exchange(subject.port, `after-close ${id}\n`);
      expect(result.data.length).toBe(0);
      await sleep(50);
      const report = await reportOf(subject.port, id);
      expect(report.events).toContain("write false");
      expect(report.events).toContain("no throw");
      expect(report.events.filter((e) => e === "close")).toHaveLength(1);
    });

    it("a peer's reset is onClose, once", async () => {
      const id = nextId();
      const socket = await connect(subject.port);
      socket.write(`hold ${id}\n`);
      await sleep(50);
      socket.on("error", () => {});
      socket.resetAndDestroy();
      await sleep(100);
      const report = await reportOf(subject.port, id);
      expect(report.events).toEqual(["close"]);
    });

    for (const [scenario, pausedAt] of [["pause", "inside onData"], ["pause-idle", "while a read waits"]] as const) {
      it(`pause() ${pausedAt} delivers no data until resume()`, async () => {
        const id = nextId();
        const socket = await connect(subject.port);
        const echoed = new Promise<number>((resolve) => socket.once("data", () => resolve(Date.now())));
        const started = Date.now();
        socket.write(`${scenario} ${id} 400\n`);
        await sleep(100);
        socket.write("hello");
        const at = await echoed;
        expect(at - started).toBeGreaterThanOrEqual(350);
        socket.destroy();
        const report = await reportOf(subject.port, id);
        expect(report.events.slice(0, 3)).toEqual(["paused", "resumed", "data 5"]);
      });
    }
  });

  describe.skipIf(runtime.missing !== undefined || !haveOpenssl())(`the ${runtime.name} transport over TLS`, () => {
    let certs: TestCertificates;
    let subject: Subject;
    beforeAll(async () => {
      certs = makeCertificates();
      subject = await runtime.start([
        { chain: certs.chain, key: certs.key },
        { chain: certs.chain2, key: certs.key2 },
        // Refused: not a certificate; a key that does not match the certificate.
        { chain: certs.key, key: certs.key },
        { chain: certs.chain2, key: certs.key },
      ]);
    });
    afterAll(async () => {
      await subject?.close();
      certs?.remove();
    });

    const accepted = async (): Promise<number> =>
      (JSON.parse((await exchange(subject.port, "stats x\n", { tls: true })).data.toString()) as { accepted: number })
        .accepted;

    it("hands over the decrypted stream: the peer, and 8 MiB intact", async () => {
      const socket = await connect(subject.port, true);
      const local = `${socket.localAddress} ${socket.localPort}\n`;
      const done = outcome(socket);
      socket.write("peer x\n");
      expect((await done).data.toString()).toBe(local);
      const id = nextId();
      const result = await exchange(subject.port, `send ${id} ${8 * MiB} 65536\n`, { tls: true });
      expect(result.data.length).toBe(8 * MiB);
      expect(firstWrongByte(result.data)).toBe(-1);
    });

    it("half-close: the peer's close_notify and FIN are onEnd, and writing still works until end()", async () => {
      const id = nextId();
      const result = await exchange(subject.port, `half-close ${id}\nhello`, { tls: true, end: true });
      expect(result.data.toString()).toBe("received 5\n");
      expect(result.ended).toBe(true);
    });

    /** The SHA-256 fingerprint of the certificate the server presents to a new handshake. */
    const presented = async (): Promise<string> => {
      const socket = (await connect(subject.port, true)) as TLSSocket;
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      return fingerprint;
    };
    const fingerprint = (file: string): string => new X509Certificate(fs.readFileSync(file)).fingerprint256;
    const reload = async (n: number): Promise<string> =>
      (await exchange(subject.port, `reload x ${n}\n`, { tls: true })).data.toString().trim();

    it("setTls: new handshakes get the new certificate, open connections keep going, refused credentials leave the old", async () => {
      expect(await presented()).toBe(fingerprint(certs.chain));
      const open = await connect(subject.port, true);
      const echoed = outcome(open);
      open.write(`half-close ${nextId()}\n`);
      expect(await reload(0)).toBe("changed");
      expect(await presented()).toBe(fingerprint(certs.chain2));
      expect(await reload(1)).toBe("failed");
      expect(await reload(2)).toBe("failed");
      expect(await presented()).toBe(fingerprint(certs.chain2));
      open.write("still here");
      open.end();
      expect((await echoed).data.toString()).toBe("received 10\n");
    });

    it("a failed handshake (plain HTTP, garbage) never reaches the core, and its descriptor is freed", async () => {
      const before = await accepted();
      const descriptors = openDescriptors(subject.pid);
      const results = await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) =>
            exchange(subject.port, i % 2 === 0 ? "GET / HTTP/1.1\r\nHost: x\r\n\r\n" : "\x16\x03\x01\xff\xffgarbage"),
        ),
      );
      for (const result of results) expect(result.data.toString("latin1")).not.toContain("HTTP/1.1");
      expect(await accepted()).toBe(before + 1);
      await until(() => openDescriptors(subject.pid) <= descriptors + 2, 2000);
      expect(openDescriptors(subject.pid)).toBeLessThanOrEqual(descriptors + 2);
    });

    it("a silent client is closed at the handshake deadline, never reaching the core", async () => {
      const before = await accepted();
      const started = Date.now();
      const result = await exchange(subject.port, "");
      expect(Date.now() - started).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 100);
      expect(Date.now() - started).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 2000);
      expect(result.data.length).toBe(0);
      expect(await accepted()).toBe(before + 1);
    });
  });
}
