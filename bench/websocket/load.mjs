// The WebSocket bench's load: SOCKETS raw TCP connections to 127.0.0.1:PORT, each opened with a
// WebSocket handshake (RFC 6455 §4.1), then, on "run SECONDS" from stdin, each sends one masked
// text message of SIZE bytes and the next as soon as its echo is back, for SECONDS; prints one JSON
// line { messages, seconds, errors } per run (echoes received in the window). Frames are written
// and read by hand so the client's own cost per message stays small. "exit" (or stdin's end) closes.
// Usage: node|bun load.mjs PORT SOCKETS SIZE   (prints "open N" once every socket has its 101)
import * as net from "node:net";
import * as readline from "node:readline";

const [port, sockets, size] = process.argv.slice(2).map(Number);
const OPEN_AT_ONCE = 100;

/** A masked text frame (§5.2) of size bytes: the mask is fixed, which the server cannot tell. */
function maskedFrame(length) {
  const header = length < 126 ? 2 : 4;
  const frame = Buffer.alloc(header + 4 + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = 0x80 | length;
  else {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  }
  const mask = [0x12, 0x34, 0x56, 0x78];
  for (let i = 0; i < 4; i++) frame[header + i] = mask[i];
  for (let i = 0; i < length; i++) frame[header + 4 + i] = 0x61 ^ mask[i % 4];
  return frame;
}
const FRAME = maskedFrame(size);
const HANDSHAKE = `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

let running = false;
let counted = 0;
let errors = 0;
let inFlight = 0;

/** One connection: the 101, then echoes counted frame by frame (the server's frames are unmasked). */
function open() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.setNoDelay(true);
    let opened = false;
    let pending = Buffer.alloc(0);
    let busy = false;
    const conn = {
      send() {
        busy = true;
        inFlight++;
        socket.write(FRAME);
      },
      get busy() {
        return busy;
      },
    };
    socket.on("error", (error) => (opened ? errors++ : reject(error)));
    socket.on("close", () => opened && errors++);
    socket.on("data", (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!opened) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!pending.subarray(0, 12).toString().includes("101")) return reject(new Error(pending.toString()));
        opened = true;
        pending = pending.subarray(end + 4);
        resolve(conn);
      }
      for (;;) {
        if (pending.length < 2) return;
        let length = pending[1] & 0x7f;
        let at = 2;
        if (length === 126) {
          if (pending.length < 4) return;
          length = pending.readUInt16BE(2);
          at = 4;
        } else if (length === 127) {
          if (pending.length < 10) return;
          length = Number(pending.readBigUInt64BE(2));
          at = 10;
        }
        if (pending.length < at + length) return;
        if (length !== size) errors++;
        pending = pending.subarray(at + length);
        busy = false;
        inFlight--;
        if (running) {
          counted++;
          conn.send();
        }
      }
    });
    socket.write(HANDSHAKE);
  });
}

const conns = [];
while (conns.length < sockets) {
  const batch = Math.min(OPEN_AT_ONCE, sockets - conns.length);
  conns.push(...(await Promise.all(Array.from({ length: batch }, open))));
}
console.log(`open ${conns.length}`);

async function run(seconds) {
  counted = 0;
  errors = 0;
  running = true;
  const began = performance.now();
  for (const conn of conns) conn.send();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  const took = (performance.now() - began) / 1000;
  const messages = counted;
  // The last echoes come back before the next run starts.
  for (let waited = 0; inFlight > 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  console.log(JSON.stringify({ messages, seconds: took, errors, stuck: inFlight }));
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, value] = line.trim().split(" ");
  if (command === "run") await run(Number(value));
  else break;
}
process.exit(0);
