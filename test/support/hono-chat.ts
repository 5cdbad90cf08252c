/**
 * The Hono chat example (examples/hono-chat/) as the tests drive it: its module for a target (a
 * bundled .mjs where Node 20 loads no .ts), npm `ws` clients, and the broadcast scenario.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "vitest";
import WebSocket from "ws";
import { REPO_ROOT } from "./server-process.ts";

export const CHAT_APP = path.join(REPO_ROOT, "examples", "hono-chat", "app.ts");
const BUN = path.join(REPO_ROOT, "node_modules", ".bin", "bun");

/** Whether a target's runtime is a Node that loads no TypeScript (Node 20). */
export function nodeWithoutTypes(targetName: string): boolean {
  return targetName.startsWith("node") && Number(process.versions.node.split(".")[0]) < 22;
}

/**
 * `entry` as one .mjs for Node 20 (the recipe of examples/README.md: `bun build --target=node`),
 * hono and sundial/hono (dist/lib/hono.js, so `npm run build` first) bundled in, in a temporary folder.
 */
export function bundledForNode(entry: string): { file: string; remove(): void } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-hono-chat-"));
  const file = path.join(work, `${path.basename(entry, ".ts")}.mjs`);
  execFileSync(BUN, ["build", entry, "--target=node", `--outfile=${file}`], { cwd: REPO_ROOT, stdio: "ignore" });
  return { file, remove: () => fs.rmSync(work, { recursive: true, force: true }) };
}

/** A ws (npm) client whose messages are queued from the start. */
export interface ChatClient {
  next(): Promise<string>;
  send(data: string | Uint8Array): void;
  close(): Promise<number>;
}

export function chatClient(url: string): Promise<ChatClient> {
  const ws = new WebSocket(url, { rejectUnauthorized: false });
  const queue: string[] = [];
  const waiting: Array<() => void> = [];
  ws.on("message", (data: Buffer) => {
    queue.push(data.toString());
    for (const fn of waiting.splice(0)) fn();
  });
  const closed = new Promise<number>((resolve) => ws.once("close", (code: number) => resolve(code)));
  const client: ChatClient = {
    next: async () => {
      while (queue.length === 0) await new Promise<void>((resolve) => waiting.push(resolve));
      return queue.shift()!;
    },
    send: (data) => ws.send(data),
    close: () => {
      ws.close(1000);
      return closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
  });
}

/** Two clients in the room: joins, a text and a binary message reach both (the sender too), a leave reaches the other. */
export async function chatScenario(base: string): Promise<void> {
  const ann = await chatClient(`${base}/chat?name=ann`);
  expect(await ann.next()).toBe("* ann joined (1 here)");
  const bob = await chatClient(`${base}/chat?name=bob`);
  expect([await ann.next(), await bob.next()]).toEqual(["* bob joined (2 here)", "* bob joined (2 here)"]);
  ann.send("hello, bob");
  expect([await ann.next(), await bob.next()]).toEqual(["ann: hello, bob", "ann: hello, bob"]);
  bob.send(new Uint8Array([1, 2, 3]));
  expect([await ann.next(), await bob.next()]).toEqual(["bob sent 3 bytes", "bob sent 3 bytes"]);
  expect(await bob.close()).toBe(1000);
  expect(await ann.next()).toBe("* bob left");
  expect(await ann.close()).toBe(1000);
}

/** GET over http or https (a self-signed certificate accepted). */
export function getInsecure(url: string): Promise<{ status: number; body: string }> {
  const request = url.startsWith("https") ? https.request : http.request;
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res: http.IncomingMessage) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject).end();
  });
}
