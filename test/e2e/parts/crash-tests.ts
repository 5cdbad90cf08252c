/**
 * Uploads and crashes (issue 24): a server SIGKILLed mid-upload leaves the old file whole and a
 * temporary behind, which the next start removes; with --workers 2, a worker killed mid-upload
 * loses only its own uploads (the supervisor removes its temporaries by pid) while the other
 * worker's upload in progress completes.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { alive, type RunningSundial, startSundial } from "../../support/server-process.ts";
import { until } from "../../support/wait.ts";
import type { SuiteContext } from "../context.ts";

const MIB = 1024 * 1024;
const TEMP = /^\.(.*)\.sundial-(\d+)-[0-9a-f]{16}\.tmp$/;

/** The temporaries in dir (not below it): [the target's name, the writer's pid]. */
function temporaries(dir: string): Array<{ readonly target: string; readonly pid: number }> {
  return fs.readdirSync(dir).flatMap((name) => {
    const match = TEMP.exec(name);
    return match === null ? [] : [{ target: match[1]!, pid: Number(match[2]) }];
  });
}

/** A PUT of `length` bytes, of which only `sent` are sent: the upload stays in progress. */
async function startUpload(port: number, target: string, length: number, sent: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.on("error", () => {});
  socket.write(`PUT ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n\r\n`);
  socket.write(Buffer.alloc(sent, 0x61));
  return socket;
}

/** Sends the rest of an upload and reads its answer's status. */
async function finishUpload(socket: net.Socket, rest: number): Promise<number> {
  let data = Buffer.alloc(0);
  const answered = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer within 10 s")), 10_000);
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (!hasResponses(1)(data)) return;
      clearTimeout(timer);
      resolve(parseResponses(data)[0]!.status);
    });
  });
  socket.write(Buffer.alloc(rest, 0x62));
  const status = await answered;
  socket.destroy();
  return status;
}

export function crashTests({ target }: SuiteContext): void {
  describe("an upload cut by a crash (SIGKILL)", () => {
    let base = "";
    const servers: RunningSundial[] = [];
    beforeAll(() => {
      base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-crash-"));
    });
    afterEach(async () => {
      for (const server of servers.splice(0)) await server.stop();
    });
    afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

    it("keeps the old file and leaves a temporary, which the next start removes; a new PUT then works", async () => {
      const root = path.join(base, "single");
      fs.mkdirSync(root);
      fs.writeFileSync(path.join(root, "data.bin"), "old bytes");
      const first = await startSundial(target, [root, "--upload", "--max-upload", "2m"]);
      servers.push(first);
      const socket = await startUpload(first.port, "/data.bin", MIB, MIB / 2);
      expect(await until(() => temporaries(root).length === 1, 10_000)).toBe(true);
      // The temporary carries the writer's pid (src/static/write/temp-name.ts).
      expect(temporaries(root)[0]).toEqual({ target: "data.bin", pid: first.process.pid });
      first.process.kill("SIGKILL");
      await first.stop();
      socket.destroy();
      expect(fs.readFileSync(path.join(root, "data.bin"), "utf8")).toBe("old bytes");
      expect(temporaries(root)).toHaveLength(1);

      const second = await startSundial(target, [root, "--upload", "--max-upload", "2m"]);
      servers.push(second);
      // Removed before the server listened: the "Local:" line came after.
      expect(temporaries(root)).toEqual([]);
      expect(second.stderr()).toMatch(/sundial: removed 1 stale upload temporary left by an earlier run under /);
      expect(fs.readFileSync(path.join(root, "data.bin"), "utf8")).toBe("old bytes");
      const put = await fetch(`http://127.0.0.1:${second.port}/data.bin`, { method: "PUT", body: "new bytes" });
      expect(put.status).toBe(204);
      expect(fs.readFileSync(path.join(root, "data.bin"), "utf8")).toBe("new bytes");
      expect(temporaries(root)).toEqual([]);
    }, 60_000);

    it("without --upload, a start leaves the folder as it is", async () => {
      const root = path.join(base, "read-only");
      fs.mkdirSync(root);
      const stale = ".a.txt.sundial-1-0123456789abcdef.tmp";
      fs.writeFileSync(path.join(root, stale), "x");
      servers.push(await startSundial(target, [root]));
      expect(fs.readdirSync(root)).toEqual([stale]);
    }, 60_000);

    it.skipIf(process.platform !== "linux")(
      "--workers 2: a worker killed mid-upload loses only its own uploads; the other's completes",
      async () => {
        const root = path.join(base, "workers");
        fs.mkdirSync(root);
        const server = await startSundial(target, [root, "--upload", "--max-upload", "2m", "--workers", "2"]);
        servers.push(server);
        // Uploads until both workers hold one (the kernel or node:cluster picks the worker).
        const uploads = new Map<string, net.Socket>();
        for (let i = 0; i < 24 && new Set(temporaries(root).map((t) => t.pid)).size < 2; i++) {
          uploads.set(`w${i}.bin`, await startUpload(server.port, `/w${i}.bin`, MIB, MIB / 2));
          expect(await until(() => temporaries(root).length === i + 1, 10_000)).toBe(true);
        }
        const pids = [...new Set(temporaries(root).map((t) => t.pid))];
        expect(pids).toHaveLength(2);
        const [victim, survivor] = pids as [number, number];
        process.kill(victim, "SIGKILL");
        // The supervisor removes the dead worker's temporaries, and only those.
        const gone = await until(() => !temporaries(root).some((t) => t.pid === victim), 10_000);
        expect(gone, server.stderr()).toBe(true);
        expect(alive(victim)).toBe(false);
        const kept = temporaries(root).filter((t) => t.pid === survivor);
        expect(kept.length).toBeGreaterThan(0);
        // The dead worker's replacement starts while the survivor's uploads are in progress: it removes none of them.
        const again = await until(() => /worker \d is serving again \(pid \d+\)/.test(server.stderr()), 15_000);
        expect(again, server.stderr()).toBe(true);
        expect(temporaries(root).filter((t) => t.pid === survivor)).toEqual(kept);
        for (const { target: name } of kept) {
          expect(await finishUpload(uploads.get(name)!, MIB / 2)).toBe(201);
          expect(fs.statSync(path.join(root, name)).size).toBe(MIB);
        }
        const lost: string[] = [];
        for (const [name, socket] of uploads) {
          socket.destroy();
          if (!kept.some((t) => t.target === name)) lost.push(name);
        }
        // The dead worker's uploads never became files.
        for (const name of lost) expect(fs.existsSync(path.join(root, name))).toBe(false);
        expect(await until(() => temporaries(root).length === 0, 5_000)).toBe(true);
      },
      90_000,
    );
  });
}
