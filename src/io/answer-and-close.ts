import type { Socket } from "../ports/socket.ts";

/** Answers a connection with bytes and closes it, ignoring whatever the peer sends (503 over the cap, RFC 867/868). */
export function answerAndClose(socket: Socket, bytes: Uint8Array): void {
  socket.onData(() => {});
  socket.onEnd(() => {});
  socket.onClose(() => {});
  socket.onDrain(() => {});
  socket.write(bytes);
  socket.end();
}
