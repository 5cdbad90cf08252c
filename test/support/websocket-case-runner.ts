/**
 * Plays a conformance case (websocket-cases.ts) against a server over a raw TCP socket: the
 * handshake (with the case's extension offer), the case's writes (Nagle off, each its own write,
 * a turn of the event loop between them when asked), a close, and everything the server sends
 * until it closes the connection, summarised as the case's expectation is written.
 */
import * as net from "node:net";
import * as zlib from "node:zlib";
import { clientFrame, closeBody, closeOf, readServerFrames, type ServerFrame } from "./websocket-frames.ts";
import { type Expected, messageKey, type WsCase } from "./websocket-cases.ts";
import { handshake } from "./websocket-raw.ts";

/** What a server did: as Expected, with "none" for no close frame and "no-101" for a refused handshake. */
export interface Outcome {
  readonly messages: string[];
  readonly pongs: string[];
  readonly close: number | null | "none" | "no-101";
  readonly extensions: string | null;
}

const WAIT_MS = 5_000;

export async function play(port: number, wsCase: WsCase): Promise<Outcome> {
  const fields: Record<string, string> = {};
  if (wsCase.extensions !== undefined) fields["Sec-WebSocket-Extensions"] = wsCase.extensions;
  const writes = await wsCase.writes();
  const received = await exchange(port, handshake(wsCase.path ?? "/echo", fields), writes, wsCase);
  const headEnd = received.indexOf("\r\n\r\n");
  const head = received.subarray(0, Math.max(0, headEnd)).toString("latin1");
  if (!head.startsWith("HTTP/1.1 101")) return { messages: [], pongs: [], close: "no-101", extensions: null };
  const extensions = normalised(/\r\nsec-websocket-extensions: *([^\r]*)/i.exec(head)?.[1] ?? null);
  const { frames } = readServerFrames(new Uint8Array(received.subarray(headEnd + 4)));
  return { ...summarise(frames), extensions };
}

/** An extension answer with its parameters in a fixed order (servers list them in their own). */
function normalised(answer: string | null): string | null {
  if (answer === null) return null;
  const [name, ...params] = answer.split(";").map((p) => p.trim());
  return [name, ...params.sort()].join("; ");
}

/** The expectation's shape of an outcome, for toEqual (extensions only when the case names them). */
export function comparable(outcome: Outcome, expected: Expected): Expected | Outcome {
  const out: Record<string, unknown> = { messages: outcome.messages, close: outcome.close };
  if (expected.pongs !== undefined || outcome.pongs.length > 0) out.pongs = outcome.pongs;
  if (expected.extensions !== undefined) out.extensions = outcome.extensions;
  return out as unknown as Outcome;
}

function exchange(port: number, request: string, writes: Uint8Array[], wsCase: WsCase): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
    const timer = setTimeout(() => socket.destroy(), WAIT_MS);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.on("connect", async () => {
      socket.write(request);
      for (const bytes of writes) {
        if (socket.destroyed) return;
        socket.write(bytes);
        if (wsCase.gap === true) await new Promise((r) => setTimeout(r, 1));
      }
      if (wsCase.closeAfter !== false && !socket.destroyed) socket.write(clientFrame(0x8, closeBody(1000)));
    });
  });
}

/** Messages (fragments joined, compressed ones inflated with one window for the connection), pongs and the close. */
function summarise(frames: readonly ServerFrame[]): Omit<Outcome, "extensions"> {
  const messages: string[] = [];
  const pongs: string[] = [];
  let close: Outcome["close"] = "none";
  let pieces: ServerFrame[] = [];
  const window = new ClientInflate();
  for (const frame of frames) {
    if (frame.opcode === 0xa) pongs.push(hex(frame.payload));
    if (frame.opcode === 0x8) {
      close = closeOf(frame).code;
      break;
    }
    if (frame.opcode > 0x7) continue;
    pieces.push(frame);
    if (!frame.fin) continue;
    const payload = Buffer.concat(pieces.map((p) => p.payload));
    const data = pieces[0]!.rsv1 ? window.inflate(payload) : payload;
    messages.push(messageKey(pieces[0]!.opcode, new Uint8Array(data)));
    pieces = [];
  }
  return { messages, pongs, close };
}

/** The client's decompressor: what it inflated so far is the dictionary of the next (the server may keep its window). */
class ClientInflate {
  private history = Buffer.alloc(0);
  inflate(compressed: Buffer): Buffer {
    const input = Buffer.concat([compressed, Buffer.from([0, 0, 0xff, 0xff])]);
    const options: zlib.ZlibOptions = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (this.history.length > 0) options.dictionary = this.history;
    const out = zlib.inflateRawSync(input, options);
    this.history = Buffer.concat([this.history, out]).subarray(-32 * 1024);
    return out;
  }
}

const hex = (bytes: Uint8Array): string => `p:${Buffer.from(bytes).toString("hex")}`;
