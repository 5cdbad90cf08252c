/**
 * The WebSocket fixture app (test/fixtures/apps/websocket-app.mjs, Bun's { fetch, websocket })
 * on sundial's Bun adapter and on Bun.serve, the reference it imitates: the same raw-socket
 * scenarios against both, and what a client can tell must be the same (the handshake's status
 * and fields, an echo, a fragmented message with a ping, the close echoed, version 8).
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, type RunningSundial, startSundial, TARGETS } from "../support/server-process.ts";
import { clientFrame, closeBody, closeOf } from "../support/websocket-frames.ts";
import { handshake, RawWebSocket } from "../support/websocket-raw.ts";

const APP = path.join(REPO_ROOT, "test", "fixtures", "apps", "websocket-app.mjs");
const BUN_SERVE = path.join(REPO_ROOT, "test", "fixtures", "apps", "bun-serve-websocket.ts");
const BUN = path.join(REPO_ROOT, "node_modules", ".bin", "bun");

/** Bun.serve with the app, on a free port. */
function startBunServe(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(BUN, [BUN_SERVE, "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /Listening on (\d+)/.exec(out);
      if (match !== null) resolve({ port: Number(match[1]), child });
    });
    child.once("exit", (code) => reject(new Error(`Bun.serve exited with ${code}`)));
  });
}

/** What a client can tell of the handshake: the status line and the WebSocket fields, names lower-cased. */
function handshakeView(head: string): { status: string; fields: Record<string, string> } {
  const [status, ...lines] = head.trim().split("\r\n");
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    const name = line.slice(0, at).toLowerCase();
    if (name.startsWith("sec-websocket") || name === "upgrade") fields[name] = line.slice(at + 1).trim();
    if (name === "connection") fields[name] = line.slice(at + 1).trim().toLowerCase();
  }
  return { status: status!.split(" ").slice(0, 2).join(" "), fields };
}

/** The scenarios, run against a server; the result is what must match. */
async function scenarios(port: number): Promise<unknown> {
  const results: Record<string, unknown> = {};
  const ws = await RawWebSocket.connect(port, handshake("/protocol"));
  results.handshake = handshakeView(await ws.responseHead());
  ws.send(clientFrame(0x1, "plain"));
  ws.send(clientFrame(0x1, "frag", { fin: false }));
  ws.send(clientFrame(0x9, "ping"));
  ws.send(clientFrame(0x0, "ment"));
  ws.send(clientFrame(0x2, new Uint8Array([0, 255])));
  ws.send(clientFrame(0x8, closeBody(4100, "done")));
  await ws.waitClosed();
  results.frames = ws.frames().map((f) => ({
    fin: f.fin,
    opcode: f.opcode,
    masked: f.masked,
    payload: f.opcode === 0x8 ? closeOf(f) : Buffer.from(f.payload).toString("hex"),
  }));
  const old = await RawWebSocket.connect(port, handshake("/echo", { "Sec-WebSocket-Version": "8" }));
  const oldHead = handshakeView(await old.responseHead());
  results.version8 = oldHead;
  old.destroy();
  return results;
}

const bunTarget = TARGETS.find((t) => t.name === "bun")!;

describe("WebSocket: sundial on Bun and Bun.serve, the same app", () => {
  let sundial: RunningSundial | undefined;
  let reference: { port: number; child: ChildProcess } | undefined;
  beforeAll(async () => {
    [sundial, reference] = await Promise.all([startSundial(bunTarget, ["--app", APP, "--quiet"]), startBunServe()]);
  }, 60_000);
  afterAll(async () => {
    reference?.child.kill("SIGTERM");
    await sundial?.stop();
  });

  it("a client sees the same handshake, frames and close", async () => {
    const ours = await scenarios(sundial!.port);
    const theirs = await scenarios(reference!.port);
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ handshake: { status: "HTTP/1.1 101" }, version8: { status: "HTTP/1.1 426" } });
  });
});
