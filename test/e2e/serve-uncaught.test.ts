/**
 * The library's door (issue 22, finding 6): serve() on each runtime's build (dist/lib/), with an
 * app that leaves errors uncaught (test/fixtures/apps/faulty-app.mjs, served by serve-faulty.mjs).
 * By default serve() keeps the server up and writes a line for each; a program with a handler of
 * its own for the event keeps its handler's say; catchUncaught: false leaves the runtime's
 * default, which ends the process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hasResponses, parseResponses } from "../support/http-response-parser.ts";
import { rawExchange } from "../support/raw-client.ts";
import { REPO_ROOT } from "../support/server-process.ts";
import { until } from "../support/wait.ts";

const LAUNCHER = path.join(REPO_ROOT, "test", "fixtures", "apps", "serve-faulty.mjs");
const BIN = path.join(REPO_ROOT, "node_modules", ".bin");
const RUNTIMES = [
  { name: "node", command: [process.execPath] },
  { name: "bun", command: [path.join(BIN, "bun")] },
  { name: "deno", command: [path.join(BIN, "deno"), "run", "--allow-all"] },
] as const;

interface Launched {
  readonly child: ChildProcess;
  readonly port: number;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running.clear();
});

function launch(runtime: (typeof RUNTIMES)[number], mode: "default" | "own-handler" | "off"): Promise<Launched> {
  const lib = path.join(REPO_ROOT, "dist", "lib", `${runtime.name}.js`);
  if (!fs.existsSync(lib)) throw new Error(`${lib} is missing: run npm run build`);
  const [command, ...args] = runtime.command;
  const child = spawn(command, [...args, LAUNCHER, lib, mode], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime.name}: not listening within 30 s\n${out}\n${err}`)),
      30_000,
    );
    void exited.then((code) => reject(new Error(`${runtime.name} exited with ${code}\n${out}\n${err}`)));
    child.stdout!.on("data", () => {
      const match = /serve-faulty: listening on (\d+)/.exec(out);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ child, port: Number(match[1]), stderr: () => err, exited });
    });
  });
}

async function get(port: number, target: string): Promise<string> {
  const { data } = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`, {
    until: hasResponses(1),
    timeoutMs: 5000,
  });
  return parseResponses(data)[0]?.body.toString() ?? "(no response)";
}

const count = (text: string, pattern: RegExp): number => text.split("\n").filter((l) => pattern.test(l)).length;

describe.each(RUNTIMES)("serve() on $name: errors the app leaves uncaught", (runtime) => {
  it("by default the server goes on, with one stderr line for each", async () => {
    const server = await launch(runtime, "default");
    for (let i = 0; i < 3; i++) {
      expect(await get(server.port, "/reject")).toBe("rejected\n");
      expect(await get(server.port, "/throw-in-timer")).toBe("thrown\n");
    }
    const lines = (): number => count(server.stderr(), /^sundial: (unhandled rejection|uncaught exception)/);
    await until(() => lines() === 6, 5000);
    expect(count(server.stderr(), /^sundial: unhandled rejection.*: Error: rejected on purpose \(at /)).toBe(3);
    expect(count(server.stderr(), /^sundial: uncaught exception.*: Error: thrown in a timer \(at /)).toBe(3);
    expect(await get(server.port, "/hello")).toBe("hello\n");
    expect(server.child.exitCode).toBeNull();
  }, 40_000);

  it("a program's own handler for an event decides alone; the other event is still caught", async () => {
    const server = await launch(runtime, "own-handler");
    expect(await get(server.port, "/reject")).toBe("rejected\n");
    expect(await get(server.port, "/reject")).toBe("rejected\n");
    expect(await get(server.port, "/throw-in-timer")).toBe("thrown\n");
    await until(
      () =>
        count(server.stderr(), /^own handler: rejected on purpose$/) === 2 &&
        count(server.stderr(), /^sundial: uncaught exception/) === 1,
      5000,
    );
    expect(count(server.stderr(), /^own handler: rejected on purpose$/)).toBe(2);
    expect(count(server.stderr(), /^sundial: uncaught exception/)).toBe(1);
    expect(server.stderr()).not.toMatch(/^sundial: unhandled rejection/m);
    expect(await get(server.port, "/hello")).toBe("hello\n");
  }, 40_000);

  it("catchUncaught: false leaves the runtime's default: the process ends", async () => {
    const server = await launch(runtime, "off");
    await get(server.port, "/reject");
    const code = await Promise.race([
      server.exited,
      new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 10_000)),
    ]);
    expect(code).not.toBe("running");
    expect(code).not.toBe(0);
  }, 40_000);
});
