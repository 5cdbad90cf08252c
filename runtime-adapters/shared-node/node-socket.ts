import type * as net from "node:net";
import type * as tls from "node:tls";
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
    // A TLS socket's agreed ALPN protocol (false when none was); a plain one has none.
    alpnProtocol: (socket as Partial<tls.TLSSocket>).alpnProtocol || null,
    onData: (fn) => void socket.on("data", fn),
    onEnd: (fn) => void socket.once("end", fn),
    onClose: (fn) => void socket.once("close", fn),
    onDrain: (fn) => void socket.on("drain", fn),
    write: (chunk, onFlushed) => {
      if (socket.destroyed) return false;
      if (onFlushed === undefined) return socket.write(chunk);
      let owed = true;
      const flushed = (): void => {
        if (!owed) return;
        owed = false;
        onFlushed();
      };
      const flowing = socket.write(chunk, flushed);
      // Node queues nothing once the kernel took the whole chunk during the call, but calls back
      // only at the next tick: say so now, or a synchronous send loop (an app's WebSocket sends)
      // would count as buffered what the kernel already has (measured: 25 MiB "buffered" on loopback).
      if (socket.writableLength === 0) flushed();
      return flowing;
    },
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    // allowHalfOpen keeps reading after the peer half-closes; once our side is flushed, close it
    // fully, or a peer that never closes would hold the descriptor (and a connection slot).
    end: () => void socket.end(() => socket.destroy()),
    destroy: () => void socket.destroy(),
  };
}
