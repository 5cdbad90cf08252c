import type * as net from "node:net";
import type { Socket } from "../../src/ports/socket.ts";

/** The peer of a socket, which a TLSSocket over a stream that is not a net.Socket does not know. */
export interface Peer {
  readonly address: string;
  readonly port: number;
}

/** node:net sockets (and node:tls ones: Node's TLS sockets, and Deno's, whose handshake runs on node:tls) as the core's Socket. */
export function nodeSocket(
  socket: net.Socket,
  peer: Peer = { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
): Socket {
  socket.setNoDelay(true);
  // Errors (ECONNRESET, EPIPE) are followed by 'close'; that is where the core learns of them.
  socket.on("error", () => {});
  return {
    remoteAddress: peer.address,
    remotePort: peer.port,
    onData: (fn) => void socket.on("data", fn),
    onEnd: (fn) => void socket.once("end", fn),
    onClose: (fn) => void socket.once("close", fn),
    onDrain: (fn) => void socket.on("drain", fn),
    write: (chunk, onFlushed) => !socket.destroyed && socket.write(chunk, onFlushed),
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    // allowHalfOpen keeps reading after the peer half-closes; once our side is flushed, close it
    // fully, or a peer that never closes would hold the descriptor (and a connection slot).
    end: () => void socket.end(() => socket.destroy()),
    destroy: () => void socket.destroy(),
  };
}
